"""The names of every check of an experiment, without running anything.

A check's name is its test function's name without `test_`, plus its
parameters other than the submission: `detector_f1[zscore]`. The rubric is
validated against this list, so a renamed check cannot silently stop counting.
The checks every experiment shares (bench/checks/common.py) come first, and
the speed check last.
"""

from __future__ import annotations

import importlib
import inspect

from reference import EXPERIMENTS

from . import common


def check_names(experiment_id: str) -> list[str]:
    return module_check_names(importlib.import_module(f"bench.checks.test_{EXPERIMENTS[experiment_id].module}"))


def module_check_names(module) -> list[str]:
    """The checks of one experiment's check module, in the order they run."""
    names = []
    for name, fn in inspect.getmembers(module, inspect.isfunction):
        if not name.startswith("test_") or fn.__module__ != module.__name__:
            continue
        base = name.removeprefix("test_")
        marks = [m for m in getattr(fn, "pytestmark", []) if m.name == "parametrize"]
        if not marks:
            names.append(base)
            continue
        assert len(marks) == 1, f"{name}: one parametrize per check keeps check names simple"
        names.extend(f"{base}[{value}]" for value in marks[0].args[1])
    first, last = common.check_names(module)
    return first + sorted(names, key=lambda n: _order(module, n)) + last


def _order(module, check: str) -> int:
    fn = getattr(module, "test_" + check.split("[")[0])
    return inspect.getsourcelines(fn)[1]
