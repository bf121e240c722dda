"""The lab manual's own packages are there for submissions, and what cannot be had offline is said plainly."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import offline, packages
from bench.notebook import extract_bytes
from bench.submission import Source
from bench.text import clean_text

from conftest import REPO


@pytest.mark.parametrize("module", ["nltk", "IPython", "seaborn", "findspark"])
def test_the_manuals_packages_are_declared_and_installed(module):
    assert importlib.util.find_spec(module) is not None, f"{module}: pip install -e . installs it"
    assert module.lower() in {d.lower() for d in packages.declared()}


def test_the_missing_package_message_lists_what_submissions_can_import():
    shown = packages.for_submissions()
    for expected in ("numpy", "sklearn (scikit-learn)", "torch", "tensorflow", "nltk", "seaborn", "findspark",
                     "IPython", "pyspark", "scipy"):
        assert expected in shown
    assert not {"pytest", "hypothesis", "jinja2", "nbformat"} & set(shown)  # the grader's tools, not the course's


def test_findspark_init_finds_the_pip_installed_pyspark_without_spark_home():
    env = {k: v for k, v in os.environ.items() if k not in ("SPARK_HOME", "PYSPARK_PYTHON")}
    script = ("import os, findspark; findspark.init(); import pyspark; "
              "print(os.environ['SPARK_HOME'] == os.path.dirname(pyspark.__file__))")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "True", done.stderr[-2000:]


NLTK_NOW = ("\n****\n  Resource 'stopwords' not found.\n  Please use the NLTK Downloader to obtain the resource:\n\n"
            "  >>> import nltk\n  >>> nltk.download('stopwords')\n")
NLTK_BEFORE = clean_text("\n****\n  Resource \x1b[93mpunkt_tab\x1b[0m not found.\n  Please use the NLTK Downloader "
                         "to obtain the resource:\n\n  >>> import nltk\n  >>> nltk.download('punkt_tab')\n")


@pytest.mark.parametrize("message, resource, advice", [
    (NLTK_NOW, "stopwords", "ENGLISH_STOP_WORDS"),
    (NLTK_BEFORE, "punkt_tab", "wordpunct_tokenize"),
    ("Resource 'corpora/wordnet' not found. nltk.download('wordnet')", "corpora/wordnet", "PorterStemmer"),
])
def test_nltks_missing_data_is_recognised_and_an_offline_alternative_named(message, resource, advice):
    assert offline.nltk_resource(message) == resource
    text = offline.nltk_message(resource, "calling f()")
    assert text.startswith(f"calling f() needed nltk's data '{resource}', which is not installed") and advice in text


def test_other_lookup_errors_are_not_nltks():
    assert offline.nltk_resource("'key' not found in the table") is None
    assert offline.nltk_resource("Resource x not found") is None  # no mention of nltk


def test_staged_graded_code_is_named_by_the_notebooks_cells_in_any_text():
    import json

    data = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "source": "# graded\na = 1\nb = 2", "outputs": []},
        {"cell_type": "code", "metadata": {}, "source": "# graded\nc = 3", "outputs": []}]}).encode()
    source = Source("s", Path("exp01_cnn_rnn.ipynb"), "ipynb", "", notebook=extract_bytes(data, "exp01_cnn_rnn.ipynb"))
    staged = "/labmark/in/src/exp01_cnn_rnn_graded_cells.py"
    text = (f'Traceback:\n  File "{staged}", line 6, in <module>\n    c = 3\n{staged}:3: UserWarning: careful\n'
            f"while importing exp01_cnn_rnn_graded_cells.py")
    assert source.relabel(text) == ('Traceback:\n  File "exp01_cnn_rnn.ipynb", code cell 2, line 2, in <module>\n'
                                    "    c = 3\nexp01_cnn_rnn.ipynb, code cell 1, line 3: UserWarning: careful\n"
                                    "while importing exp01_cnn_rnn.ipynb")
    plain = Source("s", Path("exp01_cnn_rnn.py"), "py", "")
    assert plain.relabel(text) == text
