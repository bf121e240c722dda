"""The worker boundary: limits, process-tree kills, and what may come back.

Every test runs under both isolation layers (the sandbox's where bubblewrap
can start here); what only the sandbox promises is in tests/test_sandbox.py.
"""

from __future__ import annotations

import os
import textwrap
import time

import numpy as np
import pytest

from bench import errors
from bench.isolation import sandbox
from bench.inside import helpers
from bench.text import clean_text
from bench.host import process_tree
from bench.worker import Handle, Limits, Make, Worker

from reference import Budget

from conftest import LAYERS, alive, cmdline, pids


@pytest.fixture(params=LAYERS)
def layer(request) -> sandbox.Isolation:
    return sandbox.resolve(request.param)


@pytest.fixture
def worker_for(tmp_path, layer):
    made = []

    def make(source: str, **limits) -> Worker:
        path = tmp_path / "student.py"
        path.write_text(textwrap.dedent(source))
        w = Worker("test", Limits(**limits), isolation=layer)
        made.append(w)
        w.load(path, "student", [], timeout=30)
        return w

    yield make
    for w in made:
        w.close()


def test_values_round_trip_and_objects_stay_behind(worker_for):
    w = worker_for("""
        import numpy as np
        class Model: pass
        def f(x, budget):
            return Model(), {"loss": [1.0, 0.5], "x2": x * 2, "seed": budget.seed}
    """)
    (model, info), seconds = w.call("f", np.arange(3.0), Budget(5, seed=7), timeout=10, model="pair")
    assert isinstance(model, Handle) and model.type.endswith("Model")
    assert info["loss"] == [1.0, 0.5] and info["seed"] == 7
    np.testing.assert_array_equal(info["x2"], [0.0, 2.0, 4.0])
    assert seconds > 0


MODELS_OF_PARTS = """
    import numpy as np
    from reference.spec import Trained

    class Classifier:
        def predict(self, x):
            return (x > 0).astype(np.int64)

    class Scaler:
        def transform(self, x):
            return x - 1.0

    def with_preprocessing():
        return Classifier(), {"scaler": Scaler(), "columns": ["age", "hours"]}

    def with_scaler():
        return Classifier(), Scaler()

    def with_stats():
        return Classifier(), {"mean": np.zeros(3), "std": np.ones(3)}

    def with_history():
        import torch
        return Classifier(), {"loss": [torch.tensor(0.9), 0.5], "steps": 120}

    def named():
        return Trained(Classifier(), {"loss": [0.9, 0.5]})

    def single():
        return Classifier()

    def predict(model, x):
        if isinstance(model, tuple):
            classifier, pre = model
            if isinstance(pre, dict) and "mean" in pre:
                return classifier.predict((x - 1.0 - pre["mean"][0]) / pre["std"][0])
            scaler = pre["scaler"] if isinstance(pre, dict) else pre
            return classifier.predict(scaler.transform(x))
        return model.predict(x)
"""


@pytest.mark.parametrize("fn", ["with_preprocessing", "with_scaler", "with_stats"])
@pytest.mark.parametrize("returns", [True, "history"])
def test_a_model_made_of_parts_stays_in_the_worker_as_one_handle(worker_for, fn, returns):
    """(classifier, preprocessing) is one model, whatever the interface allows beside it: it comes back as one
    handle (never a Handle inside data the parent would have to send back) and predict receives it whole."""
    w = worker_for(MODELS_OF_PARTS)
    value, _ = w.call(fn, timeout=30, model=returns)
    model = value.model if returns == "history" else value
    if returns == "history":
        assert value.history is None
    assert isinstance(model, Handle) and model.type == "builtins.tuple"
    pred, _ = w.call("predict", model, np.array([0.5, 1.5, 3.0]), timeout=30)
    np.testing.assert_array_equal(pred, [0, 1, 1])


def test_a_history_comes_back_as_data_only_where_the_interface_allows_it(worker_for):
    w = worker_for(MODELS_OF_PARTS)
    (model, history), _ = w.call("with_history", timeout=60, model="history")
    assert isinstance(model, Handle) and model.type.endswith("Classifier")
    assert history == {"loss": [pytest.approx(0.9), 0.5], "steps": 120}
    whole, _ = w.call("with_history", timeout=60, model=True)  # "model": the pair is the model
    assert isinstance(whole, Handle) and whole.type == "builtins.tuple"


@pytest.mark.parametrize("returns", [True, "history"])
def test_a_named_trained_return_gives_its_model(worker_for, returns):
    w = worker_for(MODELS_OF_PARTS)
    value, _ = w.call("named", timeout=30, model=returns)
    model = value.model if returns == "history" else value
    assert isinstance(model, Handle) and model.type.endswith("Classifier")
    if returns == "history":
        assert value.history == {"loss": [0.9, 0.5]}
    pred, _ = w.call("predict", model, np.array([-1.0, 2.0]), timeout=30)
    np.testing.assert_array_equal(pred, [0, 1])


def test_a_pair_return_gives_its_model_and_the_extra_part(worker_for):
    """"(model, report)": the first item is the model, whole; a function that returned no pair gives one handle."""
    w = worker_for(MODELS_OF_PARTS)
    (model, report), _ = w.call("with_history", timeout=60, model="pair")
    assert isinstance(model, Handle) and report["steps"] == 120
    value, _ = w.call("named", timeout=30, model="pair")
    assert isinstance(value, tuple) and value[0].type.endswith("Classifier") and value[1] == {"loss": [0.9, 0.5]}
    single, _ = w.call("single", timeout=30, model="pair")
    assert isinstance(single, Handle) and single.type.endswith("Classifier")


def test_object_arrays_never_cross(worker_for):
    w = worker_for("""
        import numpy as np
        def f():
            return np.array([object(), 1], dtype=object)
    """)
    value, _ = w.call("f", timeout=10)
    assert isinstance(value, Handle)  # kept in the worker; the parent never unpickles


def test_a_forged_result_file_is_not_unpickled(worker_for):
    w = worker_for("""
        import numpy as np
        def forge():
            np.save("../out/r9.npy", np.array([{"evil": 1}], dtype=object), allow_pickle=True)
    """)
    w.call("forge", timeout=10)
    with pytest.raises(errors.BadOutput, match="not a plain numeric array"):
        w._load_array("r9.npy", "forge()")


def test_result_names_outside_the_out_folder_are_refused(worker_for):
    w = worker_for("def f():\n    return 1\n")
    with pytest.raises(errors.BadOutput, match="unexpected result file"):
        w._load_array("../in/secret.npy", "f()")


def test_memory_growth_is_stopped_at_the_limit(worker_for):
    w = worker_for("""
        import numpy as np
        def grow():
            hoard = []
            while True:
                hoard.append(np.ones(50 * 2**20, dtype=np.uint8))
    """, memory_mb=600)
    with pytest.raises(errors.MemoryLimit, match="over its limit of 0.6 GiB"):
        w.call("grow", timeout=60)
    assert w.proc.poll() is not None


def test_the_whole_process_tree_is_killed(worker_for):
    token = f"labmark-kill-test-{os.getpid()}-{time.monotonic_ns()}"
    w = worker_for(f"""
        import os, subprocess, sys, time
        def spawn():
            subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "{token}"])
            subprocess.Popen([sys.executable, "-c", "import os, time; os.setsid(); time.sleep(600)", "{token}"])
            time.sleep(600)
    """, grace_seconds=0.5)
    with pytest.raises(errors.Timeout):
        w.call("spawn", timeout=3)
    time.sleep(0.2)
    survivors = [pid for pid in pids() if token in cmdline(pid) and alive(pid)]
    assert not survivors, "descendants survived the kill, one of them after leaving the session"


def test_later_calls_reraise_why_the_worker_stopped(worker_for):
    w = worker_for("import os\ndef die():\n    os._exit(3)\ndef ok():\n    return 1\n")
    with pytest.raises(errors.Exited, match="exit code 3"):
        w.call("die", timeout=10)
    with pytest.raises(errors.Exited, match="exit code 3"):
        w.call("ok", timeout=10)


def test_output_is_captured_capped_and_cleaned(worker_for):
    w = worker_for("""
        def chatty():
            print("\\x1b[31mred\\x1b[0m\\rprogress\\x07")
            for i in range(20000):
                print("line", i)
            return 0
    """)
    w.call("chatty", timeout=30)
    time.sleep(0.2)
    text = w.output.text()
    assert "red" in text and "\x1b" not in text and "\x07" not in text
    assert "line 19999" in text and "bytes not kept" in text
    assert len(text) < 80_000


def test_stdin_is_closed(worker_for):
    w = worker_for("def ask():\n    return input('name? ')\n")
    with pytest.raises(errors.Raised, match="EOFError"):
        w.call("ask", timeout=10)


def test_clean_text_keeps_newlines_and_tabs():
    assert clean_text("a\tb\r\nc\x1b[2Kd\x00") == "a\tb\ncd"


def test_process_tree_includes_self():
    assert os.getpid() in process_tree(os.getpid())


def test_harness_code_can_build_arguments_and_drive_student_functions(worker_for):
    w = worker_for("""
        def noisy(value, rng):
            return value + rng.normal()
    """)
    value, _ = w.call("noisy", 1.0, Make(helpers.rng, 3), timeout=10)
    import numpy as np

    assert value == 1.0 + np.random.default_rng(3).normal()
    draws, _ = w.harness(helpers.repeat, "noisy", 500, 0.0, Make(helpers.rng, 3),
                         timeout=10)
    assert draws.shape == (500,) and abs(draws.std() - 1) < 0.15


def test_checks_can_name_only_functions_of_the_worker_package():
    import os as not_inside

    assert Make(helpers.rng, 3).factory == "helpers:rng"
    with pytest.raises(ValueError, match="not a function of the worker package"):
        Make(not_inside.system, "echo pwned")


def test_only_harness_functions_can_be_named(worker_for):
    w = worker_for("def f(x):\n    return x\n")
    with pytest.raises(errors.Raised, match="not a harness function"):
        w.harness("os:system", "echo pwned", timeout=10)


def test_tables_travel_column_by_column(worker_for):
    import pandas as pd

    w = worker_for("""
        def describe(table):
            return {"columns": list(table.columns), "dtypes": [str(t) for t in table.dtypes],
                    "women": int((table["sex"] == "Female").sum()), "age": table["age"].to_numpy()}
    """)
    table = pd.DataFrame({"age": [30, 41, 25], "sex": ["Male", "Female", "Female"]})
    value, _ = w.call("describe", table, timeout=20)
    assert value["columns"] == ["age", "sex"] and value["women"] == 2
    np.testing.assert_array_equal(value["age"], [30, 41, 25])


@pytest.mark.slow  # the worker imports TensorFlow and PyTorch: seconds each, left out of the fast tier
def test_the_gpu_memory_cap_is_set_when_the_student_imports_a_framework(tmp_path, layer):
    """On a machine without a GPU the cap has nothing to apply to, and says so: what matters here is that
    it runs at the student's own `import torch`, and that torch then works as usual."""
    path = tmp_path / "uses_torch.py"
    path.write_text("import torch\nfrom labmark_worker import gpu\n"
                    "def caps():\n    return dict(gpu.applied), float(torch.ones(3).sum())\n")
    with Worker("gpu-cap", Limits(), isolation=layer, env={"LABMARK_GPU_MEMORY_MB": "512"}) as w:
        w.load(path, "uses_torch", [], timeout=120)
        (applied, total), _ = w.call("caps", timeout=30)
    assert total == 3.0 and "torch" in applied


def test_the_experiments_libraries_are_imported_before_the_submission(tmp_path, layer):
    """So that reading a library from a cold disk is import time, never a training budget's (bench/runner.py)."""
    path = tmp_path / "lazy.py"
    path.write_text("import sys\nAT_IMPORT = 'wave' in sys.modules\ndef loaded_first():\n    return AT_IMPORT\n")
    for preload, expected in ((("no_such_library_here", "wave"), True), ((), False)):
        with Worker("preload", Limits(), isolation=layer) as w:
            w.load(path, "lazy", ["loaded_first"], timeout=30, preload=preload)  # one not installed: left alone
            assert w.call("loaded_first", timeout=10)[0] is expected


# --- a notebook's failures are named by its cells and lines -------------------------------------

def _notebook_worker(tmp_path, layer, cells: list[str]) -> tuple[Worker, object, object]:
    """A worker about to import a notebook's graded code, staged as grading stages it."""
    import json
    from pathlib import Path

    from bench import submission
    from bench.notebook import extract_bytes

    data = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {"tags": ["graded"]}, "source": c, "outputs": [], "execution_count": None}
        for c in cells]}).encode()
    source = submission.Source("s", Path("exp06_anomaly.ipynb"), "ipynb", "", files={"exp06_anomaly.ipynb": data},
                               notebook=extract_bytes(data, "exp06_anomaly.ipynb"))
    w = Worker("test", Limits(), isolation=layer)
    w.locate, w.relabel = source.where, source.relabel
    (w.workdir / "in" / "src").mkdir(mode=0o755)
    return w, source, submission.stage(source, w.workdir / "in" / "src")


def test_a_blocked_download_in_a_notebook_names_its_cell_and_line(tmp_path, layer):
    w, source, path = _notebook_worker(tmp_path, layer, [
        "import numpy as np", "%matplotlib inline\nimport urllib.request\nurllib.request.urlopen('http://example.com')"])
    with w, pytest.raises(errors.NetworkBlocked) as caught:
        w.load(path, "exp06_anomaly", [], timeout=30, shown=source.path.name)
    message = caught.value.message
    assert "while importing exp06_anomaly.ipynb (exp06_anomaly.ipynb, code cell 2, line 3)" in message, message
    assert "example.com" in message and "_graded_cells" not in message + caught.value.detail


def test_a_traceback_from_a_notebook_names_cells_not_the_staged_file(tmp_path, layer):
    w, source, path = _notebook_worker(tmp_path, layer, ["def f():\n    return g()", "\ndef g():\n    raise KeyError('x')"])
    with w:
        w.load(path, "exp06_anomaly", ["f"], timeout=30, shown=source.path.name)
        with pytest.raises(errors.Raised) as caught:
            w.call("f", timeout=10)
    detail = caught.value.detail
    assert "(exp06_anomaly.ipynb, code cell 2, line 3)" in caught.value.message
    assert 'File "exp06_anomaly.ipynb", code cell 1, line 2, in f' in detail
    assert 'File "exp06_anomaly.ipynb", code cell 2, line 3, in g' in detail and "_graded_cells" not in detail


def test_nltk_download_and_missing_nltk_data_say_what_needs_no_download(tmp_path, layer):
    w, source, path = _notebook_worker(tmp_path, layer, ["import nltk\n\nnltk.download('stopwords', quiet=True)"])
    with w, pytest.raises(errors.NetworkBlocked) as caught:
        w.load(path, "exp06_anomaly", [], timeout=60, shown=source.path.name)
    message = caught.value.message
    assert "through nltk while importing exp06_anomaly.ipynb (exp06_anomaly.ipynb, code cell 1, line 3)" in message
    assert "not installed where submissions are graded" in message and "no network" in message

    w, source, path = _notebook_worker(tmp_path, layer, [
        "from nltk.corpus import stopwords\nSTOP = set(stopwords.words('english'))"])
    with w, pytest.raises(errors.MissingData) as caught:
        w.load(path, "exp06_anomaly", [], timeout=60, shown=source.path.name)
    message = caught.value.message
    assert message.startswith("importing exp06_anomaly.ipynb (exp06_anomaly.ipynb, code cell 1, line 2) needed "
                              "nltk's data 'stopwords'"), message
    assert "ENGLISH_STOP_WORDS" in message and caught.value.evidence["resource"] == "stopwords"
