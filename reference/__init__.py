"""The experiments of the course: one folder per experiment, its public part apart from its solution.

    reference/exp06_anomaly/__init__.py   public: aim, claim, interface, targets (with where each came
                                          from), budgets, the reference's recorded speed; its SPEC
    reference/exp06_anomaly/solution.py   the reference solution, graded as `--submission=reference`

`EXPERIMENTS` maps an experiment id ("exp06") to its `Experiment` spec, in the
lab manual's order, reading public parts only: nothing here (or anything the
pytest process imports) imports a solution, which runs only in workers, like
any submission. A student kit (`python -m bench kit`) ships every file of
`public_files()` and no solution.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from .spec import Budget, BudgetSpec, Experiment, Function, Target, Trained

__all__ = ["Budget", "BudgetSpec", "EXPERIMENTS", "Experiment", "Function", "SOLUTION", "Target", "Trained", "module_path",
           "public_files"]

SOLUTION = "solution.py"  # in each experiment's folder: the one file a student kit leaves out
HERE = Path(__file__).resolve().parent


def _discover() -> dict[str, Experiment]:
    found = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("exp") and info.ispkg:
            spec = importlib.import_module(f"{__name__}.{info.name}").SPEC
            assert spec.module == info.name, f"{info.name}: SPEC.module says {spec.module!r}"
            found[spec.id] = spec
    return found


def module_path(experiment: Experiment) -> Path:
    """The reference solution's source file (run by workers like any submission); absent from a student kit."""
    return HERE / experiment.module / SOLUTION


def public_files(root: Path = HERE) -> list[Path]:
    """Every file of the experiments' public part: this package without its solutions."""
    return sorted(p for p in root.rglob("*.py") if p.name != SOLUTION and "__pycache__" not in p.parts)


EXPERIMENTS = _discover()
