"""A one-node Slurm cluster on 127.0.0.1 for the tests, started in a folder of its own and stopped after.

Needs root (the daemons run as root) and Debian's `slurm-wlm` and `munge`
(.ci/run installs them). `why_not()` says why a cluster cannot start here.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

DAEMONS = ("munged", "slurmctld", "slurmd", "sbatch", "squeue", "scontrol", "scancel")


def why_not() -> str | None:
    if os.geteuid() != 0:
        return "starting Slurm's daemons needs root"
    missing = [d for d in DAEMONS if shutil.which(d) is None and not Path("/usr/sbin", d).exists()]
    if missing:
        return f"not installed: {', '.join(missing)} (apt-get install slurm-wlm munge)"
    return None


def _free_ports(n: int) -> list[int]:
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


class Cluster:
    """munged, slurmctld and slurmd with their state, logs and sockets under `folder`."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.conf = folder / "slurm.conf"
        self.env = {**os.environ, "SLURM_CONF": str(self.conf)}

    def start(self, memory_mb: int = 16000) -> "Cluster":
        f, host = self.folder, socket.gethostname()
        for sub in ("state", "spool"):
            (f / sub).mkdir(parents=True, exist_ok=True)
        key = f / "munge.key"
        key.write_bytes(os.urandom(1024))
        key.chmod(0o400)
        subprocess.run([_path("munged"), "--force", f"--socket={f / 'munge.sock'}", f"--key-file={key}",
                        f"--pid-file={f / 'munged.pid'}", f"--log-file={f / 'munged.log'}",
                        f"--seed-file={f / 'munge.seed'}"], check=True, timeout=30)
        ctld, slurmd = _free_ports(2)
        self.conf.write_text("\n".join([
            "ClusterName=labmark-test", f"SlurmctldHost={host}(127.0.0.1)", "SlurmUser=root", "SlurmdUser=root",
            "AuthType=auth/munge", f"AuthInfo=socket={f / 'munge.sock'}", "CredType=cred/munge",
            f"StateSaveLocation={f / 'state'}", f"SlurmdSpoolDir={f / 'spool'}",
            f"SlurmctldPidFile={f / 'slurmctld.pid'}", f"SlurmdPidFile={f / 'slurmd.pid'}",
            f"SlurmctldPort={ctld}", f"SlurmdPort={slurmd}",
            "ProctrackType=proctrack/linuxproc", "TaskPlugin=task/none", "MpiDefault=none",
            "SelectType=select/cons_tres", "SelectTypeParameters=CR_Core_Memory", "SchedulerType=sched/backfill",
            "ReturnToService=2", "JobCompType=jobcomp/none", "AccountingStorageType=accounting_storage/none",
            f"SlurmctldLogFile={f / 'slurmctld.log'}", f"SlurmdLogFile={f / 'slurmd.log'}",
            f"NodeName={host} NodeAddr=127.0.0.1 CPUs={os.cpu_count()} RealMemory={memory_mb} State=UNKNOWN",
            f"PartitionName=test Nodes={host} Default=YES MaxTime=INFINITE State=UP", ""]))
        subprocess.run([_path("slurmctld")], env=self.env, check=True, timeout=30)
        subprocess.run([_path("slurmd")], env=self.env, check=True, timeout=30)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            out = subprocess.run(["sinfo", "-h", "-o", "%T"], env=self.env, capture_output=True, text=True)
            if out.returncode == 0 and out.stdout.strip() in ("idle", "mixed", "allocated"):
                return self
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"the test cluster did not come up: {self.log_tail()}")

    def run(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(list(args), env=self.env, capture_output=True, text=True, **kwargs)

    def log_tail(self) -> str:
        return "\n".join((self.folder / name).read_text(errors="replace")[-1500:]
                         for name in ("slurmctld.log", "slurmd.log") if (self.folder / name).exists())

    def stop(self) -> None:
        subprocess.run(["scancel", "--full", "--user", "root"], env=self.env, capture_output=True)
        for name in ("slurmd", "slurmctld", "munged"):
            pid_file = self.folder / f"{name}.pid"
            try:
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGTERM)
            except (OSError, ValueError):
                pass
        time.sleep(1)


def _path(daemon: str) -> str:
    return shutil.which(daemon) or str(Path("/usr/sbin", daemon))
