"""Trains on its own gym.make() env, so the env it was given is never stepped. Its policy is a
hand-written controller (push towards the side the pole falls), which balances the standard CartPole
whatever the machine's load (500 on 300 of 300 seeds) but not the run's varied one: the greedy return
fails too, told that a fixed rule cannot adapt."""
import gymnasium as gym


def train_agent(env, budget):
    own = gym.make("CartPole-v1")  # the defect: should train on `env`
    own.reset(seed=budget.seed)
    for _ in range(200):
        _, _, done, truncated, _ = own.step(own.action_space.sample())
        if done or truncated:
            own.reset()
    return "controller"


def act(agent, observation):
    x, v, angle, spin = observation
    return int(angle + 0.5 * spin + 0.05 * x + 0.2 * v > 0)
