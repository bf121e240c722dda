"""Every library a reference imports inside its functions is one its experiment preloads (Experiment.libraries),
so that no reference pays for reading a library from disk out of a training budget."""

from __future__ import annotations

import ast
import sys

import pytest

from reference import EXPERIMENTS, module_path


OWN = {"numpy", "reference", "bench"}


def _lazy_imports(source: str) -> set[str]:
    names = set()
    for function in (n for n in ast.walk(ast.parse(source)) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
        for node in ast.walk(function):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
    return {n for n in names if n.split(".")[0] not in sys.stdlib_module_names | OWN}


@pytest.mark.parametrize("experiment", sorted(EXPERIMENTS))
def test_the_references_lazy_imports_are_preloaded(experiment):
    spec = EXPERIMENTS[experiment]
    lazy = _lazy_imports(module_path(spec).read_text())
    uncovered = {n for n in lazy if not any(n == lib or n.startswith(lib + ".") for lib in spec.libraries)}
    assert lazy, f"{experiment}: no import inside a function found; this test reads the wrong file"
    assert not uncovered, f"{experiment}: add {sorted(uncovered)} to its Experiment's libraries"


def test_the_finder_sees_imports_in_functions_only():
    found = _lazy_imports("import pandas\ndef f():\n    import torch.nn\n    from sklearn.svm import SVC\n"
                          "    import os\n    from . import x\n")
    assert found == {"torch.nn", "sklearn.svm"}
