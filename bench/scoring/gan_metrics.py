"""Scoring generated images in the grading process: a Frechet distance, an Inception-style score,
class coverage and a memorisation check, all in the feature space of a classifier trained here.

Inception weights cannot be downloaded on most grading machines, and
InceptionV3 features run at about 6 images/s on 2 CPU cores (an hour for
10,000 samples). A small in-domain network does the same job for this data:
an MLP (784 -> 256 -> 128 -> 10) trained on the experiment's own training
images; its 128-unit layer is the feature space, its softmax the classifier.
The Frechet distance is the usual one between Gaussians fitted to real and
generated features; the score is exp(E KL(p(y|x) || p(y))) from its softmax.
Weights and the real-data statistics are cached as .npz (no pickles), keyed
by the dataset's checksum, so the network is trained once per dataset.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

CACHE = Path(os.environ.get("LABMARK_CACHE", "~/.cache/labmark")).expanduser() / "gan-metrics"
HIDDEN = (256, 128)
VERSION = "mlp-256-128/v1"


@dataclass(frozen=True)
class FeatureNet:
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    mu: np.ndarray  # real-data feature mean and covariance (held-out images)
    sigma: np.ndarray
    accuracy: float  # of the classifier on held-out real images: how much its features can be trusted

    def forward(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(features of the last hidden layer, class probabilities) for (n, 28, 28) images in [0, 1]."""
        h = images.reshape(len(images), -1).astype(np.float64)
        for w, b in zip(self.weights[:-1], self.biases[:-1]):
            h = np.maximum(h @ w + b, 0.0)
        logits = h @ self.weights[-1] + self.biases[-1]
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return h, p / p.sum(axis=1, keepdims=True)


def feature_net(x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, y_test: np.ndarray,
                key: str) -> FeatureNet:
    """The trained network for this dataset: from the cache, else trained now (seconds) and cached."""
    path = CACHE / f"{VERSION.replace('/', '-')}-{key[:16]}.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as z:
            n = int(z["layers"])
            return FeatureNet(tuple(z[f"w{i}"] for i in range(n)), tuple(z[f"b{i}"] for i in range(n)),
                              z["mu"], z["sigma"], float(z["accuracy"]))
    from sklearn.neural_network import MLPClassifier

    mlp = MLPClassifier(HIDDEN, max_iter=30, early_stopping=True, random_state=0)
    mlp.fit(x_train.reshape(len(x_train), -1), y_train)
    net = FeatureNet(tuple(mlp.coefs_), tuple(mlp.intercepts_), np.zeros(1), np.zeros((1, 1)), 0.0)
    features, probs = net.forward(x_test)
    net = FeatureNet(net.weights, net.biases, features.mean(axis=0), np.cov(features, rowvar=False),
                     float((probs.argmax(1) == y_test).mean()))
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        arrays = {f"w{i}": w for i, w in enumerate(net.weights)} | {f"b{i}": b for i, b in enumerate(net.biases)}
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
        np.savez(tmp, layers=len(net.weights), mu=net.mu, sigma=net.sigma, accuracy=net.accuracy, **arrays)
        os.replace(tmp, path)
    except OSError:
        pass  # no writable cache: train again next session
    return net


def frechet_distance(mu1, sigma1, mu2, sigma2) -> float:
    """|mu1 - mu2|^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2)), with tr (S1 S2)^(1/2) = tr (R S2 R)^(1/2) for R = S1^(1/2).

    R S2 R is symmetric positive semi-definite, so both roots come from eigh: exact for the singular
    covariances that dead ReLU units give (scipy's sqrtm warns there, and drops `disp` in SciPy 1.18).
    """
    w, v = np.linalg.eigh(sigma1)
    root = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    m = root @ sigma2 @ root
    trace_covmean = np.sqrt(np.clip(np.linalg.eigvalsh((m + m.T) / 2), 0, None)).sum()
    return max(0.0, float(np.sum((mu1 - mu2) ** 2) + np.trace(sigma1) + np.trace(sigma2) - 2 * trace_covmean))


def scores(net: FeatureNet, samples: np.ndarray) -> dict:
    features, probs = net.forward(samples)
    fid = frechet_distance(net.mu, net.sigma, features.mean(axis=0), np.cov(features, rowvar=False))
    marginal = probs.mean(axis=0)
    kl = np.sum(probs * (np.log(probs + 1e-12) - np.log(marginal + 1e-12)), axis=1)
    classes = np.bincount(probs.argmax(1), minlength=probs.shape[1]) / len(samples)
    return {"fid": fid, "inception_score": float(np.exp(kl.mean())), "class_shares": classes.round(4).tolist()}


def nearest(samples: np.ndarray, reference: np.ndarray, k: int = 1, chunk: int = 500) -> tuple[np.ndarray, np.ndarray]:
    """Euclidean distances (n, k) from each sample to its k nearest reference rows, nearest first, and their
    indices. Images are flattened; feature rows are used as they are."""
    a = samples.reshape(len(samples), -1).astype(np.float32)
    b = reference.reshape(len(reference), -1).astype(np.float32)
    b2 = (b * b).sum(axis=1)
    dist, index = np.empty((len(a), k), dtype=np.float32), np.empty((len(a), k), dtype=np.int64)
    for i in range(0, len(a), chunk):
        block = a[i:i + chunk]
        d2 = block @ b.T  # |a - b|^2 less |a|^2, in place: this loop is the checks' main cost
        d2 *= -2
        d2 += b2
        top = d2.argmin(axis=1)[:, None] if k == 1 else np.argpartition(d2, k - 1, axis=1)[:, :k]
        top = np.take_along_axis(top, np.argsort(np.take_along_axis(d2, top, axis=1), axis=1), axis=1)
        near = np.take_along_axis(d2, top, axis=1) + (block * block).sum(axis=1)[:, None]
        dist[i:i + chunk] = np.sqrt(np.maximum(near, 0))
        index[i:i + chunk] = top
    return dist, index


def nearest_distances(samples: np.ndarray, reference: np.ndarray, chunk: int = 500) -> np.ndarray:
    """Euclidean distance from each sample to its nearest reference image (pixels)."""
    return nearest(samples, reference, 1, chunk)[0][:, 0]


SHIFTS = ((0, 0), (1, 0), (-1, 0), (2, 0), (-2, 0), (0, 1), (0, -1), (0, 2), (0, -2))  # (down, right)
MARGIN = 2  # the largest shift


def central(images: np.ndarray) -> np.ndarray:
    """The images less a MARGIN-pixel border: what the windows of `windows` are compared with."""
    return images[:, MARGIN:images.shape[1] - MARGIN, MARGIN:images.shape[2] - MARGIN]


def windows(images: np.ndarray) -> list[np.ndarray]:
    """The images' central windows moved by each of SHIFTS, and the central window flipped left to right.

    A training image shifted by up to MARGIN pixels (or flipped) matches one of them exactly in `central` of
    the training image, whatever lies at its border: comparing these few windows with the training set costs a
    tenth of comparing the images with a shifted and flipped copy of the whole training set."""
    h, w = images.shape[1] - MARGIN, images.shape[2] - MARGIN
    return [images[:, MARGIN + dy:h + dy, MARGIN + dx:w + dx] for dy, dx in SHIFTS] + [central(images)[:, :, ::-1]]


def blend_distances(samples: np.ndarray, reference: np.ndarray, k: int = 8) -> np.ndarray:
    """Distance from each sample to the nearest average (a + b) / 2 of two reference images: near zero for a
    blend of two training images, though it is far from both. `a` is sought among the k reference images most
    like the sample in direction (cosine), where one of the pair is for 97% of averages of random training
    images (measured on the embedded data, k = 8); `b` is then the reference image nearest to 2 * sample - a."""
    x = samples.reshape(len(samples), -1).astype(np.float32)
    ref = reference.reshape(len(reference), -1).astype(np.float32)
    unit = lambda v: v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-6)
    _, index = nearest(unit(x), unit(ref), k)
    other = (2 * x[:, None, :] - ref[index]).reshape(-1, x.shape[1])
    return nearest_distances(other, ref).reshape(len(x), k).min(axis=1) / 2
