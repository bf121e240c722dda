"""The student kit: every experiment's public part and the harness, and no solution anywhere in it."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from reference import EXPERIMENTS, SOLUTION, module_path, public_files

from bench import kit
from conftest import REPO


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("kit") / "labmark-kit"
    kit.build(out)
    return out


def _distinctive_lines(function: ast.FunctionDef, source: str) -> set[str]:
    """Lines of a function's body that would give it away: long, and not a comment, an import or a docstring."""
    body = function.body[1:] if ast.get_docstring(function) else function.body
    lines = set()
    for node in body:
        for line in (ast.get_source_segment(source, node) or "").splitlines():
            line = line.strip()
            if len(line) >= 40 and not line.startswith(("#", "import ", "from ", '"', "'")):
                lines.add(line)
    return lines


def test_the_kit_holds_no_solution_code(built):
    shipped = {p: p.read_text(errors="replace") for p in built.rglob("*") if p.is_file() and p.suffix in (".py", ".md",
                                                                                                          ".toml")}
    assert not [p for p in built.rglob(SOLUTION)] and not list(built.rglob("*.key")) and not (built / "tests").exists()
    found = []
    for spec in EXPERIMENTS.values():
        source = module_path(spec).read_text()
        for function in (n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef)):
            for line in _distinctive_lines(function, source):
                found += [f"{spec.module}.{function.name}: {p.relative_to(built)}" for p, text in shipped.items()
                          if line in text]
    assert not found, found
    checked = sum(len(_distinctive_lines(f, s)) for s in (module_path(e).read_text() for e in EXPERIMENTS.values())
                  for f in ast.walk(ast.parse(s)) if isinstance(f, ast.FunctionDef))
    assert checked > 300  # the search looked for a few hundred lines of solution code


def test_no_solution_module_can_be_imported_from_the_kit(built):
    modules = [f"reference.{spec.module}.solution" for spec in EXPERIMENTS.values()]
    code = ("import importlib, json\nout = {}\nfor m in %r:\n    try:\n        importlib.import_module(m)\n"
            "        out[m] = 'imported'\n    except ModuleNotFoundError:\n        out[m] = 'missing'\n"
            "import reference\nprint(json.dumps([out, sorted(reference.EXPERIMENTS), reference.__file__]))") % modules
    done = subprocess.run([sys.executable, "-c", code], cwd=built, capture_output=True, text=True, timeout=120)
    out, experiments, where = json.loads(done.stdout)
    assert set(out.values()) == {"missing"} and experiments == sorted(EXPERIMENTS)  # the public parts are all there
    assert Path(where).is_relative_to(built)


def test_the_kit_ships_every_public_part_and_the_example(built):
    for path in public_files():
        assert (built / "reference" / path.relative_to(REPO / "reference")).read_text() == path.read_text()
    assert (built / "submissions" / "example" / "exp06_anomaly.py").exists()
    assert not [p for p in (built / "submissions").iterdir() if p.name != "example"]
    readme = (built / "README.md").read_text()
    assert readme.startswith("# labmark: the student kit") and "--submission=example --quick" in readme


def test_a_kit_is_written_to_a_new_folder_only(built):
    with pytest.raises(kit.KitError, match="exists"):
        kit.build(built)


def _fresh_venv(folder: Path) -> Path:
    """A new virtual environment that reuses this one's installed libraries (no download) but not labmark."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, timeout=300)
    site = next((folder / "lib").glob("python3*/site-packages"))
    (site / "libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return folder / "bin" / "python"


@pytest.mark.e2e  # installs the kit into a new virtual environment and self-checks the example with it
def test_a_student_installs_the_kit_and_self_checks_the_example(built, tmp_path):
    python = _fresh_venv(tmp_path / "venv")
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                              "-e", "."], cwd=built, capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr[-2000:]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    # A student's machine has no bubblewrap as a rule: the self-check runs its workers as plain processes (and
    # this venv borrows its libraries from a folder a sandbox would not show).
    check = subprocess.run([str(python), "-m", "pytest", "bench", "--submission=example", "-k", "exp06", "--quick",
                            "--isolation", "process", "--no-fail-on-marks", "--record", str(tmp_path / "r.json"),
                            "--report", str(tmp_path / "report")], cwd=built, env=env, capture_output=True, text=True,
                           timeout=900)
    assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-2000:]
    record = json.loads((tmp_path / "r.json").read_text())
    checks = {c["name"]: c for c in record["submissions"]["example"]["exp06"]["checks"]}
    assert checks["interface"]["status"] == "pass" and "anchors" not in record  # no reference was run
    speed = checks["speed"]
    assert speed["status"] in ("pass", "fail") and "Approximate" in speed["message"]
    assert speed["evidence"]["speed"]["reference_seconds"] == EXPERIMENTS["exp06"].reference_speed["quick"]
    assert (tmp_path / "report" / "class.html").exists()
    refused = subprocess.run([str(python), "-m", "pytest", "bench", "--submission=reference", "-k", "exp06"],
                             cwd=built, env=env, capture_output=True, text=True, timeout=300)
    assert refused.returncode == pytest.ExitCode.USAGE_ERROR and "no reference solutions" in refused.stderr
