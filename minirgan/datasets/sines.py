"""Sine-wave data sets: TimeGAN's benchmark sines and RCGAN-style sines.

Both draw independent parameters per sequence and per feature, so a generator has to learn a
distribution of frequencies and phases (and amplitudes), not one curve.
"""

import numpy as np

from .checks import check_count


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
