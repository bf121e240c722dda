"""Image datasets: Fashion-MNIST (Experiment 2, a GAN) and CIFAR-10 (a VAE homework).

Real data
---------
* Fashion-MNIST: the four IDX files, named as MNIST's (train-images-idx3-ubyte,
  ..., plain or .gz), in `<data dir>/fashion-mnist/` (or `fashion_mnist/`,
  `FashionMNIST/raw/`). When a data dir is given but holds none, the copy that
  Debian's package `dataset-fashion-mnist` installs in
  /usr/share/datasets/fashion-mnist/ is used. Images (n, 28, 28) float32 in
  [0, 1]; labels int64, 0-9 in FASHION_CLASSES order.
* CIFAR-10, python version: `cifar-10-batches-py/` (data_batch_1..5,
  test_batch) or the batch files themselves, or the `cifar-10-python.tar.gz`
  archive as `fetch` leaves it (read in one pass, nothing extracted), under
  `<data dir>/cifar-10/` (or `cifar10/`, `CIFAR10/`, the data dir itself). The
  binary version (`cifar-10-batches-bin/*.bin`, `cifar-10-binary.tar.gz`) is
  read too. The python batches are pickles, and a pickle can run code while
  it loads, so they go through `CifarUnpickler`, which lets a pickle name only
  dict, list, str, bytes and numpy's array reconstruction and refuses
  anything else with an error that names what was asked for. Images
  (n, 32, 32, 3) float32 in [0, 1], channels last; labels int64, 0-9 in
  CIFAR_CLASSES order.

Both keep their own train/test split; the decoded uint8 arrays are cached
beside the files (`cached`). Every loader carves a stratified validation part,
`val_fraction` (0.1) of train, fixed by the seed.

Embedded defaults
-----------------
Both are drawn from a seed by a small numpy rasteriser: each shape is a signed
distance field (polygons, ellipses, strokes) over the image's own coordinates,
with per-image size, position, small rotation and mirroring (not of footwear:
Fashion-MNIST's shoes all point left, and so do these), anti-aliased over one
pixel; values are rounded to 256 levels like the uint8 originals. Train and
test are independent draws; classes are exactly balanced, then shuffled.

* `fashion_shapes` (default 6,000 train, of which 600 validation, and 1,000
  test; about 0.7 s of CPU): black background, one item per image filling the
  frame as Fashion-MNIST's do. Tops share one template (a torso with a
  neckline, two sleeves) so they overlap as in the real set: t-shirts and
  tops (short, 3/4 or no sleeves, prints, stripes), pullovers (long hanging
  sleeves, ribbed hem, sometimes a quarter zip), coats (longer, flared, a
  front opening that may hardly show, lapels, pockets) and shirts (short or
  long sleeves, a deep collar and button placket, checks); dresses (narrow
  top, waist, flared hem, some with short sleeves or a belt). Trousers (two
  legs, waistband), bags (trapezoid body, handle or not, flap) and side views
  of sandals (sole, straps, optional heel), sneakers (low, sole, laces) and
  ankle boots (shaft, sole, optional heel, zip) are easy. Item brightness
  (30% dark items), smooth fabric texture, lighting gradient and grain vary
  per image.
  Preserved: the geometry (28x28, items centred and filling the frame, zero
  background), value range and 256 levels, ten balanced classes with
  Fashion-MNIST's names and label order, and its difficulty structure: shirt
  is the hardest class, confused with t-shirt, pullover and coat; pullover
  and coat confuse each other; trouser, bag and footwear are near perfect; a
  pixel-template model trails a nonlinear one by about 0.2. Measured on
  2,000 train / 1,000 test images (tests/test_data_images.py): nearest
  centroid 0.65-0.69, extra trees 0.86-0.87 over 8 seeds; on real
  Fashion-MNIST subsets of the same sizes, 0.66-0.68 and 0.79-0.84.
  Not preserved: photographs (no folds, real logos, straps or shadows), the
  size (60k/10k), exact per-class rates (footwear is easier here, shirts
  harder), pixel statistics (Gaussian naive Bayes scores about 0.67 here,
  0.53-0.56 on the real subsets); so absolute accuracies and a GAN's scores
  are not comparable with the real set's, and targets are kept per variant.

* `cifar_shapes` (default 5,000 train, of which 500 validation, and 1,000
  test; about 2 s of CPU): 32x32 colour scenes, one object each, on a
  background of one of five kinds (sky with clouds, water under sky, grass
  under trees or sky, a road under buildings or trees, an indoor wall and
  floor) chosen with class-dependent but overlapping probabilities. Objects
  are a few shapes with class-dependent palettes: airplanes (fuselage, swept
  wings, tail; greys; tilted, 15 degrees s.d.), cars (body, cabin, windows,
  two wheels) and trucks (box and cab, three wheels; a quarter are pickups
  that look like cars), birds (small, perched or flying), cats and dogs (one
  body-and-head template; pointed ears 90% vs 30% of the time, dogs have a
  snout), deer and horses (one quadruped template; deer slimmer, some with
  antlers), frogs (squat, eyes on top, spots) and ships (hull on the
  waterline, superstructure, funnel, mast). Global brightness and pixel noise
  vary.
  Preserved: shape, range and 256 levels, ten balanced classes with
  CIFAR-10's names and order, objects of varying size and place on cluttered
  coloured backgrounds that correlate with the class, CIFAR-10's confusions
  (cat/dog, car/truck, deer/horse, bird with airplane and deer) and its
  difficulty for pixel models. Measured on 2,000/1,000 images: nearest
  centroid 0.25-0.27, extra trees on 2x2-averaged pixels 0.44-0.47 over 8
  seeds (not measured here on real CIFAR-10; the figures usually reported
  for these model families on its raw pixels are about 0.28 and 0.45-0.5).
  Not preserved: natural images (real texture, pose, occlusion, lighting),
  the size (50k/10k); a VAE's likelihoods and samples are not comparable with
  the real set's, and targets are kept per variant.
"""

from __future__ import annotations

import io
import pickle
import tarfile
from pathlib import Path

import numpy as np

from . import DatasetInfo, DatasetSpec, RemoteFile, Split, cached, checksum
from .digits import IDX_FILES, read_idx, stratified_split

try:  # numpy's array reconstruction, which the CIFAR-10 pickles name (see CifarUnpickler)
    from numpy._core.multiarray import _reconstruct as _np_reconstruct
    from numpy._core.numeric import _frombuffer as _np_frombuffer
except ImportError:  # numpy 1.x
    from numpy.core.multiarray import _reconstruct as _np_reconstruct
    from numpy.core.numeric import _frombuffer as _np_frombuffer

FASHION_SHAPES_VERSION = "fashion-shapes/v1"
CIFAR_SHAPES_VERSION = "cifar-shapes/v1"


# --------------------------------------------------------------------------------------------------
# Rasteriser shared by both generators: shapes are signed distance fields (negative inside) over
# each image's own local coordinates, so one call draws a whole batch with per-image parameters.
# --------------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------------
# Fashion-MNIST-like silhouettes.
# --------------------------------------------------------------------------------------------------

FASHION_CLASSES = ("t-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag",
                   "ankle boot")


def _top_body(f, y0, y1, sw, hw, nw, nd, drop):
    """A front view torso: shoulders at y0 (+drop), hem at y1, a neckline nw wide and nd deep."""
    return _polygon(f, [(-nw, y0 - 0.03), (0.0, y0 + nd), (nw, y0 - 0.03), (sw, y0 + drop), (hw, y1),
                        (-hw, y1), (-sw, y0 + drop)])


def _sleeves(f, x, y, length, angle_deg, root, end):
    """Two sleeves hanging from the shoulder points (+-x, y): root wide at the body, end wide at the cuff.

    angle 0 hangs straight down, 90 sticks straight out; length 0 means no sleeve.
    """
    a = np.deg2rad(angle_deg)
    rb_x, rb_y = x - 0.1, y + root
    mx, my = (x + rb_x) / 2, (y + rb_y) / 2
    dx, dy, px, py = np.sin(a), np.cos(a), np.cos(a), -np.sin(a)
    ex, ey = mx + length * dx, my + length * dy
    sd = np.full(f.u.shape, np.inf, dtype=np.float32)
    for s in (1.0, -1.0):
        quad = _polygon(f, [(s * x, y), (s * (ex + end / 2 * px), ey + end / 2 * py),
                            (s * (ex - end / 2 * px), ey - end / 2 * py), (s * rb_x, rb_y)])
        sd = np.minimum(sd, quad)
    return np.where(_c(length) > 0.05, sd, np.inf)


def _top_params(rng, n, length, sw, flare, neck_w, neck_d):
    length = _u(rng, n, *length)
    y0 = -length / 2 - _u(rng, n, 0.0, 0.06)
    sw = _u(rng, n, *sw)
    return dict(y0=y0, y1=y0 + length, sw=sw, hw=sw + _u(rng, n, *flare), nw=_u(rng, n, *neck_w),
                nd=_u(rng, n, *neck_d), drop=_u(rng, n, 0.03, 0.1))


def _stripes(f, rng, n, p, lo, hi, axis="v"):
    on = rng.random(n) < p
    coord = f.v if axis == "v" else f.u
    band = (np.sin(coord * _c(_u(rng, n, 10, 24)) + _c(_u(rng, n, 0, 6.3))) > 0).astype(np.float32)
    return 1 - _c(on * _u(rng, n, lo, hi)) * band


def _tshirt(rng, f, n):
    p = _top_params(rng, n, (1.35, 1.8), (0.34, 0.48), (-0.06, 0.06), (0.1, 0.2), (0.04, 0.2))
    tank = rng.random(n) < 0.15  # sleeveless tops belong to this class too
    sl = np.where(tank, 0.0, _u(rng, n, 0.2, 0.7))
    sd = np.minimum(_top_body(f, **p), _sleeves(f, p["sw"], p["y0"] + p["drop"], sl, _u(rng, n, 35, 72),
                                               _u(rng, n, 0.28, 0.42), _u(rng, n, 0.22, 0.36)))
    printed = rng.random(n) < 0.35
    logo = f.cover(_ellipse(f, _u(rng, n, -0.1, 0.1), p["y0"] + _u(rng, n, 0.45, 0.8), _u(rng, n, 0.1, 0.3),
                            _u(rng, n, 0.08, 0.25)))
    shade = (1 + _c(printed * _u(rng, n, -0.6, 0.6)) * logo) * _stripes(f, rng, n, 0.2, 0.15, 0.4)
    return sd, shade


def _shirt(rng, f, n):
    p = _top_params(rng, n, (1.4, 1.8), (0.34, 0.48), (-0.04, 0.08), (0.12, 0.2), (0.18, 0.38))
    long = rng.random(n) < 0.55
    sl = np.where(long, _u(rng, n, 0.9, 1.45), _u(rng, n, 0.22, 0.5))
    ang = np.where(long, _u(rng, n, 8, 30), _u(rng, n, 40, 68))
    sd = np.minimum(_top_body(f, **p), _sleeves(f, p["sw"], p["y0"] + p["drop"], sl, ang,
                                               _u(rng, n, 0.28, 0.4), _u(rng, n, 0.2, 0.32)))
    y0, nw, nd = p["y0"], p["nw"], p["nd"]
    t = _u(rng, n, 0.03, 0.06)
    collar = np.minimum(_segment(f, -nw - 0.04, y0 - 0.03, 0, y0 + nd, t),
                        _segment(f, nw + 0.04, y0 - 0.03, 0, y0 + nd, t))
    placket = _segment(f, 0, y0 + nd, 0, p["y1"], _u(rng, n, 0.015, 0.04))
    shade = 1 - _c(_u(rng, n, 0.15, 0.45)) * f.cover(np.minimum(collar, placket))
    checked = rng.random(n) < 0.35
    fr = _c(_u(rng, n, 10, 22))
    grid = ((np.sin(f.u * fr) > 0) ^ (np.sin(f.v * fr) > 0)).astype(np.float32)
    shade = shade * (1 - _c(checked * _u(rng, n, 0.1, 0.35)) * grid)
    return sd, shade


def _pullover(rng, f, n):
    p = _top_params(rng, n, (1.35, 1.75), (0.36, 0.5), (-0.06, 0.04), (0.1, 0.2), (0.04, 0.18))
    sd = np.minimum(_top_body(f, **p), _sleeves(f, p["sw"], p["y0"] + p["drop"], _u(rng, n, 0.95, 1.45),
                                               _u(rng, n, 8, 32), _u(rng, n, 0.3, 0.42), _u(rng, n, 0.2, 0.3)))
    rib = (f.v > _c(p["y1"] - _u(rng, n, 0.08, 0.16))).astype(np.float32)
    shade = (1 - _c(_u(rng, n, 0.0, 0.3)) * rib) * _stripes(f, rng, n, 0.25, 0.1, 0.35)
    zip_ = f.cover(_segment(f, 0, p["y0"] + p["nd"], 0, p["y0"] + _u(rng, n, 0.3, 0.6), 0.02))
    shade = shade * (1 - _c((rng.random(n) < 0.15) * _u(rng, n, 0.1, 0.4)) * zip_)  # quarter-zip jumpers
    return sd, shade


def _coat(rng, f, n):
    p = _top_params(rng, n, (1.5, 1.85), (0.38, 0.5), (-0.02, 0.12), (0.1, 0.2), (0.15, 0.5))
    sd = np.minimum(_top_body(f, **p), _sleeves(f, p["sw"], p["y0"] + p["drop"], _u(rng, n, 1.2, 1.6),
                                               _u(rng, n, 5, 20), _u(rng, n, 0.32, 0.44), _u(rng, n, 0.22, 0.32)))
    y0, y1, nw, nd = p["y0"], p["y1"], p["nw"], p["nd"]
    opening = _segment(f, 0, y0 + nd, 0, y1, _u(rng, n, 0.015, 0.05))
    t = _u(rng, n, 0.02, 0.045)
    lapels = np.minimum(_segment(f, -nw - 0.08, y0, 0, y0 + nd, t), _segment(f, nw + 0.08, y0, 0, y0 + nd, t))
    py = y0 + _u(rng, n, 0.95, 1.2)
    pockets = np.where(_c(rng.random(n) < 0.5), np.minimum(_segment(f, -0.35, py, -0.15, py, 0.02),
                                                           _segment(f, 0.15, py, 0.35, py, 0.02)), np.inf)
    shade = 1 - _c(_u(rng, n, 0.0, 0.7)) * f.cover(opening)  # a closed zip hardly shows
    shade = shade * (1 - _c(_u(rng, n, 0.1, 0.4)) * f.cover(np.minimum(lapels, pockets)))
    return sd, shade


def _dress(rng, f, n):
    y0 = _u(rng, n, -0.95, -0.8)
    y1 = _u(rng, n, 0.85, 0.98)
    tw, nd = _u(rng, n, 0.18, 0.34), _u(rng, n, 0.05, 0.2)
    yw, ww = y0 + _u(rng, n, 0.45, 0.7), _u(rng, n, 0.14, 0.28)
    hw = _u(rng, n, 0.3, 0.8)
    sd = _polygon(f, [(-tw, y0), (0.0, y0 + nd), (tw, y0), (ww, yw), (hw, y1), (-hw, y1), (-ww, yw)])
    sl = np.where(rng.random(n) < 0.35, _u(rng, n, 0.15, 0.35), 0.0)
    sd = np.minimum(sd, _sleeves(f, tw, y0, sl, _u(rng, n, 55, 80), _u(rng, n, 0.18, 0.28), _u(rng, n, 0.15, 0.25)))
    belt = (np.abs(f.v - _c(yw)) < 0.05).astype(np.float32)
    shade = 1 - _c((rng.random(n) < 0.3) * _u(rng, n, 0.2, 0.5)) * belt
    return sd, shade * _stripes(f, rng, n, 0.15, 0.1, 0.3, axis="u")


def _trouser(rng, f, n):
    y0, y1 = _u(rng, n, -0.98, -0.85), _u(rng, n, 0.88, 0.99)
    ww, yc = _u(rng, n, 0.26, 0.4), y0 + _u(rng, n, 0.3, 0.5)
    g, lw = _u(rng, n, 0.0, 0.2) / 2, _u(rng, n, 0.16, 0.28)
    sd = _polygon(f, [(-ww, y0), (ww, y0), (g + lw, y1), (g, y1), (0.0, yc), (-g, y1), (-g - lw, y1)])
    band = (f.v < _c(y0 + _u(rng, n, 0.05, 0.12))).astype(np.float32)
    shade = 1 - _c(_u(rng, n, -0.3, 0.3)) * band
    return sd, shade


def _sneaker(rng, f, n):
    ys, h = _u(rng, n, 0.2, 0.45), _u(rng, n, 0.45, 0.7)
    yt = ys - h
    x0, x1 = -_u(rng, n, 0.88, 0.98), _u(rng, n, 0.85, 0.97)
    tx, ty = x1 - _u(rng, n, 0.45, 0.65), yt - _u(rng, n, 0.0, 0.1)
    sd = _polygon(f, [(x0, ys), (x1, ys), (x1 + 0.03, ys - 0.5 * h), (x1 - 0.05, yt), (x1 - 0.3, yt + 0.12 * h),
                      (tx, ty), (x0 + 0.35, ys - 0.55 * h), (x0 + 0.08, ys - 0.42 * h), (x0, ys - 0.15 * h)])
    sole = (f.v > _c(ys - _u(rng, n, 0.06, 0.15))).astype(np.float32)
    shade = 1 + _c(_u(rng, n, -0.5, 0.5)) * sole
    laces = np.full(f.u.shape, np.inf, dtype=np.float32)
    for k in range(4):
        t = 0.15 + 0.2 * k
        lx, ly = tx + t * (x0 + 0.35 - tx), ty + t * (ys - 0.55 * h - ty)
        laces = np.minimum(laces, _segment(f, lx - 0.06, ly - 0.03, lx + 0.06, ly + 0.05, 0.025))
    shade = shade * (1 + _c((rng.random(n) < 0.6) * _u(rng, n, -0.5, 0.4)) * f.cover(laces))
    return sd, shade


def _ankle_boot(rng, f, n):
    ys, yt = _u(rng, n, 0.75, 0.95), _u(rng, n, -0.95, -0.6)
    x0, x1, xs = -_u(rng, n, 0.85, 0.98), _u(rng, n, 0.75, 0.95), _u(rng, n, 0.05, 0.35)
    sd = _polygon(f, [(x0, ys), (x1, ys), (x1 + 0.02, yt), (xs, yt), (xs - 0.05, ys - 0.45), (x0 + 0.35, ys - 0.38),
                      (x0 + 0.05, ys - 0.25), (x0, ys - 0.1)])
    heel = rng.random(n) < 0.35
    arch = _ellipse(f, x1 - _u(rng, n, 0.4, 0.5), ys + 0.02, _u(rng, n, 0.2, 0.3), _u(rng, n, 0.1, 0.3))
    sd = np.where(_c(heel), np.maximum(sd, -arch), sd)
    sole = (f.v > _c(ys - _u(rng, n, 0.05, 0.14))).astype(np.float32)
    zip_ = _segment(f, (xs + x1) / 2, yt + 0.1, (xs + x1) / 2, ys - 0.3, 0.025)
    shade = (1 + _c(_u(rng, n, -0.5, 0.3)) * sole) * (1 - _c((rng.random(n) < 0.4) * 0.4) * f.cover(zip_))
    return sd, shade


def _sandal(rng, f, n):
    ys = _u(rng, n, 0.35, 0.75)
    x0, x1 = -_u(rng, n, 0.85, 0.97), _u(rng, n, 0.8, 0.95)
    t = _u(rng, n, 0.04, 0.1)
    hh = np.where(rng.random(n) < 0.4, _u(rng, n, 0.15, 0.5), 0.0)  # heel height: the sole tilts up at the back
    sd = _segment(f, x0, ys, x1, ys - hh, t)
    sd = np.where(_c(hh > 0), np.minimum(sd, _segment(f, x1 - 0.06, ys - hh, x1 - 0.1, ys, 0.05)), sd)
    # straps run from the sole up to the instep line, which an instep strap may join
    ix0, iy0 = x0 + _u(rng, n, 0.2, 0.4), ys - _u(rng, n, 0.15, 0.3)
    ix1, iy1 = x1 - _u(rng, n, 0.15, 0.35), ys - hh - _u(rng, n, 0.35, 0.65)
    r = _u(rng, n, 0.025, 0.06)
    k = rng.integers(2, 6, n)
    for j in range(5):
        a = _u(rng, n, 0.0, 1.0)
        xa = x0 + (x1 - x0) * (0.05 + 0.85 * a)
        ya = ys - hh * (xa - x0) / (x1 - x0)
        b = np.clip(a + _u(rng, n, -0.3, 0.3), 0, 1)
        strap = _segment(f, xa, ya, ix0 + b * (ix1 - ix0), iy0 + b * (iy1 - iy0), r)
        sd = np.where(_c(j < k), np.minimum(sd, strap), sd)
    instep = _segment(f, ix0, iy0, ix1, iy1, r)
    sd = np.where(_c(rng.random(n) < 0.5), np.minimum(sd, instep), sd)
    ankle = _segment(f, ix1, iy1, x1, iy1 + _u(rng, n, -0.1, 0.15), r)
    sd = np.where(_c(rng.random(n) < 0.5), np.minimum(sd, ankle), sd)
    return sd, np.ones_like(sd)


def _bag(rng, f, n):
    yb, yt = _u(rng, n, 0.55, 0.95), _u(rng, n, -0.35, 0.25)
    wb = _u(rng, n, 0.55, 0.95)
    wt = wb * _u(rng, n, 0.75, 1.05)
    sd = _polygon(f, [(-wt, yt), (wt, yt), (wb, yb), (-wb, yb)])
    rx = _u(rng, n, 0.2, 0.55)
    ry = np.minimum(_u(rng, n, 0.2, 0.55), yt + 0.95)
    ring = np.maximum(np.abs(_ellipse(f, 0, yt, rx, ry)) - _c(_u(rng, n, 0.03, 0.07)), f.v - _c(yt))
    sd = np.where(_c(rng.random(n) < 0.75), np.minimum(sd, ring), sd)
    flap = (np.abs(f.v - _c(yt + _u(rng, n, 0.15, 0.4))) < 0.04).astype(np.float32)
    shade = 1 - _c((rng.random(n) < 0.45) * _u(rng, n, 0.2, 0.5)) * flap
    return sd, shade


_FASHION_DRAW = (_tshirt, _trouser, _pullover, _dress, _coat, _sandal, _shirt, _sneaker, _bag, _ankle_boot)
_FOOTWEAR = (5, 7, 9)


def fashion_shapes(n: int, seed: int, part: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """n clothing silhouettes (28x28 float32 in [0, 1], 256 grey levels) and labels, balanced and shuffled.

    part numbers independent draws from one seed (the loader's train and test sets are parts 0 and 1).
    """
    rng = np.random.default_rng([seed, 28, part])
    labels = np.arange(n, dtype=np.int64) % 10
    images = np.zeros((n, 28, 28), dtype=np.float32)
    for c, draw in enumerate(_FASHION_DRAW):
        idx = np.flatnonzero(labels == c)
        m = len(idx)
        if not m:
            continue
        f = _Frame(28, scale=_u(rng, m, 0.82, 1.05), angle=np.deg2rad(np.clip(rng.normal(0, 4, m), -10, 10)),
                   shift_x=_u(rng, m, -0.1, 0.1), shift_y=_u(rng, m, -0.08, 0.08),
                   flip=None if c in _FOOTWEAR else rng.random(m) < 0.5, aspect=_u(rng, m, 0.92, 1.08))
        sd, shade = draw(rng, f, m)
        cover = f.cover(sd)
        base = np.where(rng.random(m) < 0.3, _u(rng, m, 0.2, 0.45), _u(rng, m, 0.45, 1.0))
        texture = _c(_u(rng, m, 0.05, 0.3)) * _smooth_noise(rng, m, 28, 6)
        light = _c(_u(rng, m, -0.2, 0.2)) * f.u + _c(_u(rng, m, -0.2, 0.2)) * f.v
        grain = rng.standard_normal((m, 28, 28), dtype=np.float32) * _c(_u(rng, m, 0.01, 0.06))
        images[idx] = cover * np.clip(_c(base) * shade * (1 + texture + light) + grain, 0.0, 1.0)
    perm = rng.permutation(n)
    images = images[perm]
    images *= 255
    np.round(images, out=images)
    images /= 255  # 256 grey levels, like the uint8 originals
    return images, labels[perm]


# --------------------------------------------------------------------------------------------------
# CIFAR-10-like scenes: a textured background, one coloured object built from a few shapes.
# --------------------------------------------------------------------------------------------------

CIFAR_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")

_SKY, _WATER, _GRASS, _ROAD, _INDOOR = range(5)
# How often each class is seen in each kind of scene (rows: classes; columns: the scenes above).
_SCENES = np.array([
    [0.75, 0.05, 0.05, 0.15, 0.00],  # airplane
    [0.05, 0.00, 0.10, 0.75, 0.10],  # automobile
    [0.40, 0.10, 0.45, 0.00, 0.05],  # bird
    [0.00, 0.00, 0.30, 0.10, 0.60],  # cat
    [0.10, 0.00, 0.85, 0.05, 0.00],  # deer
    [0.00, 0.00, 0.45, 0.10, 0.45],  # dog
    [0.00, 0.10, 0.80, 0.00, 0.10],  # frog
    [0.10, 0.00, 0.80, 0.10, 0.00],  # horse
    [0.10, 0.85, 0.00, 0.05, 0.00],  # ship
    [0.05, 0.00, 0.15, 0.80, 0.00],  # truck
])

_GREYS = [(0.9, 0.9, 0.92), (0.75, 0.77, 0.8), (0.6, 0.62, 0.66), (0.97, 0.97, 0.97), (0.45, 0.47, 0.5)]
_PAINT = [(0.75, 0.1, 0.1), (0.12, 0.22, 0.6), (0.9, 0.9, 0.9), (0.1, 0.1, 0.12), (0.6, 0.62, 0.66),
          (0.9, 0.75, 0.1), (0.2, 0.45, 0.25), (0.55, 0.1, 0.15)]
_FUR = [(0.5, 0.33, 0.18), (0.75, 0.6, 0.4), (0.12, 0.1, 0.1), (0.9, 0.88, 0.85), (0.5, 0.5, 0.52),
        (0.85, 0.5, 0.2), (0.8, 0.65, 0.35)]
_BIRD = [(0.5, 0.35, 0.2), (0.55, 0.55, 0.55), (0.2, 0.35, 0.7), (0.7, 0.15, 0.1), (0.85, 0.75, 0.2),
         (0.12, 0.12, 0.12), (0.9, 0.9, 0.88)]
_FROG = [(0.3, 0.55, 0.2), (0.45, 0.5, 0.25), (0.45, 0.35, 0.2), (0.6, 0.65, 0.25), (0.35, 0.4, 0.3)]
_HULL = [(0.25, 0.27, 0.3), (0.55, 0.15, 0.1), (0.9, 0.9, 0.9), (0.1, 0.1, 0.12), (0.15, 0.25, 0.5)]


def _colours(rng, n, palette, weights=None, jitter=0.07):
    pal = np.asarray(palette, dtype=np.float32)
    idx = rng.choice(len(pal), n, p=None if weights is None else np.asarray(weights) / np.sum(weights))
    return np.clip(pal[idx] + rng.normal(0, jitter, (n, 3)).astype(np.float32), 0, 1)


def _mix(a, b, t):
    """Per-pixel blend of two (n, 3) colours or images; t is (n, H, W)."""
    a = a[:, None, None, :] if a.ndim == 2 else a
    b = b[:, None, None, :] if b.ndim == 2 else b
    d = (b - a) * t[..., None]
    d += a
    return d


def _background(rng, scene, horizon, size=32) -> np.ndarray:
    """(n, size, size, 3) scenes: sky, water under sky, grass, road under buildings or trees, indoor walls."""
    img = np.zeros((len(scene), size, size, 3), dtype=np.float32)
    for kind in range(5):
        idx = np.flatnonzero(scene == kind)
        if len(idx):
            img[idx] = _scene(rng, kind, horizon[idx], size)
    return img


def _scene(rng, kind, horizon, size):
    n = len(horizon)
    y = ((np.arange(size, dtype=np.float32) + 0.5) / size * 2 - 1)[None, :, None] * np.ones((n, 1, size), np.float32)
    below = np.clip((y - _c(horizon)) * size / 2 + 0.5, 0, 1)  # 1 under the horizon, soft over one pixel
    noise = _smooth_noise(rng, n, size, 5)[..., None]
    fine = _smooth_noise(rng, n, size, 12)[..., None]

    def sky():
        top = _colours(rng, n, [(0.35, 0.55, 0.85), (0.55, 0.7, 0.9), (0.7, 0.75, 0.8), (0.8, 0.85, 0.9)])
        img = _mix(top, np.clip(top + 0.15, 0, 1), np.clip((y + 1) / 2, 0, 1))
        clouds = np.clip(noise[..., 0] * _c(_u(rng, n, 0.0, 0.8)) - 0.2, 0, 1)
        return _mix(img, np.ones((n, 3), np.float32), clouds)

    def far():  # what lies behind grass or a road: a tree line or the sky
        trees = _colours(rng, n, [(0.15, 0.3, 0.12), (0.2, 0.35, 0.2), (0.3, 0.35, 0.25)])[:, None, None, :] * (
            1 + 0.3 * fine)
        return np.where((rng.random(n) < 0.5)[:, None, None, None], trees, sky())

    if kind == _SKY:
        return sky()
    if kind == _WATER:
        water = _colours(rng, n, [(0.1, 0.25, 0.45), (0.15, 0.35, 0.45), (0.3, 0.4, 0.5), (0.2, 0.3, 0.35)])
        ripple = np.sin(y * _c(_u(rng, n, 30, 60)) + 2 * fine[..., 0])[..., None] * 0.06
        return _mix(sky(), water[:, None, None, :] * (1 + 0.2 * noise) + ripple, below)
    if kind == _GRASS:
        ground = _colours(rng, n, [(0.3, 0.5, 0.2), (0.45, 0.5, 0.25), (0.5, 0.42, 0.28), (0.25, 0.38, 0.18)])
        return _mix(far(), ground[:, None, None, :] * (1 + 0.25 * noise + 0.2 * fine), below)
    if kind == _ROAD:
        asphalt = _colours(rng, n, [(0.4, 0.4, 0.42), (0.5, 0.5, 0.5), (0.3, 0.3, 0.32), (0.55, 0.52, 0.48)])
        walls = _colours(rng, n, [(0.7, 0.65, 0.55), (0.55, 0.5, 0.45), (0.8, 0.8, 0.78), (0.45, 0.55, 0.6)])
        facades = np.sign(np.sin(np.arange(size, dtype=np.float32) * _u(rng, n, 0.3, 1.0)[:, None]))
        city = walls[:, None, None, :] * (1 + 0.1 * facades[:, None, :, None])
        behind = np.where((rng.random(n) < 0.5)[:, None, None, None], city, far())
        return _mix(behind, asphalt[:, None, None, :] * (1 + 0.15 * fine), below)
    wall = _colours(rng, n, [(0.8, 0.72, 0.6), (0.6, 0.45, 0.3), (0.9, 0.88, 0.85), (0.55, 0.6, 0.7), (0.7, 0.5, 0.5)])
    floor = _colours(rng, n, [(0.45, 0.3, 0.2), (0.3, 0.3, 0.35), (0.7, 0.6, 0.45), (0.6, 0.2, 0.2)])
    return _mix(wall, floor, below) * (1 + 0.2 * noise)


def _paint(img, f, sd, colour, shade=None):
    """Composite a shape of one colour per image (optionally shaded) over img, in place."""
    col = colour[:, None, None, :] if shade is None else colour[:, None, None, :] * shade[..., None]
    d = (col - img) * f.cover(sd)[..., None]
    img += d


def _airplane(rng, f, n, img):
    body = _colours(rng, n, _GREYS)
    rx, ry = _u(rng, n, 0.75, 0.95), _u(rng, n, 0.08, 0.14)
    sweep, span = _u(rng, n, 0.0, 0.35), _u(rng, n, 0.45, 0.8)
    wing = np.minimum(_polygon(f, [(-0.1, 0.0), (0.25, 0.0), (-0.15 - sweep, span), (-0.35 - sweep, span)]),
                      _polygon(f, [(-0.1, 0.0), (0.25, 0.0), (-0.15 - sweep, -span), (-0.35 - sweep, -span)]))
    top_view = rng.random(n) < 0.5  # side views show one wing, foreshortened
    wing = np.where(_c(top_view), wing, np.maximum(wing, f.v))
    tail = _polygon(f, [(-rx + 0.05, 0.0), (-rx + 0.3, 0.0), (-rx - 0.02, -_u(rng, n, 0.2, 0.4))])
    _paint(img, f, np.minimum(wing, tail), body * 0.85)
    _paint(img, f, _ellipse(f, 0, 0, rx, ry), body, 1 + 0.3 * np.clip(-f.v / _c(ry), -1, 1))


def _wheels(rng, f, n, img, xs, y, r):
    tyre, hub = np.full((n, 3), 0.08, np.float32), _colours(rng, n, _GREYS)
    for x in xs:
        _paint(img, f, _ellipse(f, x, y, r, r), tyre)
        _paint(img, f, _ellipse(f, x, y, r * 0.45, r * 0.45), hub)


def _automobile(rng, f, n, img):
    paint = _colours(rng, n, _PAINT)
    low, roof = _u(rng, n, 0.0, 0.12), -_u(rng, n, 0.22, 0.42)
    nose = _u(rng, n, 0.85, 0.98)
    body = _polygon(f, [(-0.95, low), (-0.9, low - 0.12), (nose - 0.1, low - 0.08), (nose, low + 0.05), (nose, 0.32),
                        (-0.95, 0.32)])
    cabin = _polygon(f, [(-0.6, low - 0.1), (0.45, low - 0.1), (0.2, roof), (-0.4, roof)])
    _paint(img, f, np.minimum(body, cabin), paint, 1 + 0.25 * np.clip(-f.v, -1, 1))
    glass = _colours(rng, n, [(0.2, 0.25, 0.35), (0.5, 0.6, 0.7), (0.1, 0.1, 0.12)])
    _paint(img, f, _polygon(f, [(-0.5, low - 0.13), (0.35, low - 0.13), (0.16, roof + 0.06), (-0.35, roof + 0.06)]),
           glass)
    _wheels(rng, f, n, img, (-0.55, 0.55), 0.32, _u(rng, n, 0.14, 0.2))


def _truck(rng, f, n, img):
    paint, box_c = _colours(rng, n, _PAINT), _colours(rng, n, _PAINT + _GREYS)
    same = rng.random(n) < 0.4
    box_c = np.where(same[:, None], paint, box_c)
    pickup = rng.random(n) < 0.25  # open load beds make them look like cars
    top = np.where(pickup, _u(rng, n, -0.1, 0.05), _u(rng, n, -0.75, -0.3))
    cab_x, cab_top = _u(rng, n, 0.2, 0.45), _u(rng, n, -0.55, -0.3)
    box = _polygon(f, [(-0.95, top), (cab_x - 0.05, top), (cab_x - 0.05, 0.32), (-0.95, 0.32)])
    cab = _polygon(f, [(cab_x, cab_top), (0.85, cab_top), (0.95, 0.0), (0.95, 0.32), (cab_x, 0.32)])
    _paint(img, f, box, box_c, 1 + 0.2 * np.clip(-f.v, -1, 1))
    _paint(img, f, cab, paint, 1 + 0.2 * np.clip(-f.v, -1, 1))
    glass = _colours(rng, n, [(0.2, 0.25, 0.35), (0.5, 0.6, 0.7), (0.1, 0.1, 0.12)])
    window = _polygon(f, [(cab_x + 0.08, cab_top + 0.06), (0.8, cab_top + 0.06), (0.86, -0.05), (cab_x + 0.08, -0.05)])
    _paint(img, f, window, glass)
    r = _u(rng, n, 0.14, 0.19)
    _wheels(rng, f, n, img, (-0.65, -0.3, 0.65), 0.34, r)


def _bird(rng, f, n, img):
    c, wing_c = _colours(rng, n, _BIRD), _colours(rng, n, _BIRD)
    rx, ry = _u(rng, n, 0.35, 0.5), _u(rng, n, 0.2, 0.3)
    hx, hy, hr = rx * 0.85, -ry - 0.05, _u(rng, n, 0.13, 0.2)
    beak = _polygon(f, [(hx + hr * 0.8, hy - 0.04), (hx + hr + _u(rng, n, 0.1, 0.25), hy + 0.02),
                        (hx + hr * 0.8, hy + 0.06)])
    _paint(img, f, beak, _colours(rng, n, [(0.9, 0.7, 0.2), (0.2, 0.2, 0.2), (0.6, 0.5, 0.4)]))
    tail = _polygon(f, [(-rx * 0.8, -0.05), (-rx - _u(rng, n, 0.2, 0.4), _u(rng, n, -0.2, 0.25)), (-rx * 0.7, 0.12)])
    flying = rng.random(n) < 0.35
    span = _u(rng, n, 0.5, 0.9)
    spread = _polygon(f, [(-0.25, 0.0), (0.2, 0.0), (-0.1 + _u(rng, n, -0.3, 0.3), -span)])
    folded = _ellipse(f, -0.05, 0.0, rx * 0.7, ry * 0.6, 0.2)
    _paint(img, f, np.minimum(_ellipse(f, 0, 0, rx, ry), np.minimum(tail, _ellipse(f, hx, hy, hr, hr))), c,
           1 + 0.25 * np.clip(-f.v, -1, 1))
    _paint(img, f, np.where(_c(flying), spread, folded), wing_c)
    _paint(img, f, _ellipse(f, hx + hr * 0.35, hy - hr * 0.2, 0.04, 0.04), np.zeros((n, 3), np.float32))


def _quadruped(rng, f, n, img, c, *, rx, ry, neck, head, leg_len, leg_r):
    """Body ellipse, four legs, a neck up to the head: deer and horses (and, shorter-legged, nothing else)."""
    rx, ry = _u(rng, n, *rx), _u(rng, n, *ry)
    by = 0.85 - _u(rng, n, *leg_len) - ry
    legs = np.full(f.u.shape, np.inf, np.float32)
    r = _u(rng, n, *leg_r)
    for x in (-0.75, -0.55, 0.55, 0.75):
        sw = _u(rng, n, -0.12, 0.12)
        legs = np.minimum(legs, _segment(f, x * rx, by, x * rx + sw, 0.85, r))
    hx, hy = rx + _u(rng, n, *neck), by - ry - _u(rng, n, 0.3, 0.5)
    nw = _u(rng, n, 0.07, 0.14)
    neck_sd = _polygon(f, [(rx * 0.5, by - ry * 0.3), (rx * 0.85, by + ry * 0.2), (hx + nw, hy), (hx - nw, hy - 0.05)])
    hl = _u(rng, n, *head)
    head_sd = _ellipse(f, hx + hl * 0.6, hy + 0.02, hl, _u(rng, n, 0.08, 0.12), _u(rng, n, 0.1, 0.6))
    sd = np.minimum(np.minimum(_ellipse(f, 0, by, rx, ry), legs), np.minimum(neck_sd, head_sd))
    _paint(img, f, sd, c, 1 + 0.3 * np.clip((_c(by) - f.v) / _c(ry), -1, 1))
    return hx, hy, by, rx, ry, r


def _deer(rng, f, n, img):
    c = _colours(rng, n, [(0.6, 0.42, 0.25), (0.5, 0.35, 0.2), (0.7, 0.55, 0.35), (0.45, 0.38, 0.3)])
    hx, hy, by, rx, ry, r = _quadruped(rng, f, n, img, c, rx=(0.38, 0.5), ry=(0.17, 0.24), neck=(0.05, 0.2),
                                       head=(0.1, 0.16), leg_len=(0.4, 0.55), leg_r=(0.03, 0.045))
    antlers = np.full(f.u.shape, np.inf, np.float32)
    for dx in (-0.15, 0.0, 0.15):
        tip_x, tip_y = hx + dx + _u(rng, n, -0.1, 0.1), hy - _u(rng, n, 0.25, 0.45)
        antlers = np.minimum(antlers, _segment(f, hx, hy - 0.05, tip_x, tip_y, 0.025))
    _paint(img, f, np.where(_c(rng.random(n) < 0.45), antlers, np.inf), c * 0.7)
    _paint(img, f, _ellipse(f, 0, by + ry * 0.6, rx * 0.7, ry * 0.3), np.clip(c + 0.3, 0, 1))  # pale belly


def _horse(rng, f, n, img):
    c = _colours(rng, n, [(0.45, 0.25, 0.12), (0.12, 0.1, 0.1), (0.85, 0.85, 0.82), (0.6, 0.35, 0.15),
                          (0.5, 0.45, 0.4)])
    hx, hy, by, rx, ry, r = _quadruped(rng, f, n, img, c, rx=(0.45, 0.62), ry=(0.2, 0.28), neck=(0.1, 0.25),
                                       head=(0.16, 0.24), leg_len=(0.38, 0.5), leg_r=(0.045, 0.07))
    tail = _segment(f, -rx, by - ry * 0.5, -rx - _u(rng, n, 0.1, 0.25), by + _u(rng, n, 0.2, 0.45), 0.05)
    mane = _segment(f, rx * 0.6, by - ry, hx - 0.05, hy - 0.02, 0.05)
    _paint(img, f, np.minimum(tail, mane), c * 0.55)


def _small_mammal(rng, f, n, img, c, *, pointy_ears):
    """Cats and dogs: the same body and head; ears, snouts and palettes differ (and overlap)."""
    lying = rng.random(n) < 0.4
    brx = np.where(lying, _u(rng, n, 0.5, 0.7), _u(rng, n, 0.3, 0.45))
    bry = np.where(lying, _u(rng, n, 0.2, 0.3), _u(rng, n, 0.35, 0.5))
    by = 0.85 - bry
    hr = _u(rng, n, 0.22, 0.32)
    hx = np.where(lying, brx * 0.7, brx * 0.3)
    hy = by - bry - hr * _u(rng, n, 0.2, 0.6)
    body = np.minimum(_ellipse(f, 0, by, brx, bry), _ellipse(f, hx, hy, hr, hr))
    ear = np.full(f.u.shape, np.inf, np.float32)
    for s in (-1.0, 1.0):
        ex = hx + s * hr * 0.6
        tri = _polygon(f, [(ex - 0.12, hy - hr * 0.5), (ex + s * 0.05, hy - hr - _u(rng, n, 0.15, 0.3)),
                           (ex + 0.12, hy - hr * 0.5)])
        flop = _ellipse(f, hx + s * hr * 0.95, hy + hr * 0.2, _u(rng, n, 0.07, 0.12), _u(rng, n, 0.18, 0.28))
        ear = np.minimum(ear, np.where(_c(pointy_ears), tri, flop))
    _paint(img, f, np.minimum(body, ear), c, 1 + 0.25 * np.clip(-f.v, -1, 1))
    tabby = rng.random(n) < 0.3
    stripes = (np.sin(f.u * _c(_u(rng, n, 15, 30))) > 0.3).astype(np.float32) * f.cover(body)
    img *= 1 - (0.35 * _c(tabby) * stripes)[..., None]
    return hx, hy, hr


def _cat(rng, f, n, img):
    c = _colours(rng, n, _FUR, weights=[2, 1, 3, 2, 3, 3, 1])
    hx, hy, hr = _small_mammal(rng, f, n, img, c, pointy_ears=rng.random(n) < 0.9)
    eye = _colours(rng, n, [(0.6, 0.75, 0.2), (0.85, 0.7, 0.2), (0.3, 0.5, 0.6)])
    for s in (-1.0, 1.0):
        _paint(img, f, _ellipse(f, hx + s * hr * 0.38, hy - hr * 0.1, 0.06, 0.045), eye)
    _paint(img, f, _ellipse(f, hx, hy + hr * 0.35, 0.04, 0.03), _colours(rng, n, [(0.8, 0.5, 0.5), (0.2, 0.15, 0.15)]))


def _dog(rng, f, n, img):
    c = _colours(rng, n, _FUR, weights=[3, 3, 2, 2, 1, 1, 3])
    hx, hy, hr = _small_mammal(rng, f, n, img, c, pointy_ears=rng.random(n) < 0.3)
    snout = _ellipse(f, hx + hr * 0.55, hy + hr * 0.45, _u(rng, n, 0.14, 0.22), _u(rng, n, 0.1, 0.14))
    _paint(img, f, snout, np.clip(c * _u(rng, n, 0.8, 1.3)[:, None], 0, 1))
    _paint(img, f, _ellipse(f, hx + hr * 0.55 + 0.12, hy + hr * 0.35, 0.06, 0.05), np.full((n, 3), 0.08, np.float32))
    for s in (-1.0, 1.0):
        _paint(img, f, _ellipse(f, hx + s * hr * 0.35, hy - hr * 0.15, 0.05, 0.05), np.full((n, 3), 0.1, np.float32))


def _frog(rng, f, n, img):
    c = _colours(rng, n, _FROG)
    rx, ry = _u(rng, n, 0.4, 0.6), _u(rng, n, 0.2, 0.3)
    by = 0.8 - ry
    leg = _ellipse(f, -rx * 0.6, by + ry * 0.5, rx * 0.6, ry * 0.45, -0.3)
    front = _segment(f, rx * 0.6, by, rx * 0.8, 0.85, 0.06)
    eye_x, eye_y = rx * 0.55, by - ry * 0.9
    eyes = _ellipse(f, eye_x, eye_y, 0.1, 0.09)
    _paint(img, f, np.minimum(np.minimum(_ellipse(f, 0, by, rx, ry), leg), np.minimum(front, eyes)), c,
           1 + 0.3 * np.clip((_c(by) - f.v) / _c(ry), -1, 1))
    _paint(img, f, _ellipse(f, eye_x + 0.02, eye_y, 0.045, 0.045), np.full((n, 3), 0.05, np.float32))
    spots = (_smooth_noise(rng, n, f.u.shape[1], 9) > 0.8).astype(np.float32) * f.cover(_ellipse(f, 0, by, rx, ry))
    img *= 1 - (0.4 * _c(rng.random(n) < 0.4) * spots)[..., None]
    _paint(img, f, _ellipse(f, rx * 0.2, by + ry * 0.55, rx * 0.6, ry * 0.3), np.clip(c + 0.25, 0, 1))


def _ship(rng, f, n, img):
    hull_c, top_c = _colours(rng, n, _HULL), _colours(rng, n, _GREYS + [(0.8, 0.75, 0.6)])
    deck, keel = _u(rng, n, 0.05, 0.2), _u(rng, n, 0.35, 0.5)
    hull = _polygon(f, [(-0.95, deck), (0.98, deck - _u(rng, n, 0.0, 0.15)), (0.75, keel), (-0.85, keel)])
    x0, x1 = _u(rng, n, -0.75, -0.3), _u(rng, n, -0.1, 0.45)
    top = _polygon(f, [(x0, deck + 0.01), (x1, deck + 0.01), (x1, deck - _u(rng, n, 0.2, 0.45)),
                       (x0, deck - _u(rng, n, 0.2, 0.45))])
    funnel = _polygon(f, [(x0 + 0.1, deck - 0.2), (x0 + 0.25, deck - 0.2), (x0 + 0.25, deck - _u(rng, n, 0.45, 0.65)),
                          (x0 + 0.1, deck - _u(rng, n, 0.45, 0.65))])
    mast = _segment(f, x1 - 0.05, deck, x1 - 0.05, deck - _u(rng, n, 0.4, 0.8), 0.025)
    _paint(img, f, np.minimum(mast, np.where(_c(rng.random(n) < 0.5), funnel, np.inf)), _colours(rng, n, _HULL))
    _paint(img, f, top, top_c, 1 + 0.2 * np.clip(-f.v, -1, 1))
    _paint(img, f, hull, hull_c)
    return keel


_CIFAR_DRAW = (_airplane, _automobile, _bird, _cat, _deer, _dog, _frog, _horse, _ship, _truck)


def cifar_shapes(n: int, seed: int, part: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """n coloured scenes (32x32x3 float32 in [0, 1], 256 levels) and labels, balanced and shuffled.

    part numbers independent draws from one seed (the loader's train and test sets are parts 0 and 1).
    """
    rng = np.random.default_rng([seed, 32, part])
    labels = np.arange(n, dtype=np.int64) % 10
    images = np.zeros((n, 32, 32, 3), dtype=np.float32)
    for c, draw in enumerate(_CIFAR_DRAW):
        idx = np.flatnonzero(labels == c)
        m = len(idx)
        if not m:
            continue
        scale = _u(rng, m, 0.55, 0.95) if c != 2 else _u(rng, m, 0.4, 0.8)  # birds are small in the frame
        spread = 1 - scale
        sx, sy = _u(rng, m, -1, 1) * spread * 0.8, _u(rng, m, -1, 1) * spread * 0.8
        angle = np.deg2rad(rng.normal(0, 15 if c == 0 else 4, m))
        f = _Frame(32, scale=scale, angle=angle, shift_x=sx, shift_y=sy, flip=rng.random(m) < 0.5)
        scene = rng.choice(5, size=m, p=_SCENES[c])
        # The horizon sits about where the object stands (ships: at the waterline); else anywhere.
        horizon = np.clip(sy + scale * _u(rng, m, 0.1, 0.5), -0.8, 0.8)
        img = _background(rng, scene, horizon)
        draw(rng, f, m, img)
        img *= _u(rng, m, 0.7, 1.2)[:, None, None, None]
        grain = rng.standard_normal(img.shape, dtype=np.float32)
        grain *= _u(rng, m, 0.01, 0.04)[:, None, None, None]
        img += grain
        images[idx] = np.clip(img, 0, 1)
    perm = rng.permutation(n)
    images = images[perm]
    images *= 255
    np.round(images, out=images)
    images /= 255  # 256 grey levels, like the uint8 originals
    return images, labels[perm]


# --------------------------------------------------------------------------------------------------
# Fashion-MNIST: real files and the loader.
# --------------------------------------------------------------------------------------------------

DEFAULT_SEED = 20261123
FASHION_FOLDERS = ("fashion-mnist", "fashion_mnist", "FashionMNIST/raw")  # under the data dir
# Where Debian's package dataset-fashion-mnist installs the four .gz files (checked with dpkg -c on
# dataset-fashion-mnist_0.0~git20200523.55506a9-1_all.deb). Its .gz files are recompressed without the
# file name in the gzip header, so their SHA-256 differs from FASHION_MNIST_FILES; the decoded IDX content
# is what the loader reads and checksums.
SYSTEM_FASHION_DIRS = (Path("/usr/share/datasets/fashion-mnist"),)


def _idx_files(folder: Path) -> dict[str, Path] | None:
    found = {}
    for key, stem in IDX_FILES.items():
        for name in (stem, stem + ".gz", stem.replace("-idx", ".idx")):
            if (folder / name).is_file():
                found[key] = folder / name
                break
    return found if len(found) == len(IDX_FILES) else None


def find_fashion_mnist(data_dir: Path | None, system_dirs=SYSTEM_FASHION_DIRS) -> dict[str, Path] | None:
    """The four Fashion-MNIST IDX files (plain or .gz) under <data dir>/fashion-mnist, else a system copy.

    With no data dir at all the harness uses embedded defaults only, so system copies are looked at
    only when a data dir is given (and holds no Fashion-MNIST files of its own).
    """
    if data_dir is None:
        return None
    for folder in [data_dir / sub for sub in FASHION_FOLDERS] + [Path(d) for d in system_dirs]:
        found = _idx_files(folder)
        if found:
            return found
    return None


def _decode_fashion(files: dict[str, Path]) -> dict[str, np.ndarray]:
    arrays = {k: read_idx(p) for k, p in files.items()}
    for part in ("train", "test"):
        x, y = arrays[f"x_{part}"], arrays[f"y_{part}"]
        if x.ndim != 3 or x.shape[1:] != (28, 28) or y.ndim != 1 or len(x) != len(y):
            raise ValueError(f"{files[f'x_{part}']}: expected images (n, 28, 28) and n labels, got images "
                             f"{x.shape} and labels {y.shape}")
        if len(y) and (y.min() < 0 or y.max() > 9):
            raise ValueError(f"{files[f'y_{part}']}: labels must be 0-9, found {y.min()}..{y.max()}")
    return {k: np.ascontiguousarray(a, dtype=np.uint8) for k, a in arrays.items()}


def _unit(x: np.ndarray) -> np.ndarray:
    """uint8 pixels as float32 in [0, 1], without a float64 copy of a large array on the way."""
    out = x.astype(np.float32)
    out /= 255
    return out


def _image_split(x_train, y_train, x_test, y_test, classes, val_fraction, seed, **info) -> Split:
    """Split with a stratified validation part carved from train (none when val_fraction is 0)."""
    x_val = y_val = None
    if val_fraction > 0:
        tr, va = stratified_split(y_train, val_fraction, seed)
        x_train, y_train, x_val, y_val = x_train[tr], y_train[tr], x_train[va], y_train[va]
    arrays = [x_train, y_train] + ([x_val, y_val] if x_val is not None else []) + [x_test, y_test]
    sizes = {"train": len(y_train), "val": 0 if y_val is None else len(y_val), "test": len(y_test),
             "classes": list(classes)}
    return Split(x_train, y_train, x_test, y_test, DatasetInfo(checksum=checksum(*arrays), sizes=sizes, **info),
                 x_val=x_val, y_val=y_val)


def load_fashion_mnist_files(files: dict[str, Path], seed: int = DEFAULT_SEED, val_fraction: float = 0.1) -> Split:
    """Fashion-MNIST's own 60k/10k split; the validation part is a stratified val_fraction of train."""
    arrays = cached(sorted(files.values()), "fashion-mnist", lambda: _decode_fashion(files))
    folder = files["x_train"].parent
    where = f"Fashion-MNIST IDX files in {folder}"
    if any(folder == Path(d) for d in SYSTEM_FASHION_DIRS):
        where += " (Debian package dataset-fashion-mnist)"
    return _image_split(_unit(arrays["x_train"]), arrays["y_train"].astype(np.int64), _unit(arrays["x_test"]),
                        arrays["y_test"].astype(np.int64), FASHION_CLASSES, val_fraction, seed,
                        name="fashion-mnist", variant="real", version="idx", source=where)


def load_fashion_shapes(seed: int = DEFAULT_SEED, n_train: int = 6000, n_test: int = 1000,
                        val_fraction: float = 0.1) -> Split:
    """The embedded default: generated silhouettes (train and test drawn independently from the seed)."""
    x_train, y_train = fashion_shapes(n_train, seed, part=0)
    x_test, y_test = fashion_shapes(n_test, seed, part=1)
    return _image_split(x_train, y_train, x_test, y_test, FASHION_CLASSES, val_fraction, seed,
                        name="fashion-shapes28", variant="embedded", version=FASHION_SHAPES_VERSION,
                        source=f"generated clothing silhouettes in the 10 Fashion-MNIST classes "
                               f"(bench.data.images), seed {seed}")


# --------------------------------------------------------------------------------------------------
# CIFAR-10: real files (python pickles, read with a restricted unpickler; or the binary version).
# --------------------------------------------------------------------------------------------------

CIFAR_BATCHES = ("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch")
CIFAR_ARCHIVES = {"python": "cifar-10-python.tar.gz", "binary": "cifar-10-binary.tar.gz"}
CIFAR_BATCH_FOLDERS = {"python": "cifar-10-batches-py", "binary": "cifar-10-batches-bin"}
CIFAR_FOLDERS = ("cifar-10", "cifar10", "CIFAR10", "")  # under the data dir; "" is the data dir itself


def find_cifar10(data_dir: Path | None) -> dict[str, Path] | None:
    """CIFAR-10 under <data dir>/cifar-10 (or cifar10, CIFAR10, the data dir itself).

    In the first of these forms found: the extracted cifar-10-batches-py/ (or its six batch files
    directly in the folder), cifar-10-python.tar.gz, then the same for the binary version
    (cifar-10-batches-bin/*.bin, cifar-10-binary.tar.gz). Returns {batch name: path} for the six
    batches (names as in CIFAR_BATCHES), or {"archive": path}; archives are read, not extracted.
    """
    if data_dir is None:
        return None
    for sub in CIFAR_FOLDERS:
        base = data_dir / sub if sub else data_dir
        for layout in ("python", "binary"):
            suffix = ".bin" if layout == "binary" else ""
            for folder in (base / CIFAR_BATCH_FOLDERS[layout], base):
                if all((folder / (b + suffix)).is_file() for b in CIFAR_BATCHES):
                    return {b: folder / (b + suffix) for b in CIFAR_BATCHES}
            if (base / CIFAR_ARCHIVES[layout]).is_file():
                return {"archive": base / CIFAR_ARCHIVES[layout]}
    return None


def cifar_layout(files: dict[str, Path]) -> str:
    """The batch format of what find_cifar10() found: "python" (pickles) or "binary" (3073-byte records)."""
    path = next(iter(files.values()))
    return "binary" if path.name.endswith(".bin") or path.name == CIFAR_ARCHIVES["binary"] else "python"


# What a CIFAR-10 python batch may reference: the containers it is made of and numpy's array
# reconstruction (the batches were pickled by Python 2 numpy as numpy.core.multiarray._reconstruct;
# numpy 2 calls that module numpy._core; pickles of protocol 5 use numeric._frombuffer instead).
_CIFAR_PICKLE_GLOBALS = {
    ("builtins", "dict"): dict, ("builtins", "list"): list, ("builtins", "bytes"): bytes, ("builtins", "str"): str,
    ("__builtin__", "dict"): dict, ("__builtin__", "list"): list, ("__builtin__", "str"): str,
    ("numpy", "ndarray"): np.ndarray, ("numpy", "dtype"): np.dtype,
}
for _core in ("numpy.core", "numpy._core"):
    _CIFAR_PICKLE_GLOBALS[(f"{_core}.multiarray", "_reconstruct")] = _np_reconstruct
    _CIFAR_PICKLE_GLOBALS[(f"{_core}.numeric", "_frombuffer")] = _np_frombuffer


class RefusedGlobal(pickle.UnpicklingError):
    """A pickle named a global that a CIFAR-10 batch has no need of."""


class CifarUnpickler(pickle.Unpickler):
    """Unpickles a CIFAR-10 batch and nothing else: any other global a pickle names is refused.

    A pickle can call any importable function while it loads; CIFAR batches need only dicts, lists,
    strings, bytes and numpy arrays, so those (and numpy's array reconstruction) are all it may name.
    """

    def __init__(self, file, source: str = "pickle"):
        super().__init__(file, encoding="bytes")  # Python 2 str -> bytes, as the batches were written
        self.source = source

    def find_class(self, module: str, name: str):
        try:
            return _CIFAR_PICKLE_GLOBALS[(module, name)]
        except KeyError:
            raise RefusedGlobal(
                f"{self.source}: refusing to load the global {module}.{name}: a CIFAR-10 batch holds only dicts, "
                f"lists, strings and numpy arrays, so this file is not one (or has been tampered with)") from None


def read_cifar_batch(raw: bytes, source: str) -> tuple[np.ndarray, np.ndarray]:
    """One python-version batch: images (n, 32, 32, 3) uint8 and labels int64."""
    try:
        batch = CifarUnpickler(io.BytesIO(raw), source).load()
    except RefusedGlobal:
        raise
    except Exception as exc:  # truncated, or not a pickle at all
        raise ValueError(f"{source}: not a CIFAR-10 python batch ({type(exc).__name__}: {exc})") from None
    if not isinstance(batch, dict):
        raise ValueError(f"{source}: expected a dict with 'data' and 'labels', got {type(batch).__name__}")
    batch = {k.decode("latin-1") if isinstance(k, bytes) else k: v for k, v in batch.items()}
    if "data" not in batch or "labels" not in batch:
        raise ValueError(f"{source}: expected keys 'data' and 'labels', found {sorted(map(str, batch))}")
    data, labels = batch["data"], np.asarray(batch["labels"], dtype=np.int64)
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != 3072:
        raise ValueError(f"{source}: 'data' must be a uint8 array (n, 3072), got "
                         f"{getattr(data, 'dtype', type(data).__name__)} {getattr(data, 'shape', '')}")
    if labels.shape != (len(data),):
        raise ValueError(f"{source}: {len(data)} images but {labels.size} labels")
    return data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1), labels


def read_cifar_binary(raw: bytes, source: str) -> tuple[np.ndarray, np.ndarray]:
    """One binary-version batch: records of 1 label byte + 3072 pixel bytes (red, green, blue planes)."""
    if len(raw) % 3073:
        raise ValueError(f"{source}: {len(raw)} bytes is not a whole number of 3073-byte CIFAR-10 records")
    rec = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3073)
    return rec[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1), rec[:, 0].astype(np.int64)


def _read_cifar_members(path: Path, names: list[str]) -> dict[str, bytes]:
    """The named batch files from the archive, by base name, in one streaming pass (nothing is extracted)."""
    wanted, found = set(names), {}
    with tarfile.open(path, "r|gz") as tar:
        for member in tar:
            base = member.name.rsplit("/", 1)[-1]
            if member.isfile() and base in wanted and base not in found:
                found[base] = tar.extractfile(member).read()
    missing = [n for n in names if n not in found]
    if missing:
        raise ValueError(f"{path}: the archive holds no {', '.join(missing)}")
    return found


def _decode_cifar(files: dict[str, Path]) -> dict[str, np.ndarray]:
    layout = cifar_layout(files)
    if "archive" in files:
        names = [b + ".bin" if layout == "binary" else b for b in CIFAR_BATCHES]
        found = _read_cifar_members(files["archive"], names)
        raws = [found[n] for n in names]
        sources = [f"{files['archive']}:{n}" for n in names]
    else:
        raws = [files[b].read_bytes() for b in CIFAR_BATCHES]
        sources = [str(files[b]) for b in CIFAR_BATCHES]
    read = read_cifar_binary if layout == "binary" else read_cifar_batch
    parts = [read(raw, src) for raw, src in zip(raws, sources)]
    for (_, y), src in zip(parts, sources):
        if len(y) and (y.min() < 0 or y.max() > 9):
            raise ValueError(f"{src}: labels must be 0-9, found {y.min()}..{y.max()}")
    return {"x_train": np.ascontiguousarray(np.concatenate([x for x, _ in parts[:5]])),
            "y_train": np.concatenate([y for _, y in parts[:5]]),
            "x_test": np.ascontiguousarray(parts[5][0]), "y_test": parts[5][1]}


def load_cifar10_files(files: dict[str, Path], seed: int = DEFAULT_SEED, val_fraction: float = 0.1) -> Split:
    """CIFAR-10's own 50k/10k split; the validation part is a stratified val_fraction of train."""
    layout = cifar_layout(files)
    arrays = cached(sorted(files.values()), f"cifar-10-{layout}", lambda: _decode_cifar(files))
    what = "archive" if "archive" in files else "batches"
    return _image_split(_unit(arrays["x_train"]), arrays["y_train"].astype(np.int64), _unit(arrays["x_test"]),
                        arrays["y_test"].astype(np.int64), CIFAR_CLASSES, val_fraction, seed,
                        name="cifar-10", variant="real", version=f"{layout}-batches",
                        source=f"CIFAR-10 {layout}-version {what} in {next(iter(files.values())).parent}")


def load_cifar_shapes(seed: int = DEFAULT_SEED, n_train: int = 5000, n_test: int = 1000,
                      val_fraction: float = 0.1) -> Split:
    """The embedded default: generated scenes (train and test drawn independently from the seed)."""
    x_train, y_train = cifar_shapes(n_train, seed, part=0)
    x_test, y_test = cifar_shapes(n_test, seed, part=1)
    return _image_split(x_train, y_train, x_test, y_test, CIFAR_CLASSES, val_fraction, seed,
                        name="cifar-shapes32", variant="embedded", version=CIFAR_SHAPES_VERSION,
                        source=f"generated 32x32 colour scenes in the 10 CIFAR-10 classes (bench.data.images), "
                               f"seed {seed}")


# --------------------------------------------------------------------------------------------------
# Canonical files.
# --------------------------------------------------------------------------------------------------

# Sizes and SHA-256 as published in TensorFlow Datasets' url_checksums/fashion_mnist.txt (Keras'
# keras/src/datasets/fashion_mnist.py pins the same four SHA-256 for its mirror of these files).
_FASHION_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
FASHION_MNIST_FILES = tuple(RemoteFile(_FASHION_URL + name, sha, size, name) for name, size, sha in (
    ("train-images-idx3-ubyte.gz", 26421880, "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
    ("train-labels-idx1-ubyte.gz", 29515, "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
    ("t10k-images-idx3-ubyte.gz", 4422102, "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
    ("t10k-labels-idx1-ubyte.gz", 5148, "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
))
# The python version. TensorFlow Datasets' url_checksums/cifar10.txt lists only the *binary* archive
# (cifar-10-binary.tar.gz, 170052171 bytes, sha256 c4a38c50...), so this SHA-256 is the one Keras pins for
# this URL (keras/src/datasets/cifar10.py, `file_hash`). Neither records the size: 170498071 bytes is the
# size independent projects record next to this SHA-256 and torchvision's MD5 for the archive
# (c58f30108f718f92721af3b95e74349a); fetch checks the SHA-256 either way.
CIFAR10_FILES = (RemoteFile("https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
                            "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce", 170498071,
                            CIFAR_ARCHIVES["python"]),)

DATASETS = (
    DatasetSpec(
        name="fashion-mnist", title="Fashion-MNIST clothing images", folder="fashion-mnist",
        files=FASHION_MNIST_FILES, used_by=("exp02",),
        embedded="fashion-shapes28: generated 28x28 clothing silhouettes in the 10 Fashion-MNIST classes",
        find=find_fashion_mnist, read=load_fashion_mnist_files, generate=load_fashion_shapes,
    ),
    DatasetSpec(
        name="cifar-10", title="CIFAR-10 tiny colour images (python version)", folder="cifar-10",
        files=CIFAR10_FILES, used_by=("homework",),
        embedded="cifar-shapes32: generated 32x32 colour scenes in the 10 CIFAR-10 classes",
        find=find_cifar10, read=load_cifar10_files, generate=load_cifar_shapes,
    ),
)

load_fashion_mnist = DATASETS[0].load  # (data_dir=None, seed=None): real Fashion-MNIST if found, else generated
load_cifar10 = DATASETS[1].load  # (data_dir=None, seed=None): real CIFAR-10 if found, else the generated scenes
