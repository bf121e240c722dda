"""Every deliberately broken submission gets its own specific outcome, and none stops the run.

One bench session grades the whole zoo (tests/zoo/<defect>/) on Experiment 6
with small budgets; each test below reads that session's run record.
"""

from __future__ import annotations

import pytest

from conftest import ZOO, checks_of, run_bench

pytestmark = pytest.mark.e2e  # whole bench sessions: not in the fast tier

INTERFACE_DEPENDENT = {"zscore_flat_series_flags_nothing", "zscore_shift_invariant", "zscore_scale_invariant",
                       "zscore_short_series", "detector_f1[zscore]", "detector_f1[isolation_forest]",
                       "detector_f1[one_class_svm]", "speed"}

ZSCORE_CHECKS = ["zscore_flat_series_flags_nothing", "zscore_shift_invariant", "zscore_scale_invariant",
                 "zscore_short_series", "detector_f1[zscore]"]

# member -> (the checks that catch it, status, kind, words each message must contain)
EXPECTED = {
    "missing_file": (["interface"], "error", "missing_file", ["exp06_anomaly.py", "Did you mean exp6_anomaly.py"]),
    "syntax_error": (["interface"], "error", "syntax_error_in_submission", ["line 12", "expected ':'"]),
    "missing_function": (["interface"], "fail", "missing_function", ["one_class_svm_detector(series, period, seed)",
                                                                     "ocsvm_detector"]),
    "wrong_signature": (["interface"], "fail", "wrong_signature", ["zscore_detector(series)", "2 positional"]),
    "infinite_loop": (["interface"], "error", "timeout", ["Importing exp06_anomaly.py", "module level"]),
    "downloads_mnist": (["interface"], "error", "network_blocked", ["storage.googleapis.com", "no network"]),
    "wrong_output_shape": (ZSCORE_CHECKS, "fail", "bad_output", ["returned an array of shape", "one flag per sample"]),
    "always_equal": (ZSCORE_CHECKS, "fail", "bad_output", ["AlwaysEqual", "numpy array"]),
    "nan_outputs": (["detector_f1[isolation_forest]"], "fail", "bad_output", ["NaN"]),
    "raises_during_training": (["detector_f1[isolation_forest]"], "error", "raised",
                               ["InvalidParameterError", "contamination", "line 24"]),
    "allocates_30gb": (["detector_f1[isolation_forest]"], "error", "memory_limit", ["memory", "line 24"]),
    "calls_sys_exit": (["detector_f1[isolation_forest]"], "error", "exited", ["sys.exit(0)"]),
    "sleeps_forever": (["detector_f1[one_class_svm]"], "error", "timeout", ["did not finish within its budget"]),
    "prints_200mb": (["detector_f1[one_class_svm]"], "error", "output_flood", ["printed more than"]),
    "calls_os_exit": (["detector_f1[one_class_svm]"], "error", "exited", ["exit code 0", "os._exit"]),
}


@pytest.fixture(scope="module")
def zoo_record(tmp_path_factory):
    _, record = run_bench(tmp_path_factory.mktemp("zoo"), "-k", "exp06", "--submissions-dir", str(ZOO),
                          "--submission", "all", "--budget-scale", "0.1", "--seed", "1")
    return record


def test_every_member_is_graded_on_every_check(zoo_record):
    members = sorted(p.name for p in ZOO.iterdir() if p.is_dir())
    assert sorted(zoo_record["submissions"]) == members
    for member in members:
        names = set(checks_of(zoo_record, member, "exp06"))
        assert names == INTERFACE_DEPENDENT | {"interface"}, member


def test_the_control_member_is_unaffected(zoo_record):
    for name, c in checks_of(zoo_record, "healthy", "exp06").items():
        assert c["kind"] in (None, "below_target"), (name, c["message"])


@pytest.mark.parametrize("member", sorted(EXPECTED))
def test_member_gets_its_specific_outcome(zoo_record, member):
    checks = checks_of(zoo_record, member, "exp06")
    names, status, kind, words = EXPECTED[member]
    for name in names:
        caught = checks[name]
        assert (caught["status"], caught["kind"]) == (status, kind), (name, caught["message"])
        for word in words:
            assert word in caught["message"], (name, word, caught["message"])
        assert caught["score"] == 0.0
    for other, c in checks.items():
        if other in names:
            continue
        if names == ["interface"]:
            # Nothing else can run: skipped with the reason, never failed a second time.
            assert c["status"] == "skipped" and "interface check failed" in c["message"], (other, c)
        elif other == "speed":
            assert c["status"] == "skipped" and "failed" in c["message"], c
        else:
            assert c["kind"] in (None, "below_target"), (other, c["status"], c["message"])
