"""The packages submissions can import where they are graded, as the project's dependencies declare them.

Workers run in the grader's own environment, so what a submission can import
is what pyproject.toml installs, less the grader's own tools (tests, reports).
"""

from __future__ import annotations

import functools
import re
import tomllib
from importlib import metadata
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
GRADER_ONLY = {"pytest", "pytest-benchmark", "hypothesis", "nbformat", "jinja2", "pyyaml", "psutil"}
ALSO_INSTALLED = ("scipy", "keras")  # come with scikit-learn and tensorflow; students import them by name


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@functools.lru_cache(maxsize=1)
def declared() -> list[str]:
    """The distribution names the project depends on (pyproject.toml; the installed metadata without it)."""
    try:
        requirements = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        requirements = metadata.requires("labmark") or []
    names = [re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", r) for r in requirements if ";" not in r]
    return [m.group(1) for m in names if m]


@functools.lru_cache(maxsize=1)
def for_submissions() -> list[str]:
    """What a submission imports them as, with the pip name where it differs: 'sklearn (scikit-learn)'."""
    modules: dict[str, list[str]] = {}
    for module, dists in metadata.packages_distributions().items():
        for dist in dists:
            modules.setdefault(_normal(dist), []).append(module)
    shown = []
    for dist in [*declared(), *ALSO_INSTALLED]:
        if _normal(dist) in GRADER_ONLY:
            continue
        names = sorted(m for m in modules.get(_normal(dist), []) if not m.startswith("_") and m.isidentifier())
        name = next((m for m in names if _normal(m) == _normal(dist)), names[0] if names else dist)
        shown.append(name if _normal(name) == _normal(dist) else f"{name} ({dist})")
    return list(dict.fromkeys(shown))
