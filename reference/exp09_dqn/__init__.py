"""Experiment 9: a reinforcement learning agent that plays a game (CartPole-v1).

Aim: train a deep Q-network to balance a pole on a cart, then let it act
greedily. CartPole-v1 counts as solved at a mean return of 475 (its episodes
end at 500 steps).

Data: none; the harness builds the environment (gymnasium CartPole-v1,
seeded, step-counted) and hands it to train_agent. Evaluation episodes use
seeds the grading process draws after training; the worker reports the
actions it took and the grading process replays them in its own environment
to get the true returns (`bench/scoring/replay.py`).

Each run varies CartPole, so that a policy must be learnt, not written by
hand: the four observation components come in a per-run order (the pole's
angle and angular velocity first, then the cart's position and velocity,
each pair in either order), each with a per-run sign, and the two actions
may be swapped (0 pushing right). The variation is drawn from the run's
hidden seed and is the same in training, in the evaluation episodes and in
the grader's replay (`bench/inside/rl.py: varied`). A rule for the standard
CartPole (push right when angle + 0.5 x angular velocity > 0, 500 there)
averages at most 45 over 10 episodes on each of the 128 variations (62
with the cart's terms added; tests/test_diagnoses.py); a network learns
each one as it learns the standard one (its inputs are only reordered and
negated). So train on the env given, and evaluate on `copy.deepcopy(env)`:
a gym.make() of your own is the standard CartPole, not this run's. Measured on the varied
CartPole (`pytest bench --submission=reference -k exp09 --quick --seed S`,
S = 1-5, each run its own variation, load 4-6 on 2 cores, 2026-12-02): greedy
return 500 in 5 of 5, the training returns first averaging 195 after
13,096-30,514 steps (21.6-96.2 s), as on the standard one (26,775 steps).

Claim: the reference (a Double DQN that keeps its best weights) reaches a mean
greedy return of 500 over 100 unseen episodes in 4 of 5 seeds (490.6 in the
fifth), first reaching 475 after 22,000-32,000 environment steps of its
50,000, in 26-31 s of training at a load of 2.6 (99 s at a load of 8) on one
CPU core. The lab's agent averaged 107 after 500 episodes. Its speed is time
to target: its training returns first average 195 over 10 episodes after
26,775 steps, 17.7-18.4 s of training on 2 CPU threads (2026-12-02).
"""

from __future__ import annotations

from reference.spec import BudgetSpec, Experiment, Function, Target

INTERFACE = (
    Function("train_agent", ("env", "budget"), "agent, or (agent, history)",
             "Train on the given gymnasium environment (reset/step as usual) within budget.seconds. It is "
             "CartPole-v1 varied per run (observation order and signs, maybe the actions swapped: see the "
             "module docstring), so learn from it; evaluate on copy.deepcopy(env), not a gym.make() of your own."
             " Return the agent (any object act accepts, a tuple or dict of parts included), or "
             "reference.spec.Trained(agent, history); (agent, history) with history a dict of per-epoch lists "
             "(or a Keras History) is read the same way."),
    Function("act", ("agent", "observation"), "int action, 0 or 1",
             "The greedy action for one observation (a float array of 4 values, as the given env shows them)."),
)

# Measured, not chosen: see bench/calibrate.py for the rule.
TARGETS: tuple[Target, ...] = (
    Target('mean_return', floor=243.19, target=486.39, variant='real',
           reference_mean=498.1200, reference_worst=490.6000, reference_sd=4.2038,
           source='reference, seeds 0,1,2,3,4, 2 CPU threads (AMD EPYC), 2026-11-23: mean 498.1200, min 490.6000, sd 4.2038; `python -m bench.calibrate exp09`'),
)

SPEC = Experiment(
    id="exp09",
    module="exp09_dqn",
    title="A DQN agent that plays CartPole",
    aim=__doc__.split("\n\n")[1].replace("\n", " "),
    interface=INTERFACE,
    targets=TARGETS,
    graded_metrics=("mean_return",),
    libraries=("gymnasium", "torch"),
    reference_speed={'quick': 17.727, 'full': 18.397},  # seconds of training to a 10-episode average return of 195
    reference_speed_source="the reference's speed check on the grading machine (time to target), quick: 2 CPU threads (AMD EPYC), 2026-12-02; full: 2 CPU threads (AMD EPYC), 2026-12-02; `python -m bench.calibrate speed RECORD...`",
    budget=BudgetSpec(train_seconds=150, quick_train_seconds=150, call_seconds=120, import_seconds=90,
                      memory_mb=4096),
)
