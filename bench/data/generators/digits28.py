"""`digits28` and `warp`: scikit-learn's 8x8 digits in MNIST's geometry, and the random per-image warp that
makes every graded image a new one (why, and what it measures, is in bench/data/digits.py)."""

from __future__ import annotations

import numpy as np


def digits28() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 8x8 digits upsampled to 20x20 and centred in 28x28, in [0, 1]."""
    from scipy.ndimage import zoom
    from sklearn.datasets import load_digits

    digits = load_digits()
    small = digits.images.astype(np.float32) / 16.0
    big = zoom(small, (1, 2.5, 2.5), order=1)  # (n, 20, 20), bilinear
    images = np.zeros((len(small), 28, 28), dtype=np.float32)
    images[:, 4:24, 4:24] = np.clip(big, 0.0, 1.0)
    return images, digits.target.astype(np.int64)


# The per-image warp, as drawn for every graded image. Chosen by measurement (tests/test_data_images.py and
# the module docstring of reference/exp01_cnn_rnn.py): strong enough that a nearest-neighbour lookup against the
# public images falls well below the reference CNN, mild enough that the CNN stays near 0.97.
ROTATION_DEGREES = 12.0
SCALE = (0.85, 1.15)
SHIFT_PIXELS = 2.0
ELASTIC_ALPHA = 8.0  # pixels of displacement per unit of the smoothed random field
ELASTIC_SIGMA = 3.0  # smoothness of that field (Gaussian filter, pixels)
NOISE_SD = 0.03
VERSION = "sklearn-digits/28x28-bilinear/hidden-split-warp/v2"


def warp(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each image through its own random warp, resampled once (bilinear), plus faint noise; float32 in [0, 1].

    The warp maps each output pixel p to the input point A(p - c - t) + c + d(p): A undoes a rotation by
    up to ROTATION_DEGREES and a scaling in SCALE about the centre c, t is a shift of up to SHIFT_PIXELS per
    axis, d an elastic displacement field (uniform noise smoothed by a Gaussian of ELASTIC_SIGMA, times
    ELASTIC_ALPHA), as in Simard et al. 2003. No global registration undoes the elastic part.
    """
    from scipy.ndimage import gaussian_filter, map_coordinates

    n, h, w = images.shape
    rows, cols = np.meshgrid(np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64), indexing="ij")
    centre = np.array([(h - 1) / 2, (w - 1) / 2])
    out = np.empty((n, h, w), dtype=np.float32)
    for i in range(n):
        angle = np.deg2rad(rng.uniform(-ROTATION_DEGREES, ROTATION_DEGREES))
        scale = rng.uniform(*SCALE)
        shift = rng.uniform(-SHIFT_PIXELS, SHIFT_PIXELS, size=2)
        field = ELASTIC_ALPHA * gaussian_filter(rng.uniform(-1, 1, size=(2, h, w)), (0, ELASTIC_SIGMA, ELASTIC_SIGMA))
        c, s = np.cos(angle) / scale, np.sin(angle) / scale  # output -> input: the inverse rotation and scaling
        dr, dc = rows - centre[0] - shift[0], cols - centre[1] - shift[1]
        source = np.stack([c * dr - s * dc + centre[0] + field[0], s * dr + c * dc + centre[1] + field[1]])
        warped = map_coordinates(images[i].astype(np.float64), source, order=1, mode="constant", cval=0.0)
        out[i] = np.clip(warped + rng.normal(0.0, NOISE_SD, size=(h, w)), 0.0, 1.0)
    return out

