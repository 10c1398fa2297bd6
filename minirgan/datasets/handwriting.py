"""Real handwriting as sequences of rows (C5): the UCI optical-recognition digits.

1,797 handwritten digits by 13 writers (Alpaydin & Kaynak 1998, UCI Machine Learning Repository,
CC BY 4.0; ``data/UCI_DIGITS.md`` has the attribution and the file's provenance), each an 8 × 8
grid of counts 0..16 (ink pixels in a 4 × 4 block of a 32 × 32 bitmap). They ship inside the
package, so nothing is downloaded. Read as a sequence, image row t is time step t: T = 8 steps of
F = 8 pixels. Beside the font digits of ``digits.py`` (rendered, 16 × 16, unlimited) these are
few, small and written by people — the harder and more honest test of S4's claim.
"""

import csv
import functools
import gzip
import os

import numpy as np

from .checks import check_count

PATH = os.path.join(os.path.dirname(__file__), "data", "uci_digits.csv.gz")
SIZE = 8              # an image is SIZE × SIZE
LEVELS = 16           # pixel values are 0..LEVELS
N_IMAGES = 1797


@functools.lru_cache(maxsize=1)
def _read():
    """(counts (1797, 8, 8) uint8, labels (1797,) int64) in the file's order."""
    with gzip.open(PATH, "rt", newline="") as f:
        rows = np.array([[int(v) for v in row] for row in csv.reader(f)], dtype=np.int64)
    if rows.shape != (N_IMAGES, SIZE * SIZE + 1):
        raise ValueError(f"{PATH}: expected {N_IMAGES} rows of {SIZE * SIZE + 1} integers, got {rows.shape}")
    counts = rows[:, :-1].reshape(N_IMAGES, SIZE, SIZE).astype(np.uint8)
    return counts, rows[:, -1]


def uci_digits(n=None, rng=None):
    """The UCI handwritten digits as sequences of rows (C5).

    Inputs:
        n: how many images (default all 1,797; more is an error).
        rng: None keeps the file's order; a seed or ``np.random.Generator`` shuffles first, so
            any n draws a random subset with roughly equal classes.

    Returns ``(images, labels)``: images (n, 8, 8) float64 in [0, 1] (count / 16; ink 1,
    background 0), row t of an image is time step t with 8 features; labels (n,) int64 in 0..9.
    """
    counts, labels = _read()
    n = N_IMAGES if n is None else check_count("n", n)
    if n > N_IMAGES:
        raise ValueError(f"n must be at most {N_IMAGES} (the UCI digits hold {N_IMAGES} images), got {n}")
    order = np.arange(N_IMAGES) if rng is None else np.random.default_rng(rng).permutation(N_IMAGES)
    order = order[:n]
    return counts[order] / float(LEVELS), labels[order].copy()
