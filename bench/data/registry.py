"""Every dataset of the course, by name: the specs the dataset modules declare.

Any module of `bench.data` or of its subpackages with a `DATASETS` tuple is found here: a new dataset module
needs no list to be added to. Only the machinery around datasets is not looked into.
"""

from __future__ import annotations

import importlib
import pkgutil

from . import DatasetSpec, __path__ as DATA_PATH

NOT_DATASETS = {"bench.data.registry", "bench.data.fetch", "bench.data.__main__"}  # the machinery around datasets


def datasets() -> dict[str, DatasetSpec]:
    found: dict[str, DatasetSpec] = {}
    modules = pkgutil.walk_packages(DATA_PATH, prefix="bench.data.")
    for name in sorted(m.name for m in modules if m.name not in NOT_DATASETS):
        module = importlib.import_module(name)
        for spec in getattr(module, "DATASETS", ()):
            assert spec.name not in found, f"dataset {spec.name!r} declared twice (again in {name})"
            found[spec.name] = spec
    return found
