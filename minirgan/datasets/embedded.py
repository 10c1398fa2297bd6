"""The embedded data sets: nothing is downloaded.

* TimeGAN's sines and RCGAN-style sines, generated: each draws independent parameters per
  sequence and per feature, so a generator has to learn a distribution of frequencies and phases
  (and amplitudes), not one curve.
* Real handwriting as sequences of rows (C5): the UCI optical-recognition digits, 1,797 digits by
  13 writers (Alpaydin & Kaynak 1998, UCI Machine Learning Repository, CC BY 4.0;
  ``data/UCI_DIGITS.md`` has the attribution and the file's provenance), each an 8 × 8 grid of
  counts 0..16. Image row t is time step t: T = 8 steps of F = 8 pixels. Beside the font digits
  of ``digits.py`` (rendered, 16 × 16, unlimited) these are few, small and written by people.
* TimeGAN's Stocks benchmark, daily Google prices: ``data/stock_data.csv`` (TimeGAN's,
  Apache-2.0; ``data/STOCKS.md`` has the attribution, ``data/APACHE-2.0.txt`` the licence),
  read like a user's CSV (:mod:`.tables`): 3,685 trading days × 6 columns (Open, High, Low,
  Close, Adj_Close, Volume), oldest row first, no date column; then min-max scaled per column and
  cut into overlapping windows of ``seq_len`` (24) steps — TimeGAN's protocol (its loader also
  reverses the rows; see ``data/STOCKS.md``).

All of them ship inside the package (``setup.cfg``'s package data), so they work from a clone or
an installed wheel.
"""

import csv
import functools
import gzip
import os

import numpy as np

from .checks import check_count

DATA_FOLDER = os.path.join(os.path.dirname(__file__), "data")
STOCKS_PATH = os.path.join(DATA_FOLDER, "stock_data.csv")
UCI_PATH = os.path.join(DATA_FOLDER, "uci_digits.csv.gz")
SIZE = 8              # an image is SIZE × SIZE
LEVELS = 16           # pixel values are 0..LEVELS
N_IMAGES = 1797


def _check_sizes(**sizes):
    for name, value in sizes.items():
        check_count(name, value)


def timegan_sines(n=10000, seq_len=24, dim=5, rng=None):
    """TimeGAN's sine data (Yoon et al., 2019): shape (n, seq_len, dim), float64, in [0, 1].

    Per sequence and per feature, a frequency f ~ U(0, 0.1) and a phase φ ~ U(0, 0.1);
    x_t = sin(f·t + φ) for t = 0 … seq_len − 1, then rescaled as (x + 1) / 2.
    ``rng``: a seed or ``np.random.Generator`` (None: fresh randomness).
    """
    _check_sizes(n=n, seq_len=seq_len, dim=dim)
    rng = np.random.default_rng(rng)
    freq = rng.uniform(0.0, 0.1, size=(n, 1, dim))
    phase = rng.uniform(0.0, 0.1, size=(n, 1, dim))
    t = np.arange(seq_len, dtype=np.float64)[None, :, None]
    return (np.sin(freq * t + phase) + 1.0) / 2.0


# The ranges of rcgan_sines, after RCGAN's sine-wave experiment (Esteban et al., 2017).
RCGAN_AMPLITUDE = (0.1, 0.9)
RCGAN_CYCLES = (1.0, 5.0)      # frequency in cycles per sequence
RCGAN_PHASE = (-np.pi, np.pi)


def rcgan_sines(n, seq_len=30, dim=1, rng=None):
    """RCGAN-style sines: shape (n, seq_len, dim), float64, unscaled (values in [−0.9, 0.9]).

    Per sequence and per feature an amplitude A ~ U(0.1, 0.9), a frequency f ~ U(1, 5) cycles
    per sequence and a phase φ ~ U(−π, π); x_t = A sin(2π f t / seq_len + φ) for
    t = 1 … seq_len. Every sequence thus shows between one and five full periods.
    """
    return _rcgan_sines(n, seq_len, dim, rng)[0]


def _rcgan_sines(n, seq_len, dim, rng):
    """(sines (n, seq_len, dim), their frequencies in cycles per sequence (n, dim))."""
    _check_sizes(n=n, seq_len=seq_len, dim=dim)
    rng = np.random.default_rng(rng)
    amp = rng.uniform(*RCGAN_AMPLITUDE, size=(n, 1, dim))
    cycles = rng.uniform(*RCGAN_CYCLES, size=(n, 1, dim))
    phase = rng.uniform(*RCGAN_PHASE, size=(n, 1, dim))
    t = np.arange(1, seq_len + 1, dtype=np.float64)[None, :, None]
    return amp * np.sin(2.0 * np.pi * cycles * t / seq_len + phase), cycles[:, 0]


# The toy labels of the RCGAN sines: which third of the frequency range U(1, 5) a sine is in.
FREQUENCY_BANDS = ("slow", "medium", "fast")


def rcgan_sines_by_band(n, seq_len=30, rng=None):
    """One-feature RCGAN sines labelled by frequency band, a toy for conditional generation.

    Returns ``(sines, bands)``: the same sines (n, seq_len, 1) as ``rcgan_sines(n, seq_len, 1,
    rng)`` and labels (n,) "slow" (1 to 2⅓ cycles per sequence), "medium" (to 3⅔) or "fast"
    (to 5), by thirds of the frequency range.
    """
    x, cycles = _rcgan_sines(n, seq_len, 1, rng)
    low, high = RCGAN_CYCLES
    band = np.minimum(((cycles[:, 0] - low) / (high - low) * 3).astype(int), 2)
    return x, np.array(FREQUENCY_BANDS)[band]


# ---------------------------------------------------------------- the UCI handwritten digits

@functools.lru_cache(maxsize=1)
def _read():
    """(counts (1797, 8, 8) uint8, labels (1797,) int64) in the file's order."""
    with gzip.open(UCI_PATH, "rt", newline="") as f:
        rows = np.array([[int(v) for v in row] for row in csv.reader(f)], dtype=np.int64)
    if rows.shape != (N_IMAGES, SIZE * SIZE + 1):
        raise ValueError(f"{UCI_PATH}: expected {N_IMAGES} rows of {SIZE * SIZE + 1} integers, got {rows.shape}")
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
