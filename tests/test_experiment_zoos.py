"""Each experiment's broken submissions lose exactly the marks of the checks that should catch them.

Every zoo (tests/zoo_expNN/<defect>/) is graded in one bench session (members
whose expected.toml asks for a session of their own, in one per distinct set of
options and checks: two members graded alike share it); a member must fail
precisely the checks its expected.toml lists, each with a message that names
the problem, and pass everything else (see tests/zoos.py). Speed checks are left out: they compare
with the reference on a shared machine, and no defect here is about speed.

Most members are the reference solution with one defect: they import the rest
from `reference_solution`, a copy of the experiment's reference module that
the test puts beside each member, the way a student would copy course code
into their folder (the reference itself is out of a worker's reach).
"""

from __future__ import annotations

import shutil

import pytest

from reference import EXPERIMENTS, module_path

import zoos
from conftest import REPO, checks_of, run_bench

pytestmark = pytest.mark.e2e  # whole bench sessions: not in the fast tier

ZOOS = zoos.discover()


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    cache = {}

    def graded(experiment: str, member: str) -> dict:
        expected = ZOOS[experiment][member]
        session = (experiment, expected.session)
        if session not in cache:
            names = [m for m, e in ZOOS[experiment].items() if e.session == expected.session]
            tmp = tmp_path_factory.mktemp(experiment)
            zoo = shutil.copytree(REPO / "tests" / f"zoo_{experiment}", tmp / "zoo")
            for folder in zoo.iterdir():
                if folder.is_dir():
                    shutil.copyfile(module_path(EXPERIMENTS[experiment]), folder / "reference_solution.py")
            chosen = [arg for name in names for arg in ("--submission", name)]
            selected = f"{experiment} and ({expected.checks})" if expected.checks else experiment
            _, cache[session] = run_bench(tmp, "-k", selected, "-m", "not speed", "--submissions-dir", str(zoo),
                                          *chosen, "--seed", "1", *expected.args)
        return cache[session]
    return graded


@pytest.mark.parametrize("experiment, member", [(e, m) for e, members in ZOOS.items() for m in members])
def test_member_fails_exactly_its_checks(records, experiment, member):
    expected = ZOOS[experiment][member].fails
    checks = checks_of(records(experiment, member), member, experiment)
    failed = {name for name, c in checks.items() if c["status"] != "pass"}
    assert failed == set(expected), {n: checks[n]["message"][:200] for n in failed ^ set(expected) if n in checks}
    for name, failure in expected.items():
        assert not failure.problems(checks[name]), (name, failure.problems(checks[name]), checks[name]["message"])
