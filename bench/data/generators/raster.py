"""The rasteriser both image generators draw with: shapes are signed distance fields (negative inside) over
each image's own local coordinates, so one call draws a whole batch with per-image parameters, anti-aliased
over one pixel. The names are short because every shape formula is written in them.
"""

from __future__ import annotations

import numpy as np


def _c(x):
    """A per-image parameter ((n,) array or scalar) shaped to broadcast over (n, H, W)."""
    x = np.asarray(x, dtype=np.float32)
    return x.reshape(-1, 1, 1) if x.ndim else x


class _Frame:
    """Local coordinates (u right, v down, about [-1, 1]) of a batch of size x size images.

    Each image has its own scale, rotation, shift and horizontal flip; `px` is the size of one
    pixel in local units, which sets the width of the anti-aliased edge.
    """

    def __init__(self, size: int, scale, angle, shift_x, shift_y, flip=None, aspect=1.0):
        centres = ((np.arange(size, dtype=np.float32) + 0.5) / size) * 2 - 1
        dx = centres[None, None, :] - _c(shift_x)
        dy = centres[None, :, None] - _c(shift_y)
        cos, sin = np.cos(_c(angle)), np.sin(_c(angle))
        self.u = (cos * dx + sin * dy) / (_c(scale) * _c(aspect))
        self.v = (-sin * dx + cos * dy) / _c(scale)
        if flip is not None:
            self.u = self.u * np.where(_c(flip) > 0, -1.0, 1.0).astype(np.float32)
        self.px = (2.0 / size) / _c(scale)

    def cover(self, sd):
        """Anti-aliased coverage in [0, 1] of the shape with signed distance sd."""
        return np.clip(0.5 - sd / self.px, 0.0, 1.0)


def _polygon(f: _Frame, pts) -> np.ndarray:
    """Signed distance to a polygon (any winding, may be concave); pts: [(x, y), ...] per image."""
    pts = [(_c(x), _c(y)) for x, y in pts]
    u, v = f.u, f.v
    d2 = np.full(u.shape, np.inf, dtype=np.float32)
    inside = np.zeros(u.shape, dtype=bool)
    for (ax, ay), (bx, by) in zip(pts, pts[1:] + pts[:1]):
        ex, ey = bx - ax, by - ay
        inv = 1 / (ex * ex + ey * ey + 1e-9)
        wx, wy = u - ax, v - ay
        t = wx * ex
        t += wy * ey
        t *= inv
        np.clip(t, 0.0, 1.0, out=t)
        dx, dy = wx - t * ex, wy - t * ey
        dx *= dx
        dy *= dy
        dx += dy
        np.minimum(d2, dx, out=d2)
        # even-odd rule: the edge crosses this pixel's row, to the right of the pixel
        cross = ex * wy
        cross -= ey * wx
        cross *= ey
        inside ^= ((ay > v) != (by > v)) & (cross > 0)
    d = np.sqrt(d2)
    return np.where(inside, -d, d)


def _ellipse(f: _Frame, cx, cy, rx, ry, angle=0.0) -> np.ndarray:
    """Approximate signed distance to an ellipse (first-order, exact on circles)."""
    du, dv = f.u - _c(cx), f.v - _c(cy)
    if np.any(np.asarray(angle) != 0):
        cos, sin = np.cos(_c(angle)), np.sin(_c(angle))
        du, dv = cos * du + sin * dv, -sin * du + cos * dv
    rx, ry = _c(rx), _c(ry)
    q = np.sqrt((du / rx) ** 2 + (dv / ry) ** 2)
    g = np.sqrt((du / rx**2) ** 2 + (dv / ry**2) ** 2)
    return np.where(g > 1e-6, (q - 1) * q / np.maximum(g, 1e-6), -np.minimum(rx, ry))


def _segment(f: _Frame, x0, y0, x1, y1, r) -> np.ndarray:
    """Signed distance to a stroke of half-width r from (x0, y0) to (x1, y1)."""
    x0, y0, x1, y1 = _c(x0), _c(y0), _c(x1), _c(y1)
    ex, ey = x1 - x0, y1 - y0
    wx, wy = f.u - x0, f.v - y0
    t = np.clip((wx * ex + wy * ey) / (ex * ex + ey * ey + 1e-9), 0.0, 1.0)
    return np.sqrt((wx - t * ex) ** 2 + (wy - t * ey) ** 2) - _c(r)


def _smooth_noise(rng: np.random.Generator, n: int, size: int, cells: int) -> np.ndarray:
    """Unit-variance-ish smooth random fields: a cells x cells Gaussian grid, bilinearly upsampled."""
    pos = np.linspace(0, cells - 1, size)
    lo = np.minimum(pos.astype(int), cells - 2)
    w = (pos - lo).astype(np.float32)
    m = np.zeros((size, cells), dtype=np.float32)
    m[np.arange(size), lo] = 1 - w
    m[np.arange(size), lo + 1] = w
    grid = rng.standard_normal((n, cells, cells)).astype(np.float32)
    return m @ grid @ m.T


def _u(rng, n, lo, hi):
    return rng.uniform(lo, hi, n).astype(np.float32)


def shuffled_256_levels(images: np.ndarray, labels: np.ndarray, rng: np.random.Generator):
    """(images, labels) in a random order, the values rounded to 256 levels like the uint8 originals."""
    perm = rng.permutation(len(labels))
    images = images[perm]
    images *= 255
    np.round(images, out=images)
    images /= 255  # 256 grey levels, like the uint8 originals
    return images, labels[perm]
