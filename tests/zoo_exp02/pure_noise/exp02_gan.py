"""Defect: generate() returns uniform noise instead of the generator's samples.

Seeded (the seed checks pass) and nothing like a training image (no near
copies); the Frechet distance fails. Training is the reference's, cut to a few
seconds, and then never used.
"""
import numpy as np

from reference_solution import train_gan as reference_train
from reference.spec import Budget

TRAIN_SECONDS = 8.0


def train_gan(x_train, budget):
    short = Budget(seconds=min(budget.seconds, TRAIN_SECONDS), device=budget.device, seed=budget.seed,
                   threads=budget.threads)
    return reference_train(x_train, short)


def generate(generator, n, seed):
    return np.random.default_rng(seed).random((n, 28, 28), dtype=np.float32)  # the generator is ignored
