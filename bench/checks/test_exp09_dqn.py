"""Experiment 9 checks: a DQN agent on CartPole-v1, scored by replaying its actions.

The agent trains in the worker on an environment the harness builds. After
training, this process draws the evaluation seeds; the worker plays greedy
episodes with them and reports only the actions it took; the returns that
count are the ones this process gets by replaying those actions in its own
seeded environment.

CartPole is varied per run (`variation`, drawn from the hidden seed): a hand-written rule for the
standard CartPole fails on it, while a learner sees the same problem with its inputs in another order.
"""

from __future__ import annotations

import numpy as np
import pytest

from reference import EXPERIMENTS, Budget

from bench import errors
from bench.data import DatasetInfo
from bench.scoring import outputs, replay
from bench.inside import rl as inside_rl
from bench.checks.common import Speed, Training
from bench.worker import Make

EXPERIMENT = EXPERIMENTS["exp09"]
EPISODES = 100


def variation(hidden_seed: int) -> dict:
    """This run's CartPole (applied by bench/inside/rl.py: varied): the pole's angle and angular velocity
    trade places with the cart's position and velocity, each of the four gets a random sign, and the two
    actions are swapped or not. 128 variations, none equivalent to the standard environment (its mirror
    image negates every component in place and swaps the actions), and on each a rule written for the
    standard order reads the cart where it expects the pole (tests/test_diagnoses.py measures it failing)."""
    rng = np.random.default_rng([hidden_seed, 9, 1])  # the evaluation seeds are [hidden_seed, 9]
    order = [int(i) for i in (*rng.permutation([2, 3]), *rng.permutation([0, 1]))]
    return {"order": order, "signs": [int(s) for s in rng.choice([-1, 1], 4)], "swap": bool(rng.integers(2))}


def trained(run) -> dict:
    def compute():
        import gymnasium

        run.dataset = DatasetInfo(name="cartpole", variant="real", version=f"{replay.ENV_ID}, gymnasium "
                                  f"{gymnasium.__version__}", source="built by gymnasium in the worker", checksum="",
                                  sizes={"evaluation_episodes": EPISODES})
        env = Make(inside_rl.make_env, run.settings.seed, variation(run.settings.hidden_seed))
        (agent, _), seconds = run.call("train_agent", env, Budget, train=True, model="history")
        report, _ = run.harness(inside_rl.last_training_report, timeout=30)
        with outputs.from_worker("the training report"):
            return {"agent": agent, "seconds": seconds, "steps": int(report["steps"]),
                    "episode_returns": [float(r) for r in report["episode_returns"]],
                    "episode_steps": [int(s) for s in report["episode_steps"]],
                    "episode_seconds": [float(t) for t in report["episode_seconds"]]}
    return run.stage("train", compute)


def evaluated(run, harness) -> dict:
    """Returns of EPISODES greedy episodes, replayed here; seeds drawn after training."""
    def compute():
        rng = np.random.default_rng([harness.settings.hidden_seed, 9])  # never sent before training ends
        seeds = [int(s) for s in rng.integers(0, 2**31 - 1, EPISODES)]
        return played(run, seeds, variation(harness.settings.hidden_seed))
    return run.stage("evaluate", compute)


def played(run, seeds: list[int], shown: dict | None, timeout: float | None = None) -> dict:
    """Greedy episodes with these seeds in CartPole varied as `shown` (None: the standard one): the actions
    act() took in the worker, and their returns replayed here."""
    actions, _ = run.harness(inside_rl.rollouts, trained(run)["agent"], seeds, shown, timeout=timeout)
    n = len(seeds)
    actions = outputs.array(actions, "the evaluation episodes", f"an int array of shape ({n}, 500)")
    if actions.shape != (n, replay.MAX_STEPS) or actions.dtype.kind not in "iu":
        raise errors.BadOutput(f"the evaluation episodes came back as {actions.shape} {actions.dtype}; "
                               f"expected ({n}, {replay.MAX_STEPS}) integers")
    return {"seeds": seeds, "actions": actions, "returns": replay.replay(seeds, actions, shown)}


STANDARD_EPISODES = 10


def standard_returns(run, harness) -> np.ndarray | None:
    """Returns of a few greedy episodes in the standard CartPole, to tell a rule written for it from a
    learner that fell short (which does no better there); None when act() could not play them."""
    rng = np.random.default_rng([harness.settings.hidden_seed, 9, 2])
    seeds = [int(s) for s in rng.integers(0, 2**31 - 1, STANDARD_EPISODES)]
    try:
        return played(run, seeds, None, timeout=60)["returns"]
    except errors.SubmissionError:
        return None


@pytest.fixture
def training(run) -> Training:
    """The agent's training, for the shared trains_within_budget check."""
    result = trained(run)
    never_stepped = ("train_agent() never stepped the environment it was given. Expected: training on that env "
                     "(the harness counts its steps). Likely cause: a new gym.make() inside train_agent; use the "
                     "env argument.")
    return Training("train_agent", result["seconds"], metrics={"env_steps": result["steps"]},
                    evidence={"reward_curve": result["episode_returns"], "env_steps": result["steps"]},
                    problem="" if result["steps"] > 0 else never_stepped,
                    summary=f"{result['steps']} environment steps in {result['seconds']:.1f} s")


def test_greedy_return(run, check, harness):
    result = evaluated(run, harness)
    returns = result["returns"]
    check.metric("return_std", float(returns.std()))
    check.add(evaluation_returns=returns.tolist(), episodes=EPISODES)
    standard = standard_returns(run, harness) if returns.mean() < TARGET_RETURN else None
    hint = greedy_return_hint(returns, result["actions"], trained(run)["episode_returns"], standard)
    check.grade("mean_return", float(returns.mean()), EXPERIMENT, "real",
                what=f"mean greedy return over {EPISODES} unseen episodes (sd {returns.std():.0f})", hint=hint)


LOW_RETURN = 50  # random actions get about 20, one action repeated 8-10; the reference's targets are in the hundreds


def greedy_return_hint(returns: np.ndarray, actions: np.ndarray, training_returns: list[float],
                       standard: np.ndarray | None = None) -> str:
    """Why greedy returns are low, read from the evidence rather than guessed: whether act() plays the
    standard CartPole well (`standard`: its returns there) but not this run's, how one-sided the agent's
    actions are, and whether its returns ever rose while it trained (the harness counted those episodes)."""
    if standard is not None and standard.mean() >= TARGET_RETURN > returns.mean():
        return (f"act() balances the standard CartPole (mean return {standard.mean():.0f} over {len(standard)} "
                f"episodes there) but not this run's (mean {returns.mean():.0f}): it follows a rule for the "
                "standard observation order, written by hand or learnt on a gym.make() of its own. Each run "
                "varies CartPole: the four observation components come in another order (the pole's angle and "
                "angular velocity where the cart's position and velocity were), with their own signs, and the two "
                "actions may be swapped, so a fixed rule cannot adapt. Fix: learn from experience: train a "
                "Q-network on the env train_agent is given, and let act() take its greedy action.")
    if returns.mean() >= LOW_RETURN:
        return ""
    played = [row[:int(n)] for row, n in zip(actions, returns) if n >= 1]
    # per episode (an agent stuck on one action), and pooled (random play: short episodes look lopsided alone)
    one_sided = float(np.mean([max(np.mean(row == 0), np.mean(row == 1)) for row in played])) if played else 0.0
    steps = np.concatenate(played) if played else np.zeros(0)
    pooled = float(max(np.mean(steps == 0), np.mean(steps == 1))) if len(steps) else 0.0
    curve = np.asarray(training_returns, dtype=float)
    best = float(np.convolve(curve, np.ones(10) / 10, "valid").max()) if len(curve) >= 10 else (
        float(curve.max()) if len(curve) else 0.0)
    learned = best >= LOW_RETURN
    said = []
    if one_sided >= 0.95:
        said.append(f"The agent takes the same action on {one_sided:.0%} of its steps (one action repeated gets returns "
                    "of 8-10): its Q-values do not depend on the state.")
    elif pooled <= 0.6 and returns.mean() < 30:
        said.append(f"Its greedy actions split about {pooled:.0%}/{1 - pooled:.0%} and its returns are what random "
                    "actions get (about 20).")
    if not learned:
        said.append(f"Its returns never rose while it trained (best 10-episode average {best:.0f}; random actions get "
                    "about 20), so training did not learn, and act() is not the first suspect. Likely cause: the TD "
                    "target: y = r + gamma * max Q(s', a') must be multiplied by (1 - done), so that a terminal state "
                    "has no future value (without it the values grow through episode ends and stop ranking the "
                    "actions); then the learning rate, the target network's updates and the exploration schedule.")
    else:
        said.append(f"Its returns reached {best:.0f} (10-episode average) while it trained, but not when it plays "
                    "greedily: check that act() is greedy (argmax of the Q-values, no exploration) and uses the "
                    "trained network.")
    return " ".join(said)


@pytest.fixture
def speed(run, harness) -> Speed:
    """Time to target: the training seconds until the agent's returns first averaged TARGET_RETURN over
    TARGET_WINDOW episodes (as MLPerf times training to a quality target), against the reference's in the same
    run. Raw environment steps per second would reward a slow learner that steps fast and penalise the
    textbook one-update-per-step DQN; what the lab teaches is learning, so that is what is timed. An agent
    that never got there has no time to target and no credit, and the message says so (counting its whole
    training instead paid a rule that learns nothing and stops training at once: 150x the reference's speed)."""
    mine = time_to_target(trained(run))
    reference = harness.reference_figure(EXPERIMENT, lambda ref: time_to_target(trained(ref))["seconds"])
    what = (f"training to a {TARGET_WINDOW}-episode average return of {TARGET_RETURN:g}" if mine["reached"] else
            f"training (a {TARGET_WINDOW}-episode average return of {TARGET_RETURN:g} was never reached in its "
            f"{mine['seconds']:.0f} s of training, so it has no time to target and no speed credit; likely cause: it "
            "did not learn, see greedy_return)")
    seconds = mine["seconds"] if mine["reached"] else float("inf")  # never reached: no speed credit
    return Speed(what, seconds, reference,
                 metrics={"seconds_to_target": mine["seconds"], "env_steps_to_target": mine["steps"]},
                 evidence={"time_to_target": mine})


SPEED_NEEDS = ("greedy_return",)  # act() must give valid actions before its training is timed
TARGET_RETURN = 195.0  # CartPole's classic "solved" bar, reached in training by the reference in every run
TARGET_WINDOW = 10


def time_to_target(result: dict) -> dict:
    """{"seconds", "steps", "reached", "episode"}: when the moving average of the training returns (the harness's
    own count) first reached TARGET_RETURN; the whole training when it never did."""
    returns = np.asarray(result["episode_returns"], dtype=float)
    ends, seconds = result["episode_steps"], result["episode_seconds"]
    if len(returns) >= TARGET_WINDOW and len(ends) == len(seconds) == len(returns):
        average = np.convolve(returns, np.ones(TARGET_WINDOW) / TARGET_WINDOW, "valid")
        hits = np.flatnonzero(average >= TARGET_RETURN)
        if len(hits):
            last = int(hits[0]) + TARGET_WINDOW - 1  # the episode that completed the window
            return {"seconds": max(seconds[last], 1e-3), "steps": ends[last], "reached": True, "episode": last + 1}
    return {"seconds": float(result["seconds"]), "steps": int(result["steps"]), "reached": False, "episode": None}
