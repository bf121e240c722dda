"""The memorisation measures of bench/scoring/gan_metrics.py find what they are named for."""

import numpy as np

from bench.scoring import gan_metrics


def images(n: int, seed: int = 0) -> np.ndarray:
    """Random 'items' on a background border, as in Fashion-MNIST. An exact match comes out about 0.01
    away, not 0: float32 rounding in |a|^2 + |b|^2 - 2ab."""
    out = np.zeros((n, 28, 28), np.float32)
    out[:, 4:24, 4:24] = np.random.default_rng(seed).random((n, 20, 20))
    return out


def test_nearest_orders_the_neighbours_and_finds_each_image_itself():
    train = images(50)
    distances, index = gan_metrics.nearest(train[:3], train, 4)
    assert index[:, 0].tolist() == [0, 1, 2] and np.allclose(distances[:, 0], 0, atol=0.05)
    assert (np.diff(distances, axis=1) >= 0).all()


def test_shifted_and_flipped_training_images_are_found_where_pixels_miss_them():
    train = images(50)
    train[:, 24:, :] = 1.0  # items that reach the border: shifting them loses some of it
    shifted = np.zeros_like(train[:5])
    shifted[:, 2:, :] = train[:5, :-2, :]  # down by two pixels
    sideways = np.zeros_like(train[:5])
    sideways[:, :, :-1] = train[5:10, :, 1:]  # left by one
    copies = np.concatenate([shifted, sideways, train[10:15, :, ::-1]])
    moved = gan_metrics.nearest_distances(np.concatenate(gan_metrics.windows(copies)), gan_metrics.central(train))
    assert moved.reshape(-1, len(copies)).min(axis=0).max() < 0.05
    assert gan_metrics.nearest_distances(copies, train).min() > 1


def test_averages_of_two_training_images_are_found_and_real_images_are_not():
    train = images(50)
    blends = (train[:5] + train[5:10]) / 2
    assert gan_metrics.blend_distances(blends, train).max() < 0.05
    assert gan_metrics.blend_distances(images(5, seed=1), train).min() > 1
