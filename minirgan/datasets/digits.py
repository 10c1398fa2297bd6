"""Digits as sequences of rows (C5): small digit images rendered with matplotlib's own fonts.

S4 claims an RNN can generate images as sequences of rows; this data set lets it try without a
download. Each glyph is rendered once, large (GLYPH_PX pixels square), on an Agg canvas with one
of the DejaVu fonts that ship inside matplotlib (so every machine draws the same pixels). Each
sample is then a random affine jitter of one glyph — rotation, scale, shift — resampled with
NumPy to size × size by bilinear interpolation, averaged over 3 × 3 sub-pixels (anti-aliasing).
Rendering costs a few hundredths of a second once; 10,000 samples take about a second.
"""

import functools
import os

import numpy as np

from .checks import check_count

GLYPH_PX = 64                     # resolution at which each glyph is rendered once
FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
         "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSansMono.ttf")
DIGIT_HEIGHT = 0.7                # a digit's nominal height as a fraction of the image height
ROTATION_DEG = 12.0               # rotation ~ U(−12°, 12°)
SCALE = (0.85, 1.1)               # scale ~ U(0.85, 1.1)
SHIFT = 0.08                      # shift ~ U(−0.08, 0.08) · size, per axis
SUBPIXELS = 3                     # 3 × 3 samples per output pixel
_CHUNK = 1000                     # samples resampled at once (bounds the memory in use)


@functools.lru_cache(maxsize=1)
def _glyphs():
    """Every digit in every font: ink images (10, len(FONTS), P, P) in [0, 1] with a zero border,
    their ink-box centres (10, len(FONTS), 2) as (row, col) and heights (10, len(FONTS))."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    font_dir = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
    pad = 2
    P = GLYPH_PX + 2 * pad
    images = np.zeros((10, len(FONTS), P, P))
    centres = np.zeros((10, len(FONTS), 2))
    heights = np.zeros((10, len(FONTS)))
    for k, font in enumerate(FONTS):
        prop = FontProperties(fname=os.path.join(font_dir, font), size=0.6 * 72)  # 0.6 inch
        for d in range(10):
            fig = Figure(figsize=(1, 1), dpi=GLYPH_PX)
            canvas = FigureCanvasAgg(fig)
            fig.text(0.5, 0.5, str(d), ha="center", va="center", fontproperties=prop, color="black")
            canvas.draw()
            ink = 1.0 - np.asarray(canvas.buffer_rgba())[:, :, 0] / 255.0
            rows, cols = np.nonzero(ink > 0.5)
            images[d, k, pad:pad + GLYPH_PX, pad:pad + GLYPH_PX] = ink
            # centre of the ink box, in padded pixel-index coordinates
            centres[d, k] = ((rows.min() + rows.max()) / 2 + pad, (cols.min() + cols.max()) / 2 + pad)
            heights[d, k] = rows.max() - rows.min() + 1
    return images, centres, heights


def _bilinear(images, which, r, c):
    """Sample images[which] (images (K, P, P)) at fractional (row, col) positions; zero outside."""
    P = images.shape[-1]
    r = np.clip(r, 0.0, P - 1.001)   # the border of the padded glyph is zero
    c = np.clip(c, 0.0, P - 1.001)
    r0, c0 = np.floor(r), np.floor(c)
    wr, wc = r - r0, c - c0
    # one flat index per sample point into the raveled images: 4 cheap 1-D gathers
    i = (which * P * P + r0.astype(np.intp) * P + c0.astype(np.intp)).ravel()
    flat = images.ravel()
    g00, g01, g10, g11 = (flat[i + o].reshape(r.shape) for o in (0, 1, P, P + 1))
    return (1 - wr) * ((1 - wc) * g00 + wc * g01) + wr * ((1 - wc) * g10 + wc * g11)


def _render(labels, fonts, angle, scale, shift, size):
    """Resample glyphs to (n, size, size) with the given per-sample jitter."""
    images, centres, heights = _glyphs()
    flat = images.reshape(-1, *images.shape[2:])
    which = labels * len(FONTS) + fonts                                   # (n,)
    # sub-pixel centres of the output image, relative to its centre: (S,) with S = size·SUBPIXELS
    sub = (np.arange(size * SUBPIXELS) + 0.5) / SUBPIXELS - size / 2
    py = sub[None, :, None] - shift[:, 0, None, None]                     # (n, S, 1)
    px = sub[None, None, :] - shift[:, 1, None, None]                     # (n, 1, S)
    # output pixels per glyph pixel, so that the digit is DIGIT_HEIGHT · size · scale tall
    k = (scale * DIGIT_HEIGHT * size / heights.reshape(-1)[which])[:, None, None]
    cos, sin = np.cos(angle)[:, None, None], np.sin(angle)[:, None, None]
    # inverse map: rotate back by the angle and undo the scale, around the glyph's ink centre
    src_r = (cos * py - sin * px) / k + centres.reshape(-1, 2)[which, 0, None, None]
    src_c = (sin * py + cos * px) / k + centres.reshape(-1, 2)[which, 1, None, None]
    # pixel-centre coordinates in the glyph are index + 0.5
    fine = _bilinear(flat, which[:, None, None], src_r - 0.5, src_c - 0.5)
    return fine.reshape(len(labels), size, SUBPIXELS, size, SUBPIXELS).mean(axis=(2, 4))


def digit_sequences(n, size=16, rng=None, digits=range(10)):
    """n jittered digit images read as sequences of rows (C5).

    Returns ``(images, labels)``: images (n, size, size) float64 in [0, 1] (ink 1, background 0),
    row t of an image is time step t with ``size`` features; labels (n,) int64, drawn uniformly
    from ``digits``. Jitter per sample: one of six DejaVu fonts, rotation U(−12°, 12°), scale
    U(0.85, 1.1), shift U(−0.08, 0.08)·size per axis.
    """
    check_count("n", n)
    check_count("size", size, minimum=8)
    choices = np.array(list(digits))
    if choices.size == 0 or choices.dtype.kind not in "iu" or choices.min() < 0 or choices.max() > 9:
        raise ValueError(f"digits must be a non-empty collection of integers 0..9, got {digits!r}")
    rng = np.random.default_rng(rng)
    labels = rng.choice(choices, size=n).astype(np.int64)
    fonts = rng.integers(0, len(FONTS), size=n)
    angle = np.deg2rad(rng.uniform(-ROTATION_DEG, ROTATION_DEG, size=n))
    scale = rng.uniform(*SCALE, size=n)
    shift = rng.uniform(-SHIFT, SHIFT, size=(n, 2)) * size
    out = np.empty((n, size, size))
    for a in range(0, n, _CHUNK):
        b = min(a + _CHUNK, n)
        out[a:b] = _render(labels[a:b], fonts[a:b], angle[a:b], scale[a:b], shift[a:b], size)
    return np.clip(out, 0.0, 1.0), labels
