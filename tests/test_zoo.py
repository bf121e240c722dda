"""Every deliberately broken submission gets its own specific outcome, and none stops the run.

One bench session grades the whole zoo (tests/zoo/<defect>/) on Experiment 6
with small budgets (tests/zoo/zoo.toml); each test below reads that session's
run record. Each member's expected.toml names the checks that must catch it,
with their status, kind and words; what happens to its other checks is the
harness's rule, asserted here.
"""

from __future__ import annotations

import pytest

import zoos
from bench.checks.catalog import check_names
from bench.checks.test_exp06_anomaly import SPEED_NEEDS  # the checks whose failure on its outputs skips speed
from conftest import ZOO, checks_of, run_bench

pytestmark = pytest.mark.e2e  # whole bench sessions: not in the fast tier

EXPECTED = zoos.read(ZOO, "exp06")  # member -> the checks that catch it and how (tests/zoo/<member>/expected.toml)


@pytest.fixture(scope="module")
def zoo_record(tmp_path_factory):
    _, record = run_bench(tmp_path_factory.mktemp("zoo"), "-k", "exp06", "--submissions-dir", str(ZOO),
                          "--submission", "all", *zoos.zoo_args(ZOO))
    return record


def test_every_member_is_graded_on_every_check(zoo_record):
    members = sorted(p.name for p in ZOO.iterdir() if p.is_dir())
    assert sorted(zoo_record["submissions"]) == members
    for member in members:
        names = set(checks_of(zoo_record, member, "exp06"))
        assert names == set(check_names("exp06")), member


def test_the_control_member_is_unaffected(zoo_record):
    for control in (m for m, e in EXPECTED.items() if not e.fails):
        for name, c in checks_of(zoo_record, control, "exp06").items():
            assert c["kind"] in (None, "below_target"), (name, c["message"])


@pytest.mark.parametrize("member", sorted(m for m, e in EXPECTED.items() if e.fails))
def test_member_gets_its_specific_outcome(zoo_record, member):
    checks = checks_of(zoo_record, member, "exp06")
    fails = EXPECTED[member].fails
    for name, failure in fails.items():
        assert not failure.problems(checks[name]), (name, failure.problems(checks[name]), checks[name]["message"])
    for other, c in checks.items():
        if other in fails:
            continue
        if set(fails) == {"interface"}:
            # Nothing else can run: skipped with the reason, never failed a second time.
            assert c["status"] == "skipped" and "interface check failed" in c["message"], (other, c)
        elif other == "speed" and not all(f.kind == "below_target" for name, f in fails.items()
                                          if name.split("[")[0] in SPEED_NEEDS):
            assert c["status"] == "skipped" and "failed" in c["message"], c
        else:
            assert c["kind"] in (None, "below_target"), (other, c["status"], c["message"])
