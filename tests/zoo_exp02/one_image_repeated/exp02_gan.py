"""Defect: generate() draws one image and returns it n times (complete mode collapse).

The image still depends on the seed, so the seed checks pass, and it is a
generated image, not a copy; class coverage (one class) and the Frechet
distance fail. Training is the reference's, cut to a few seconds.
"""
import numpy as np

from reference_solution import generate as reference_generate
from reference_solution import train_gan as reference_train
from reference.spec import Budget

TRAIN_SECONDS = 8.0


def train_gan(x_train, budget):
    short = Budget(seconds=min(budget.seconds, TRAIN_SECONDS), device=budget.device, seed=budget.seed,
                   threads=budget.threads)
    return reference_train(x_train, short)


def generate(generator, n, seed):
    return np.repeat(reference_generate(generator, 1, seed), n, axis=0)  # one sample, n times
