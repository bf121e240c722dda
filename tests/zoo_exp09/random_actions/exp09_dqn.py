"""Trains nothing useful: plays a few random episodes, and act() picks a random action (return about 20)."""
import numpy as np


class Agent:
    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)


def train_agent(env, budget):
    agent = Agent(budget.seed)
    for _ in range(20):
        env.reset()
        done = False
        while not done:
            _, _, terminated, truncated, _ = env.step(int(agent.rng.integers(2)))
            done = terminated or truncated
    return agent


def act(agent, observation):
    return int(agent.rng.integers(2))  # the defect: ignores the observation
