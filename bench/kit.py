"""The student kit: `python -m bench kit --out DIR`.

Everything a student needs to self-check, and nothing a student must not
have: the harness, the report renderer, every experiment's public part
(interface, targets with their provenance, budgets, the reference's recorded
speed), the embedded data generators, the example submission and a README for
students, and the GitHub workflow that self-checks pull requests
(`python -m grading ci`). Left out: every reference solution, the harness's own tests (they
grade the solutions), CI files, records, the class roster, the viva question bank and any
grading key. A kit checks itself on the way out: a solution file or a key file in it is an error.

Off the grading machine a kit's speed ratios divide by the reference's
recorded figures and say they are approximate; the official marks are the
instructor's run's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from reference import SOLUTION

REPO = Path(__file__).resolve().parents[1]
SHIPPED = ("pyproject.toml", "conftest.py", "bench", "grading", "reference", "submissions/example")
LEFT_OUT = ("__pycache__", "*.pyc", "*.egg-info", SOLUTION, "*.key", ".labmark", "records", "report",
            "roster.csv",  # the class roster holds students' names and ids
            "viva_questions.toml")  # the viva question bank is the examiners' (reports in a kit draw no sheets)

README = """\
# labmark: the student kit

```bash
python3 -m venv .venv && . .venv/bin/activate && pip install -e . && pytest bench --submission=example --quick --no-fail-on-marks --report=report
```

```bash
. .venv/bin/activate && pytest bench --submission=<your-folder> --quick --report=report
```

The first command installs the kit (PyTorch, TensorFlow, Spark and the
course's other libraries: a few GB) and self-checks the example submission
on the embedded datasets with the small (`--quick`) budgets; open
`report/class.html`. The second checks your own work: put your files in
`submissions/<your-folder>/` named as the experiments ask
(`exp06_anomaly.py` or `exp06_anomaly.ipynb`, ...; `-k exp06` checks one
experiment).

Each check that fails says what it expected, what it saw, and the likely fix.
What a self-check cannot tell you:

- **Speed ratios are approximate.** This kit has no reference solution to
  time beside you, so speed divides by the reference's time recorded on the
  grading machine; your machine may be faster or slower.
- **The hidden data differs.** The instructor grades on hidden data made with
  a key you do not have; the embedded data here is drawn the same way, so a
  submission that generalises scores alike.
- **Your marks are the instructor's run's**, with the full budgets, on the
  grading machine.

Submit by opening a pull request that adds `submissions/<your-folder>/` to the
class repository. Its CI (`.github/workflows/labmark.yml`) self-checks the
experiments your pull request changes, as above, and puts the marks and each
failed check's message in the job's summary, with the HTML report attached;
marks never fail the build.
"""


class KitError(RuntimeError):
    """A kit that would ship something it must not."""


def build(out: Path, root: Path = REPO) -> list[Path]:
    """Write the student kit to `out` (which must not exist); returns the files written."""
    if out.exists():
        raise KitError(f"{out} exists; a kit is written to a new folder (remove it, or choose another --out).")
    ignore = shutil.ignore_patterns(*LEFT_OUT)
    for name in SHIPPED:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, out / name, ignore=ignore)
        else:
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, out / name)
    (out / "README.md").write_text(README)
    workflow = out / ".github" / "workflows" / "labmark.yml"  # CI on the class repository's pull requests
    workflow.parent.mkdir(parents=True)
    shutil.copy2(root / "grading" / "templates" / "github-pr-workflow.yml", workflow)
    files = sorted(p for p in out.rglob("*") if p.is_file())
    forbidden = [p for p in files if p.name == SOLUTION or p.suffix == ".key"]
    if forbidden:
        raise KitError(f"the kit would ship {', '.join(str(p.relative_to(out)) for p in forbidden)}; not written.")
    return files
