"""The hints a failed check gives where a score alone would mislead: each says what the evidence shows."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

exp01 = importlib.import_module("bench.checks.test_exp01_cnn_rnn")


def test_exp01_high_training_accuracy_then_chance_on_its_own_training_images_is_a_prediction_mismatch():
    hint = exp01.chance_diagnosis("cnn", test=0.10, top_class=1, top_share=1.0, history=0.91, on_training=0.09,
                                  sample=512)
    assert "reached 0.91 accuracy in training" in hint and "training images it was trained on gets 0.09" in hint
    assert "predicts class 1 for 100%" in hint and "255 a second time" in hint and "label mapping" in hint
    assert "too briefly" not in hint


def test_exp01_chance_on_training_images_without_a_history_names_both_possible_causes():
    hint = exp01.chance_diagnosis("rnn", test=0.11, top_class=3, top_share=0.4, history=None, on_training=0.12,
                                  sample=512)
    assert "gets 0.12 even on 512 of the training images" in hint
    assert "training did not learn" in hint and "scaling by 255 twice" in hint and "predicts class" not in hint


def test_exp01_chance_on_training_images_after_a_low_training_accuracy_is_a_training_problem():
    hint = exp01.chance_diagnosis("rnn", test=0.11, top_class=3, top_share=0.4, history=0.12, on_training=0.11,
                                  sample=512)
    assert "its history's last epoch says 0.12" in hint and "training did not learn" in hint
    assert "did learn" not in hint


def test_exp01_right_on_training_images_and_wrong_on_test_images_does_not_carry_over():
    hint = exp01.chance_diagnosis("cnn", test=0.12, top_class=0, top_share=0.3, history=0.99, on_training=0.98,
                                  sample=512)
    assert "0.98 on 512 of the training images but 0.12 on the test images" in hint and "memorised" in hint


@pytest.mark.parametrize("on_training, history", [(None, None), (None, 0.3)])
def test_exp01_no_evidence_no_diagnosis(on_training, history):
    assert exp01.chance_diagnosis("cnn", 0.1, 0, 0.2, history, on_training, 512) == ""


def test_exp01_a_history_alone_still_names_the_mismatch_when_the_training_images_cannot_be_predicted():
    hint = exp01.chance_diagnosis("cnn", 0.1, 4, 0.95, history=0.93, on_training=None, sample=512)
    assert "after 0.93 accuracy in training" in hint and "predicts class 4 for 95%" in hint
    assert "255 a second time" in hint


exp03 = importlib.import_module("bench.checks.test_exp03_text")


def test_exp03_labels_that_change_with_the_other_texts_name_refitting_the_vectoriser():
    hint = exp03.refit_hint({"texts": 300, "accuracy": 0.21, "alone": 150, "changed_alone": 0.86}, 0.14)
    assert hint.startswith("predict() does not reproduce the fitted model on its own training documents: 0.21 "
                           "accuracy on 300 of the texts it was trained on, 0.14 on the test texts; 86% of the "
                           "first 150")
    assert "fit_transform" in hint and "only transform in predict" in hint


def test_exp03_a_model_that_never_fitted_its_training_texts_is_not_said_to_refit():
    hint = exp03.refit_hint({"texts": 300, "accuracy": 0.3, "alone": 150, "changed_alone": 0.0}, 0.28)
    assert "did not fit even its training texts" in hint and "depends on which texts" not in hint
    assert "does not reproduce" not in hint


def test_exp03_a_model_right_on_its_training_texts_gets_no_refit_hint():
    assert exp03.refit_hint({"texts": 300, "accuracy": 1.0, "alone": 150, "changed_alone": 0.0}, 0.5) == ""


exp04 = importlib.import_module("bench.checks.test_exp04_spark")


def test_exp04_colab_paths_are_named_as_why_spark_did_not_start_with_their_lines_and_the_fix():
    message = exp04.setup_lines_message(
        {"JAVA_HOME": "/usr/lib/jvm/java-8-openjdk-amd64", "SPARK_HOME": "/content/spark-3.1.1-bin-hadoop3.2"},
        "[JAVA_GATEWAY_EXITED] Java gateway process exited before sending its port number.\nmore",
        ["lab4.ipynb, code cell 1, line 3", "lab4.ipynb, code cell 1, line 4"])
    assert message.startswith("Spark could not start because the submission sets JAVA_HOME to "
                              "/usr/lib/jvm/java-8-openjdk-amd64 and SPARK_HOME to /content/spark-3.1.1-bin-hadoop3.2 "
                              "(lab4.ipynb, code cell 1, line 3; lab4.ipynb, code cell 1, line 4), paths that do not")
    assert "(Spark's error: [JAVA_GATEWAY_EXITED] Java gateway process exited" in message and "more" not in message
    assert "the grader provides Java and pyspark" in message and "remove the lines that set JAVA_HOME, SPARK_HOME" in message
    assert "start()" not in message


def test_exp04_one_missing_path_reads_in_the_singular_and_no_missing_path_leaves_sparks_error():
    message = exp04.setup_lines_message({"JAVA_HOME": "/opt/java8"}, "", [])
    assert "sets JAVA_HOME to /opt/java8, a path that does not exist" in message and "no message" in message
    assert exp04.setup_lines_message({}, "Java gateway process exited", ["x.py, line 1"]) == ""


def test_exp04_the_worker_reports_each_location_variable_and_whether_its_path_exists(monkeypatch, tmp_path):
    from bench.inside import spark

    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    monkeypatch.setenv("SPARK_HOME", "/content/spark-3.1.1-bin-hadoop3.2")
    monkeypatch.delenv("HADOOP_HOME", raising=False)
    found = spark.environment(None)
    assert found["JAVA_HOME"] == {"value": str(tmp_path), "exists": True}
    assert found["SPARK_HOME"] == {"value": "/content/spark-3.1.1-bin-hadoop3.2", "exists": False}
    assert "HADOOP_HOME" not in found


exp09 = importlib.import_module("bench.checks.test_exp09_dqn")


def _episodes(returns, action_of_step):
    actions = np.zeros((len(returns), 500), dtype=int)
    for i, n in enumerate(returns):
        actions[i, :n] = [action_of_step(i, t) for t in range(n)]
    return np.asarray(returns, dtype=float), actions


def test_exp09_one_sided_actions_after_a_flat_training_curve_point_at_the_td_target():
    returns, actions = _episodes([9, 10, 9, 8] * 5, lambda i, t: 1)
    hint = exp09.greedy_return_hint(returns, actions, [12.0, 15.0, 9.0] * 10)
    assert "same action on 100% of its steps" in hint and "training did not learn" in hint
    assert "(1 - done)" in hint and "act() is not the first suspect" in hint and "check that act() is greedy" not in hint


def test_exp09_a_curve_that_rose_then_poor_greedy_play_points_at_act():
    rng = np.random.default_rng(0)
    returns, actions = _episodes([22, 18, 25, 20] * 5, lambda i, t: int(rng.integers(2)))
    hint = exp09.greedy_return_hint(returns, actions, [20.0] * 10 + [180.0] * 20)
    assert "reached 180 (10-episode average) while it trained" in hint and "check that act() is greedy" in hint
    assert "same action" not in hint and "(1 - done)" not in hint


def test_exp09_good_returns_need_no_hint():
    returns, actions = _episodes([500] * 4, lambda i, t: t % 2)
    assert exp09.greedy_return_hint(returns, actions, []) == ""


def test_exp09_random_looking_play_is_named_as_such():
    rng = np.random.default_rng(1)
    # short episodes look lopsided one by one (about 0.65 the same way on average), balanced when pooled
    returns, actions = _episodes([9, 12, 8, 10, 30, 11] * 5, lambda i, t: int(rng.integers(2)))
    hint = exp09.greedy_return_hint(returns, actions, [20.0] * 30)
    assert "what random actions get" in hint and "training did not learn" in hint


def test_exp09_time_to_target_is_when_the_moving_average_first_reaches_the_bar():
    returns = [20.0] * 10 + [200.0] * 10 + [500.0] * 5
    result = {"episode_returns": returns, "episode_steps": list(np.cumsum(returns).astype(int)),
              "episode_seconds": [0.5 * (i + 1) for i in range(len(returns))], "seconds": 30.0, "steps": 5000}
    got = exp09.time_to_target(result)
    window = np.convolve(returns, np.ones(10) / 10, "valid")
    first = int(np.flatnonzero(window >= exp09.TARGET_RETURN)[0]) + 10
    assert got == {"seconds": 0.5 * first, "steps": int(np.cumsum(returns)[first - 1]), "reached": True,
                   "episode": first}


def test_exp09_an_agent_that_never_reaches_the_bar_is_timed_at_its_whole_training():
    returns = [30.0] * 50
    result = {"episode_returns": returns, "episode_steps": list(np.cumsum(returns).astype(int)),
              "episode_seconds": [0.1 * (i + 1) for i in range(50)], "seconds": 42.0, "steps": 1500}
    assert exp09.time_to_target(result) == {"seconds": 42.0, "steps": 1500, "reached": False, "episode": None}


def _cartpole_returns(policy, shown, episodes: int = 5) -> float:
    """Mean return of policy(obs) in CartPole varied as `shown` (None: the standard one)."""
    import gymnasium as gym

    from bench.inside.rl import varied

    env, total = varied(gym.make("CartPole-v1"), shown), 0.0
    for seed in range(episodes):
        obs, _ = env.reset(seed=seed)
        done = False
        while not done:
            obs, reward, terminated, truncated, _ = env.step(policy(obs))
            total, done = total + reward, terminated or truncated
    return total / episodes


HAND_WRITTEN_RULES = {  # rules for the standard CartPole: the zoo's hand_written_rule, and ignores_env's
    "angle + spin / 2": lambda o: int(o[2] + 0.5 * o[3] > 0),
    "with the cart's terms": lambda o: int(o[2] + 0.5 * o[3] + 0.05 * o[0] + 0.2 * o[1] > 0),
}


def test_exp09_every_variation_a_run_can_draw_defeats_a_rule_for_the_standard_cartpole():
    drawn = {(tuple(v["order"]), tuple(v["signs"]), v["swap"]) for v in map(exp09.variation, range(2000))}
    assert len(drawn) == 128  # 4 orders (the pole's pair first, the cart's last) x 16 sign patterns x 2
    assert all(set(order[:2]) == {2, 3} for order, _, _ in drawn)
    for name, rule in HAND_WRITTEN_RULES.items():
        assert _cartpole_returns(rule, None) == 500, name
        # its mirror images (signs flipped, actions swapped) are among the variations: none balances either
        worst = max(_cartpole_returns(rule, {"order": o, "signs": s, "swap": w}) for o, s, w in drawn)
        assert worst < 100, f"{name} averages {worst} on some variation"  # measured: at most 45 and 62


def test_exp09_acting_and_the_parents_replay_see_the_same_variation():
    from bench.inside import rl
    from bench.scoring import replay

    shown = exp09.variation(0)
    assert shown["swap"]  # the replay sees actions only: the swap is what it must apply
    order, signs = np.asarray(shown["order"]), np.asarray(shown["signs"])

    class Oracle:  # undoes this variation, then plays the rule: a policy that only works where it is applied
        @staticmethod
        def act(agent, obs):
            standard = np.empty(4)
            standard[order] = signs * obs
            return HAND_WRITTEN_RULES["angle + spin / 2"](standard) ^ int(shown["swap"])

    seeds = [3, 4]
    actions = rl.rollouts(Oracle, None, seeds, shown)
    assert replay.replay(seeds, actions, shown).tolist() == [500, 500]
    assert max(replay.replay(seeds, actions, None)) < 100  # the same actions in the standard CartPole fail


def test_exp09_a_rule_that_balances_the_standard_cartpole_only_is_told_the_environment_differs_per_run():
    returns, actions = _episodes([40, 30, 45, 38] * 5, lambda i, t: t % 2)
    hint = exp09.greedy_return_hint(returns, actions, [35.0] * 20, standard=np.full(10, 500.0))
    assert "balances the standard CartPole (mean return 500" in hint and "a fixed rule cannot adapt" in hint
    assert "learn from experience" in hint and "(1 - done)" not in hint
    learner = exp09.greedy_return_hint(returns, actions, [35.0] * 20, standard=np.full(10, 30.0))
    assert "standard CartPole" not in learner and "training did not learn" in learner
