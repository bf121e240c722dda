"""How a worker is contained: the sandbox it starts in (`sandbox`), the seccomp
filter it runs under (`seccomp`), its cgroup (`cgroups`), and the parent's
watch of its network attempts (`netwatch`). Used by `bench.worker` only.
"""
