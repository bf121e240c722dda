"""The layers talk through the run record: an import that crosses a boundary fails here."""

from __future__ import annotations

import ast

from conftest import REPO


def _imports(path) -> set[str]:
    """Absolute names of every module a file imports (relative imports resolved against its package)."""
    package = ".".join(path.relative_to(REPO).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _files(folder: str):
    return sorted((REPO / folder).rglob("*.py"))


def test_grading_reads_only_the_record_schema_from_bench():
    crossing = {f"{p.relative_to(REPO)}: {name}" for p in _files("grading") for name in _imports(p)
                if name.split(".")[0] == "bench" and not name.startswith("bench.record")}
    assert not crossing, f"grading must read runs only through the record (bench.record): {sorted(crossing)}"


def test_bench_uses_grading_only_in_the_plugin_to_check_the_rubric_and_render_reports():
    crossing = {str(p.relative_to(REPO)) for p in _files("bench") for name in _imports(p)
                if name.split(".")[0] == "grading"}
    assert crossing == {"bench/plugin.py"}, crossing


def test_the_reference_and_the_worker_package_import_no_grader_code():
    for folder, allowed in (("reference", set()), ("bench/inside", {"bench.inside"})):
        crossing = {f"{p.relative_to(REPO)}: {name}" for p in _files(folder) for name in _imports(p)
                    if name.split(".")[0] in ("bench", "grading") and not any(name.startswith(a) for a in allowed)}
        assert not crossing, f"{folder} must not import the grader: {sorted(crossing)}"


def test_scoring_and_data_sit_below_the_checks_and_the_engine():
    """Scoring and datasets are used by checks; they never reach back up into checks, the plugin or the runner."""
    above = ("bench.checks", "bench.plugin", "bench.runner", "bench.settings", "bench.isolation")
    for folder in ("bench/scoring", "bench/data"):
        crossing = {f"{p.relative_to(REPO)}: {name}" for p in _files(folder) for name in _imports(p)
                    if name.startswith(above)}
        assert not crossing, f"{folder} must not import the layers above it: {sorted(crossing)}"


def test_nothing_public_imports_a_solution():
    """A solution runs only in workers; the harness and every public part import none (a kit ships without)."""
    public = [*_files("bench"), *_files("grading"), *(p for p in _files("reference") if p.name != "solution.py")]
    crossing = {f"{p.relative_to(REPO)}: {name}" for p in public for name in _imports(p)
                if name.startswith("reference.") and name.split(".")[-1] == "solution"}
    assert not crossing, f"a solution imported outside a worker: {sorted(crossing)}"
