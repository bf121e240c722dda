"""Graded code is pulled out of notebooks without running anything."""

from __future__ import annotations

import json

import nbformat
import pytest

from bench import errors
from bench.notebook import extract, extract_bytes


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


def raw(cells, **top) -> bytes:
    """A notebook as JSON bytes, written without nbformat so that it can be as malformed as a student's."""
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells, **top}).encode()


def raw_code(source="# graded\nx = 1", **fields):
    return {"cell_type": "code", "metadata": {}, "source": source, "outputs": [], "execution_count": None, **fields}


def test_extraction_works_from_the_bytes_of_a_snapshot():
    out = extract_bytes(raw([raw_code(["import numpy as np\n", "y = 2"], metadata={"tags": ["graded"]})]),
                        "exp06_anomaly.ipynb")
    assert out.graded_cells == [1] and out.source == "import numpy as np\ny = 2\n"


@pytest.mark.parametrize("data, message", [
    (raw([raw_code(metadata={"tags": "graded"})]),
     ('exp06_anomaly.ipynb: in code cell 1 (cell 1 counting every cell), \'tags\' is the string "graded"; '
     'expected a list of strings, such as ["graded"]. Likely cause: the notebook was edited by hand or by a tool '
     "that wrote invalid metadata. Fix: open it in Jupyter or Colab")),
    (raw([{"cell_type": "markdown", "source": "#"}, raw_code(metadata={"tags": ["graded", 3]})]),
     ("in code cell 1 (cell 2 counting every cell), 'tags' is a list holding the number 3; expected a list of "
     "strings")),
    (raw([raw_code(metadata=["graded"])]),
     "in code cell 1 (cell 1 counting every cell), 'metadata' is a list of 1 item; expected a JSON object"),
    (raw([raw_code(source=5)]),
     ("in code cell 1 (cell 1 counting every cell), 'source' is the number 5; expected a string or a list of "
     "strings")),
    (raw([raw_code(source=["x = 1\n", None])]),
     "in code cell 1 (cell 1 counting every cell), 'source' is a list holding null; expected a string or a list"),
    (raw([raw_code(), "print(1)"]),
     ("exp06_anomaly.ipynb is not a valid Jupyter notebook: cell 2 (counting every cell) is the string "
     '"print(1)", expected a JSON object')),
    (raw({"0": raw_code()}),
     ("exp06_anomaly.ipynb is not a valid Jupyter notebook: expected a JSON object whose 'cells' is a list, found "
     "'cells' as a JSON object")),
    (json.dumps({"nbformat": 4, "metadata": {}}).encode(),
     "expected a JSON object whose 'cells' is a list, found no 'cells' entry"),
    (b"[1, 2]",
     ("exp06_anomaly.ipynb is not a Jupyter notebook: expected a JSON object holding a list of cells, found a list "
     "holding the number 1. Likely cause: the notebook was edited by hand")),
    (b"\xff\xfe not utf-8 {", "exp06_anomaly.ipynb could not be read as a Jupyter notebook"),
    (b"[" * 100_000 + b"]" * 100_000, "exp06_anomaly.ipynb could not be read as a Jupyter notebook"),
    (raw([raw_code(b"# graded\nx = '\\ud800'".decode("unicode_escape"))]),
     ("exp06_anomaly.ipynb: code cell 1, line 2 holds a character that is not valid text (an unpaired surrogate, "
     "\\ud800)")),
], ids=["tags-string", "tags-number", "metadata-list", "source-number", "source-null-line", "cell-string",
        "cells-object", "no-cells", "top-list", "bad-utf8", "deep-nesting", "lone-surrogate"])
def test_a_malformed_notebook_is_a_notebook_error_that_says_what_is_wrong(data, message):
    with pytest.raises(errors.NotebookError) as info:
        extract_bytes(data, "exp06_anomaly.ipynb")
    assert message in info.value.message


def test_dropped_lines_are_recorded_without_terminal_escapes():
    out = extract_bytes(raw([raw_code("# graded\n!echo \x1b]0;owned\x07hi \u202eevil")]), "exp06_anomaly.ipynb")
    assert out.dropped[0]["text"] == "!echo hi evil"


def test_an_old_notebook_with_worksheets_is_upgraded():
    old = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [
        {"cell_type": "code", "input": "# graded\nz = 3", "language": "python", "metadata": {}, "outputs": []}]}]}
    assert extract_bytes(json.dumps(old).encode(), "exp06_anomaly.ipynb").source == "# graded\nz = 3\n"


# --- IPython syntax, by IPython's own rules -----------------------------------------------------

def graded_lines(source: str) -> tuple[list[str], dict[int, str]]:
    """The cell's lines as graded (one tagged cell), and the reasons of the lines changed, by line number."""
    out = extract_bytes(raw([raw_code(source, metadata={"tags": ["graded"]})]), "exp06_anomaly.ipynb")
    assert out.source.endswith("\n")
    return out.source[:-1].split("\n"), {d["line"]: d["reason"] for d in out.dropped}


IPYTHON_FORMS = {  # cell -> the lines (1-based) IPython turns into get_ipython() calls
    "%matplotlib inline\nimport numpy as np": {1},
    "def f(x):\n    %time y = x\n    return x": {2},
    "!pip install x\nn = 1": {1},
    "files = !ls\nn = 1": {1},
    "x = %pwd": {1},
    "obj = 1\nobj?": {2},
    "obj = 1\nobj??": {2},
    "obj = 1\n?obj": {2},
    "for epoch in range(2):\n    loss = 0.5\n    print('Epoch: %d loss %.3f'\n          %(epoch, loss))": set(),
    "x = 7 \\\n% 4": set(),
    's = """\n%not a magic\n!nor a shell line\n"""': set(),
    "ok = (1\n!= 2)": set(),
    "a, b = 7, 4\nprint(a % b)": set(),
    "a = 1  # what?\nb = {'k': 'why?'}": set(),
    "if True:\n    pass\n!ls\nz = 3": {3},
}


@pytest.mark.parametrize("cell, dropped", IPYTHON_FORMS.items(), ids=[
    "line-magic", "magic-in-block", "shell", "shell-captured", "magic-captured", "help-after", "help2-after",
    "help-before", "percent-format-continuation", "percent-after-backslash", "percent-in-string", "not-equal-in-brackets",
    "modulo", "question-mark-in-comment-and-string", "shell-after-block"])
def test_ipython_syntax_is_what_ipython_itself_transforms(cell, dropped):
    from IPython.core.inputtransformer2 import TransformerManager

    ours, reasons = graded_lines(cell)
    theirs = TransformerManager().transform_cell(cell).rstrip("\n").split("\n")
    original = cell.split("\n")
    assert len(ours) == len(theirs) == len(original)
    by_ipython = {i for i, line in enumerate(theirs, start=1) if "get_ipython()" in line}
    assert by_ipython == dropped == set(reasons)
    for number, (mine, ipython, line) in enumerate(zip(ours, theirs, original), start=1):
        if number in dropped:
            assert mine.strip().startswith("pass  # labmark dropped:")
            assert mine[: len(mine) - len(mine.lstrip())] == line[: len(line) - len(line.lstrip())]
        else:
            assert mine == ipython == line  # Python IPython leaves alone is graded byte for byte
    compile("\n".join(ours), "cell", "exec")


def test_the_lab_manuals_rnn_print_loop_is_graded_whole():
    cell = ("# graded\nlosses = []\nfor epoch in range(3):\n    loss = 1.0 / (epoch + 1)\n"
            "    print('Epoch: %d loss %.3f'\n          %(epoch, loss))\n    losses.append(loss)")
    out = extract_bytes(raw([raw_code(cell)]), "exp01_cnn_rnn.ipynb")
    assert out.dropped == [] and "          %(epoch, loss))" in out.source.split("\n")
    namespace = {}
    exec(compile(out.source, "nb", "exec"), namespace)
    assert namespace["losses"] == [1.0, 0.5, 1.0 / 3]


def test_a_continued_magic_takes_its_continuation_lines_with_it():
    ours, reasons = graded_lines("%time \\\nx = 1\ny = 2")
    assert reasons == {1: "IPython magic", 2: "IPython magic"} and ours[2] == "y = 2"  # as IPython folds them


@pytest.mark.parametrize("cell, kept", [
    ("%%bash\necho hi\nls -la", []),
    ("%%writefile helper.py\ndef g():\n    return 1", []),
    ("\n%%time\nz = 1\n!ls", ["", None, "z = 1", None]),
    ("%%capture out\nz = 1", [None, "z = 1"]),
])
def test_cell_magics_keep_the_body_only_when_it_runs_as_python(cell, kept):
    ours, reasons = graded_lines(cell)
    if not kept:
        assert set(reasons) == set(range(1, len(ours) + 1))
        assert all(r == "cell magic: the cell is not Python" for r in reasons.values())
    else:
        assert [None if i in reasons else line for i, line in enumerate(ours, start=1)] == kept
    compile("\n".join(ours), "cell", "exec")


def test_a_cell_magic_below_the_graded_marker_is_a_line_ipython_cannot_run():
    ours, reasons = graded_lines("# graded\n%%time\nz = 1")
    assert "first line" in reasons[2] and ours[2] == "z = 1"


def test_call_syntax_is_graded_as_ipython_translates_it():
    ours, reasons = graded_lines("def f(*a):\n    return a\n/f 1 2\n,f a b\n;f a b")
    assert ours[2:] == ["f(1, 2)", 'f("a", "b")', 'f("a b")'] and "graded as f(1, 2)" in reasons[3]


def test_colab_statements_spread_over_lines_are_dropped_whole():
    ours, reasons = graded_lines("from google.colab import (\n    drive)\ndrive.mount(\n    '/content/drive')\nk = 1")
    assert set(reasons) == {1, 2, 3, 4} and ours[4] == "k = 1"
    compile("\n".join(ours), "cell", "exec")
    assert graded_lines("doc = '''call drive.mount( first'''")[1] == {}  # words in a string are not a call


def test_a_cell_too_long_to_read_is_a_notebook_error(monkeypatch):
    import bench.notebook

    monkeypatch.setattr(bench.notebook, "_READ_BUDGET", 2000)
    cell = "# graded\n" + "%time x = 1\n" * 100
    with pytest.raises(errors.NotebookError, match="code cell 1 could not be read: the notebook's graded cells"):
        extract_bytes(raw([raw_code(cell)]), "exp06_anomaly.ipynb")
