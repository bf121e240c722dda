"""`fashion_shapes`: the embedded default of Fashion-MNIST, clothing silhouettes drawn from a seed.

Each shape is a signed distance field (polygons, ellipses, strokes; `raster`) over the image's own
coordinates, with per-image size, position, small rotation and mirroring (not of footwear: Fashion-MNIST's
shoes all point left, and so do these), anti-aliased over one pixel; values are rounded to 256 levels like
the uint8 originals. Classes are exactly balanced, then shuffled.

Black background, one item per image filling the frame as Fashion-MNIST's do. Tops share one template (a
torso with a neckline, two sleeves) so they overlap as in the real set: t-shirts and tops (short, 3/4 or no
sleeves, prints, stripes), pullovers (long hanging sleeves, ribbed hem, sometimes a quarter zip), coats
(longer, flared, a front opening that may hardly show, lapels, pockets) and shirts (short or long sleeves, a
deep collar and button placket, checks); dresses (narrow top, waist, flared hem, some with short sleeves or a
belt). Trousers (two legs, waistband), bags (trapezoid body, handle or not, flap) and side views of sandals
(sole, straps, optional heel), sneakers (low, sole, laces) and ankle boots (shaft, sole, optional heel, zip)
are easy. Item brightness (30% dark items), smooth fabric texture, lighting gradient and grain vary per
image. What it preserves of Fashion-MNIST and what it does not is in bench/data/fashion_mnist.py.
"""

from __future__ import annotations

import numpy as np

from .raster import _c, _ellipse, _Frame, _polygon, _segment, _smooth_noise, _u, shuffled_256_levels

FASHION_SHAPES_VERSION = "fashion-shapes/v1"


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
    return shuffled_256_levels(images, labels, rng)
