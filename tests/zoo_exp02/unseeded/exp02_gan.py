"""Defect: generate() ignores its seed and draws the noise from torch's global generator.

Two calls with the same seed give different images: the same-seed check
fails. Training is the reference's, with its whole budget, so the samples
themselves pass every other check.
"""
from reference_solution import Z_DIM
from reference_solution import train_gan  # noqa: F401 - the reference's training, unchanged


def generate(generator, n, seed):
    import torch

    z = torch.randn(int(n), Z_DIM)  # seed unused: a different draw on every call
    generator.eval()
    with torch.inference_mode():
        return generator(z).clamp(0, 1).numpy()
