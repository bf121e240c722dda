"""The experiments of the course: one module per experiment, each with a SPEC.

`EXPERIMENTS` maps an experiment id ("exp06") to its `Experiment` spec, in the
lab manual's order. Reference modules import their frameworks inside the
functions, so reading the registry stays cheap.
"""

from __future__ import annotations

import importlib
import pkgutil

from .spec import Budget, BudgetSpec, Experiment, Function, Target

__all__ = ["Budget", "BudgetSpec", "EXPERIMENTS", "Experiment", "Function", "Target", "module_path"]


def _discover() -> dict[str, Experiment]:
    found = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("exp"):
            spec = importlib.import_module(f"{__name__}.{info.name}").SPEC
            assert spec.module == info.name, f"{info.name}: SPEC.module says {spec.module!r}"
            found[spec.id] = spec
    return found


def module_path(experiment: Experiment):
    """The reference solution's source file (run by workers like any submission)."""
    from pathlib import Path

    return Path(__file__).with_name(f"{experiment.module}.py")


EXPERIMENTS = _discover()
