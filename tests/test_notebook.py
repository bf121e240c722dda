"""Graded code is pulled out of notebooks without running anything."""

from __future__ import annotations

import nbformat
import pytest

from bench import errors
from bench.notebook import extract


def write(tmp_path, cells, name="exp06_anomaly.ipynb"):
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    path = tmp_path / name
    nbformat.write(nb, str(path))
    return path


def code(source, tags=None):
    cell = nbformat.v4.new_code_cell(source)
    if tags:
        cell.metadata["tags"] = tags
    return cell


def test_only_tagged_or_marked_cells_are_graded(tmp_path):
    path = write(tmp_path, [
        nbformat.v4.new_markdown_cell("# Lab 6"),
        code("x = load_everything()  # not graded"),
        code("import numpy as np", tags=["graded"]),
        code("# graded\ndef f(x):\n    return x"),
        code("#GRADED: helper\ny = 1"),
    ])
    out = extract(path)
    assert out.graded_cells == [2, 3, 4]  # numbered among code cells
    assert "load_everything" not in out.source
    compile(out.source, "nb", "exec")


def test_shell_magic_and_colab_lines_are_dropped_and_listed(tmp_path):
    path = write(tmp_path, [code(
        "!pip install tensorflow\n%matplotlib inline\nfrom google.colab import drive\ndrive.mount('/content/drive')\n"
        "files = !ls\nimport numpy as np\ndef f(x):\n    %time y = x\n    return x", tags=["graded"])])
    out = extract(path)
    reasons = {d["line"]: d["reason"] for d in out.dropped}
    assert reasons == {1: "shell command", 2: "IPython magic", 3: "Google Colab only",
                       4: "Google Colab only: mounts Google Drive",
                       5: "shell or magic output captured into a variable", 8: "IPython magic"}
    namespace = {}
    exec(compile(out.source, "nb", "exec"), namespace)  # still valid Python, indentation kept
    assert namespace["f"](3) == 3


def test_line_numbers_map_back_to_cells(tmp_path):
    path = write(tmp_path, [code("a = 1\nb = 2", tags=["graded"]), code("skipped = True"),
                            code("# graded\nc = 3\nd = (", tags=None)])
    out = extract(path)
    line = out.source.split("\n").index("d = (") + 1
    assert out.locate(line) == "code cell 3, line 3"


def test_non_python_cell_magics_drop_the_whole_cell(tmp_path):
    path = write(tmp_path, [code("%%bash\necho hi\nls -la", tags=["graded"]),
                            code("%%time\nz = 1", tags=["graded"])])
    out = extract(path)
    namespace = {}
    exec(out.source, namespace)
    assert namespace["z"] == 1 and len(out.dropped) == 4


def test_no_graded_cells_says_how_to_mark_them(tmp_path):
    path = write(tmp_path, [code("def f(): pass")])
    with pytest.raises(errors.NotebookError, match="'graded'"):
        extract(path)


def test_a_corrupt_notebook_is_a_clear_error(tmp_path):
    path = tmp_path / "exp06_anomaly.ipynb"
    path.write_text('{"cells": [ this is not json')
    with pytest.raises(errors.NotebookError, match="could not be read as a Jupyter notebook"):
        extract(path)
