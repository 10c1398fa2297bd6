"""Autocorrelation of sequences and the distance between the real and the generated curves.

For one sequence x_1..x_T of one feature, the sample autocorrelation at lag k is

    r_k = Σ_{t=1}^{T−k} (x_t − x̄)(x_{t+k} − x̄) / Σ_{t=1}^{T} (x_t − x̄)²        (r_0 = 1)

with x̄ the sequence's own mean. ``autocorrelation`` averages r_k over the sequences of a set,
per feature; a constant sequence (zero variance) counts as r_k = 0 for k ≥ 1. The
autocorrelation distance is the mean |r_k(real) − r_k(generated)| over features and lags
1..K: 0 when the generated sequences have the real ones' average temporal structure; values
near 0.1 or more mean visibly different dynamics (e.g. jittery samples lose lag-1 correlation).
"""

import numpy as np

from .protocol import sequence_pair
from ..validation import sequence_input


def default_max_lag(T):
    """K = min(10, T − 1) lags by default."""
    return max(1, min(10, T - 1))


def autocorrelation(x, max_lag=None):
    """Mean per-sequence autocorrelation of every feature.

    Inputs:  x (N, T, F); max_lag K (1 <= K < T; default min(10, T − 1)).
    Returns: acf (K + 1, F): acf[k, f] is r_k of feature f averaged over the N sequences.
    """
    x = sequence_input("x", x).astype(np.float64, copy=False)
    N, T, F = x.shape
    if T < 2:
        raise ValueError(f"autocorrelation needs sequences of T >= 2 steps, got T = {T}")
    K = default_max_lag(T) if max_lag is None else max_lag
    if not (isinstance(K, (int, np.integer)) and 1 <= K < T):
        raise ValueError(f"max_lag must be an integer in [1, T − 1] = [1, {T - 1}], got {max_lag!r}")
    xc = x - x.mean(axis=1, keepdims=True)
    denom = np.sum(xc * xc, axis=1)                      # (N, F)
    live = denom > 1e-12 * (1.0 + np.max(np.abs(x)))     # constant sequences have no r_k
    acf = np.empty((K + 1, F))
    acf[0] = 1.0
    for k in range(1, K + 1):
        num = np.sum(xc[:, :-k] * xc[:, k:], axis=1)
        r = np.divide(num, denom, out=np.zeros_like(num), where=live)
        acf[k] = r.mean(axis=0)
    return acf


def autocorrelation_distance(real, fake, max_lag=None):
    """Mean |r_k(real) − r_k(fake)| over features and lags 1..K (a float; 0 is a perfect match).

    Inputs: real (N_r, T, F), fake (N_f, T, F); max_lag K as in ``autocorrelation``.
    """
    real, fake = sequence_pair(real, fake)
    a = autocorrelation(real, max_lag)
    b = autocorrelation(fake, max_lag)
    return float(np.mean(np.abs(a[1:] - b[1:])))
