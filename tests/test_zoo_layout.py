"""The zoos' expected outcomes are read from files beside each member; a mistake there is a loud error."""

from __future__ import annotations

import pytest

import zoos


def test_every_zoo_member_has_an_expected_outcome_naming_real_checks():
    found = zoos.discover()
    assert len(found) >= 8 and all(members for members in found.values())
    assert found["exp05"]["bad_attention"].own_session
    assert found["exp05"]["bad_attention"].args == ("--quick", "--budget-scale", "2")
    assert found["exp05"]["copies_source"].args == ("--quick",)  # the zoo's own options
    assert found["exp09"]["ignores_env"].fails == {
        "trains_within_budget": zoos.Failure(words=("never stepped the environment",)),
        "greedy_return": zoos.Failure(words=("a fixed rule cannot adapt",))}
    harness = zoos.read(zoos.TESTS / "zoo", "exp06")  # the harness's own zoo: statuses and kinds too
    assert harness["missing_file"].fails["interface"] == zoos.Failure(
        words=("exp06_anomaly.py", "Did you mean exp6_anomaly.py"), status="error", kind="missing_file")
    assert harness["healthy"].fails == {} and zoos.zoo_args(zoos.TESTS / "zoo")[:2] == ("--budget-scale", "0.1")


def _zoo(tmp_path, expected: str | None, member: str = "broken"):
    folder = tmp_path / "zoo_exp09" / member
    folder.mkdir(parents=True)
    if expected is not None:
        (folder / "expected.toml").write_text(expected)
    return tmp_path


def test_a_member_without_its_expected_file_is_an_error_not_a_silent_omission(tmp_path):
    with pytest.raises(zoos.ZooError, match=r"broken: no expected.toml.*Fix: write one"):
        zoos.discover(_zoo(tmp_path, None))


def test_a_check_the_experiment_lacks_is_named_with_the_checks_it_has(tmp_path):
    with pytest.raises(zoos.ZooError, match=r"exp09 has no check 'greedy_returns'\. Its checks: interface, "
                                            r"trains_within_budget, greedy_return"):
        zoos.discover(_zoo(tmp_path, '[fails]\n"greedy_returns" = "random"\n'))


@pytest.mark.parametrize("text, words", [
    ('[fail]\n"greedy_return" = "x"\n', "unknown key fail"),
    ("[fails]\n", "must map each check"),
    ('[fails]\n"greedy_return" = ""\n', "must be the words its message contains"),
    ('[fails]\n"greedy_return" = "x"\n[session]\nargs = "--quick"\n', "must be a list of strings"),
    ('[fails]\n"greedy_return" = "x"\n[session]\nflags = []\n', r"takes args \(a list of bench options\) and/or checks"),
    ('[fails]\n"greedy_return" = "x"\n[session]\nchecks = ["act"]\n', "must be a -k expression"),
    ('[fails\n', "not valid TOML"),
    ('[fails]\n"greedy_return" = {words = "x", status = "failed"}\n', "optionally status"),
    ('[fails]\n"greedy_return" = {status = "fail"}\n', "a table with words"),
    ('[fails]\n"greedy_return" = {words = [], kind = "timeout"}\n', "a table with words"),
    ('control = true\n[fails]\n"greedy_return" = "x"\n', "fails nothing"),
    ('[fails]\n"greedy_return" = {words = "x", credit = "some"}\n', "credit"),
])
def test_malformed_expected_files_say_what_is_wrong(tmp_path, text, words):
    with pytest.raises(zoos.ZooError, match=words):
        zoos.discover(_zoo(tmp_path, text))


def test_partial_credit_is_checked_as_some_but_not_all():
    failure = zoos.Failure(words=("one side",), partial=True)
    check = {"status": "fail", "kind": "below_target", "message": "flags only one side"}
    assert failure.problems({**check, "score": 0.5}) == []
    assert failure.problems({**check, "score": 0.0}) == ["credit 0.0, expected partial"]
    assert failure.problems({**check, "score": 1.0}) == ["credit 1.0, expected partial"]
    assert zoos.Failure(words=("one side",)).problems({**check, "score": 0.5}) == ["credit 0.5, expected none"]
