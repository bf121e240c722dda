"""A hand-made policy (push the way the pole leans) with an off-by-one: act() returns 2 whenever it leans right."""
import numpy as np


class Agent:
    pass


def train_agent(env, budget):
    for _ in range(5):  # nothing to learn; a few episodes so the harness sees the env used
        obs, _ = env.reset()
        done = False
        while not done:
            obs, _, terminated, truncated, _ = env.step(int(obs[2] > 0))
            done = terminated or truncated
    return Agent()


def act(agent, observation):
    return int(np.sign(observation[2])) + 1  # the defect: 0, 1 or 2; CartPole's actions are 0 and 1
