"""Experiment 9's harness code inside the worker: the training environment and greedy rollouts.

Each run shows CartPole-v1 varied (`varied`): the parent draws the variation from the run's hidden
seed and the same one wraps the environment train_agent trains on, the one act() plays evaluation
episodes in, and the parent's replay. The worker only reports the actions the agent took in each evaluation
episode; the parent replays them in its own environment (bench/scoring/replay.py) to
count the true return, so nothing this module returns is taken on trust.
Reached as `Make(rl.make_env, seed)` and `run.harness(rl.rollouts, ...)` from the checks.
"""

from __future__ import annotations

import time

import numpy as np

ENV_ID = "CartPole-v1"
MAX_STEPS = 500  # CartPole-v1's time limit
NO_ACTION = -1  # padding after an episode ends


def varied(env, variation: dict | None):
    """CartPole as this run shows it. variation = {"order": [4 indices], "signs": [4 of +-1], "swap": bool}:
    the agent sees observation component i as signs[i] * obs[order[i]], and with swap its action 0 pushes
    right and 1 left. None: the standard environment."""
    if variation is None:
        return env
    import gymnasium as gym

    order, swap = list(variation["order"]), bool(variation["swap"])
    signs = np.asarray(variation["signs"], dtype=np.float32)

    class Varied(gym.Wrapper):
        def __init__(self, env):
            super().__init__(env)
            high = env.observation_space.high[order]
            self.observation_space = gym.spaces.Box(-high, high, dtype=np.float32)

        def reset(self, **kwargs):
            obs, info = self.env.reset(**kwargs)
            return signs * obs[order], info

        def step(self, action):
            if swap and action in (0, 1):  # anything else reaches CartPole as it was given, for its own error
                action = 1 - action
            obs, reward, terminated, truncated, info = self.env.step(action)
            return signs * obs[order], reward, terminated, truncated, info

    return Varied(env)


def make_env(seed: int, variation: dict | None = None):
    """The training environment handed to train_agent: CartPole-v1 as this run shows it, seeded, counting
    its steps."""
    import gymnasium as gym

    class StepCounter(gym.Wrapper):
        """Counts steps and episode returns: evidence of how training went."""

        def __init__(self, env):
            super().__init__(env)
            self.steps = 0
            self.episode_returns: list[float] = []
            self.episode_ends: list[tuple[int, float]] = []  # (steps so far, seconds since the env was made)
            self._current = 0.0
            self._made = time.perf_counter()  # the env is made as the training call starts

        def reset(self, **kwargs):
            self._current = 0.0
            return self.env.reset(**kwargs)

        def step(self, action):
            obs, reward, terminated, truncated, info = self.env.step(action)
            self.steps += 1
            self._current += float(reward)
            if terminated or truncated:
                self.episode_returns.append(self._current)
                self.episode_ends.append((self.steps, time.perf_counter() - self._made))
                self._current = 0.0
            return obs, reward, terminated, truncated, info

    global _last_env
    env = _last_env = StepCounter(varied(gym.make(ENV_ID), variation))
    env.reset(seed=seed)
    env.action_space.seed(seed)
    return env


_last_env = None  # the worker's training environment, read back by last_training_report


def last_training_report(module) -> dict:
    """Steps, episode returns and when each episode ended, as the harness's wrapper saw them during training
    (runs in the worker). Capped at the last 5,000 episodes, from the first ones: time to target needs the start."""
    env = _last_env
    if env is None:
        return {"steps": 0, "episode_returns": [], "episode_steps": [], "episode_seconds": []}
    return {"steps": env.steps, "episode_returns": [round(r, 2) for r in env.episode_returns[:5000]],
            "episode_steps": [s for s, _ in env.episode_ends[:5000]],
            "episode_seconds": [round(t, 3) for _, t in env.episode_ends[:5000]]}


def rollouts(module, agent, seeds, variation: dict | None = None) -> np.ndarray:
    """Greedy episodes with the student's act() in CartPole as `variation` shows it; returns actions per
    episode, padded with NO_ACTION."""
    import gymnasium as gym

    env = varied(gym.make(ENV_ID), variation)
    actions = np.full((len(seeds), MAX_STEPS), NO_ACTION, dtype=np.int64)
    for i, seed in enumerate(seeds):
        obs, _ = env.reset(seed=int(seed))
        for t in range(MAX_STEPS):
            a = module.act(agent, obs)
            if not isinstance(a, (int, np.integer)) and not (hasattr(a, "item") and np.size(a) == 1):
                raise TypeError(f"act() returned {type(a).__name__}; expected an int action (0 or 1)")
            a = int(a.item() if hasattr(a, "item") else a)
            if a not in (0, 1):
                raise ValueError(f"act() returned action {a}; CartPole's actions are 0 (push left) and 1 (right)")
            actions[i, t] = a
            obs, _, terminated, truncated, _ = env.step(a)
            if terminated or truncated:
                break
    return actions
