"""`cifar_shapes`: the embedded default of CIFAR-10, 32x32 colour scenes drawn from a seed.

One object each, on a background of one of five kinds (sky with clouds, water under sky, grass under trees or
sky, a road under buildings or trees, an indoor wall and floor) chosen with class-dependent but overlapping
probabilities. Objects are a few shapes (`raster`) with class-dependent palettes: airplanes (fuselage, swept
wings, tail; greys; tilted, 15 degrees s.d.), cars (body, cabin, windows, two wheels) and trucks (box and
cab, three wheels; a quarter are pickups that look like cars), birds (small, perched or flying), cats and dogs
(one body-and-head template; pointed ears 90% vs 30% of the time, dogs have a snout), deer and horses (one
quadruped template; deer slimmer, some with antlers), frogs (squat, eyes on top, spots) and ships (hull on the
waterline, superstructure, funnel, mast). Per-image size, position, small rotation and mirroring; global
brightness and pixel noise vary; values are rounded to 256 levels. Classes are exactly balanced, then
shuffled. What it preserves of CIFAR-10 and what it does not is in bench/data/cifar10.py.
"""

from __future__ import annotations

import numpy as np

from .raster import _c, _ellipse, _Frame, _polygon, _segment, _smooth_noise, _u, shuffled_256_levels

CIFAR_SHAPES_VERSION = "cifar-shapes/v1"

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
    return shuffled_256_levels(images, labels, rng)
