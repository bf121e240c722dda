"""Every dataset of the course, by name: the specs the data modules declare.

Any module of `bench.data` with a `DATASETS` tuple is found here: a new dataset
module needs no list to be added to.
"""

from __future__ import annotations

import importlib
import pkgutil

from . import DatasetSpec, __path__ as DATA_PATH

NOT_DATASETS = {"registry", "fetch", "__main__"}  # the machinery around datasets


def datasets() -> dict[str, DatasetSpec]:
    found: dict[str, DatasetSpec] = {}
    for info in sorted(pkgutil.iter_modules(DATA_PATH), key=lambda m: m.name):
        if info.name in NOT_DATASETS:
            continue
        module = importlib.import_module(f"bench.data.{info.name}")
        for spec in getattr(module, "DATASETS", ()):
            assert spec.name not in found, f"dataset {spec.name!r} declared twice (again in bench.data.{info.name})"
            found[spec.name] = spec
    return found
