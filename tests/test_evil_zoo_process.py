"""The evil zoo under the `process` layer: what that layer promises, and only that.

`process` is no security boundary (it is what a self-check gets where
bubblewrap is absent), so the attacks on the machine are not run here. What it
does promise holds against the attacks on the harness's own logic: a forged or
garbled reply, a patched harness helper, escapes in an exception and an import
of the harness are each the submission's own, exact failure, never a harness
error, and an honest submission graded in the same session is unaffected.
"""

from __future__ import annotations

import shutil

import pytest
from test_evil_zoo import ALL_CHECKS, EVIL, EXPECTED, HONEST, HONEST_MODULE, _CONTROL_CHARACTERS, _strings

from conftest import ZOO, checks_of, run_bench

pytestmark = pytest.mark.e2e  # whole bench sessions: not in the fast tier

PROMISED = ("ansi_exception", "forged_reply", "imports_solution", "patches_error_payload", "patches_harness")


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("evil-process")
    subs = tmp / "subs"
    for attack in PROMISED:
        shutil.copytree(EVIL / attack, subs / attack)
        shutil.copyfile(HONEST_MODULE, subs / attack / "honest.py")
    shutil.copytree(ZOO / "healthy", subs / "honest")
    return run_bench(tmp, "-k", "exp06", "--submissions-dir", str(subs), "--submission", "all",
                     "--budget-scale", "0.1", "--isolation", "process", "--no-fail-on-marks", timeout=600)


def test_the_session_exits_0_with_no_harness_error(session):
    proc, record = session
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert record["environment"]["isolation"] == "process"
    kinds = [c["kind"] for e in record["submissions"].values() for c in e["exp06"]["checks"]]
    assert "harness_error" not in kinds
    bad = [m.group() for t in [*_strings(record), proc.stdout] for m in _CONTROL_CHARACTERS.finditer(t)]
    assert bad == []


@pytest.mark.parametrize("attack", PROMISED)
def test_attack_gets_the_same_outcome_as_in_the_sandbox(session, attack):
    _, record = session
    checks, honest = checks_of(record, attack, "exp06"), checks_of(record, "honest", "exp06")
    for name in ALL_CHECKS:
        want = EXPECTED[attack].get(name, HONEST)
        c = checks[name]
        if want == HONEST:
            assert (c["status"], c["kind"], c["score"]) == (honest[name]["status"], honest[name]["kind"],
                                                           honest[name]["score"]), (name, c["message"])
            continue
        status, kind, words = want
        assert (c["status"], c["kind"]) == (status, kind), (name, c["message"])
        assert all(word in c["message"] for word in words), (name, c["message"])
