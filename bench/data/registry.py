"""Every dataset of the course, by name: the specs each data module declares."""

from __future__ import annotations

import importlib

from . import DatasetSpec

# Modules that declare a DATASETS tuple, in the order `list` shows them.
MODULES = ("digits", "images", "text", "tabular", "parallel", "shipped", "anomalies", "drivers", "churn")


def datasets() -> dict[str, DatasetSpec]:
    found: dict[str, DatasetSpec] = {}
    for name in MODULES:
        try:
            module = importlib.import_module(f"bench.data.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"bench.data.{name}":
                raise
            continue
        for spec in getattr(module, "DATASETS", ()):
            assert spec.name not in found, f"dataset {spec.name!r} declared twice"
            found[spec.name] = spec
    return found
