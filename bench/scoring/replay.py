"""Verifiable scoring for reinforcement learning (Experiment 9): the parent's replay.

The agent acts inside the worker (bench/inside/rl.py), but its returns are
not taken on trust: the worker only reports the actions it took in each
evaluation episode, and the parent replays the same seeded environment with
those actions to count the true return. The evaluation seeds are drawn by the
parent after training; the run's variation of the environment (bench/inside/rl.py)
is applied here as it was in the worker.
"""

from __future__ import annotations

import numpy as np

from ..inside.rl import ENV_ID, MAX_STEPS, NO_ACTION, varied

__all__ = ["ENV_ID", "MAX_STEPS", "NO_ACTION", "replay"]


def replay(seeds, actions: np.ndarray, variation: dict | None = None) -> np.ndarray:
    """The true return of each episode: the parent's own environment, varied as the worker's was, and the
    worker's actions."""
    import gymnasium as gym

    env = varied(gym.make(ENV_ID), variation)
    returns = np.zeros(len(seeds))
    for i, seed in enumerate(seeds):
        env.reset(seed=int(seed))
        for a in actions[i]:
            if a == NO_ACTION:
                break
            _, reward, terminated, truncated, _ = env.step(int(a))
            returns[i] += reward
            if terminated or truncated:
                break
    return returns
