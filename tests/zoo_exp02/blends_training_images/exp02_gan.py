"""Defect: "training" keeps the training images; generate() returns averages of two random ones.

Each blend is half the distance between its two training images from either (median to the nearest training
image 3.2 on the embedded data, 4.5 on Fashion-MNIST; real held-out images 3.0 and 3.5), so nearest-neighbour
comparisons let it through; it is the average of two training images
exactly: the memorisation check fails.
"""
import numpy as np


def train_gan(x_train, budget):
    """The generator is the training images themselves."""
    return np.array(x_train, dtype=np.float32), {"g_loss": [0.0], "d_loss": [0.0]}


def generate(generator, n, seed):
    rng = np.random.default_rng(seed)
    a, b = (generator[rng.integers(len(generator), size=n)] for _ in range(2))
    return ((a + b) / 2).astype(np.float32)
