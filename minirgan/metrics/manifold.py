"""Precision, recall, density and coverage (Naeem et al. 2020): k-nearest-neighbour manifolds.

Source: M. F. Naeem, S. J. Oh, Y. Uh, Y. Choi, J. Yoo, "Reliable fidelity and diversity
metrics for generative models", ICML 2020 (precision and recall after Kynkäänniemi et al.
2019). Each sequence is flattened to a vector of T·F numbers. With real vectors x_1..x_N,
generated y_1..y_M, r_k(x_i) the distance from x_i to its k-th nearest other real vector and
r_k(y_j) the same among the generated ones (strict inequalities, as the authors' code):

    precision = (1/M) Σ_j 1[∃ i: ‖y_j − x_i‖ < r_k(x_i)]         generated inside the real manifold
    recall    = (1/N) Σ_i 1[∃ j: ‖x_i − y_j‖ < r_k(y_j)]         real inside the generated manifold
    density   = (1/(kM)) Σ_j Σ_i 1[‖y_j − x_i‖ < r_k(x_i)]       how many real balls hold y_j, / k
    coverage  = (1/N) Σ_i 1[min_j ‖x_i − y_j‖ < r_k(x_i)]        real balls that hold a generated y

Identical sets give 1, 1, 1, 1 (density exactly 1 when no distances tie); a set far from the
data gives 0 everywhere. **Coverage** is the mode-collapse number: a generator that draws
only part of the data (or one sample over and over) keeps a high precision but leaves most
real balls empty. Density can exceed 1 (samples packed where the data are dense).
"""

import numpy as np

from ..datasets.checks import check_count
from .mmd import _flat, _squared_distances
from .protocol import sequence_pair

_BLOCK = 1024      # rows per block: no N×M distance matrix in memory
MAX_SAMPLES = 5000


def _distances(a, b):
    """‖a_i − b_j‖ for all pairs. Squared distances within rounding of zero (≤ 1e−12 of the
    squared norms, what the expansion ‖a‖² + ‖b‖² − 2 a·b leaves for equal vectors) are set
    to 0, so duplicates — the collapsed case — are exactly at distance 0."""
    d2 = _squared_distances(a, b)
    scale = np.sum(a * a, axis=1)[:, None] + np.sum(b * b, axis=1)[None, :]
    d2[d2 <= 1e-12 * scale] = 0.0
    return np.sqrt(d2)


def _blocks(n):
    return [slice(i, min(i + _BLOCK, n)) for i in range(0, n, _BLOCK)]


def kth_neighbour_distance(a, k):
    """Distance from each row of a (N, d) to its k-th nearest other row: (N,). Needs N > k."""
    if len(a) <= k:
        raise ValueError(f"need more than k = {k} sequences for k-nearest-neighbour radii, got {len(a)}")
    out = np.empty(len(a))
    for rows in _blocks(len(a)):
        d = _distances(a[rows], a)
        # position k of the sorted row: position 0 is the row's distance to itself (0)
        out[rows] = np.partition(d, k, axis=1)[:, k]
    return out


def prdc(real, fake, k=5, max_samples=MAX_SAMPLES, rng=None):
    """Precision, recall, density, coverage of ``fake`` (M, T, F) against ``real`` (N, T, F).

    At most ``max_samples`` sequences of each set (drawn without replacement with ``rng``) are
    used; k = 5 as the authors recommend. Returns {"precision", "recall", "density",
    "coverage", "k", "n_real", "n_fake"} with plain floats and ints.
    """
    real, fake = sequence_pair(real, fake)
    k = check_count("k", k)
    max_samples = check_count("max_samples", max_samples)
    rng = np.random.default_rng(rng)
    x, y = (_flat(s[rng.choice(len(s), max_samples, replace=False)] if len(s) > max_samples else s)
            for s in (real, fake))
    r_real, r_fake = kth_neighbour_distance(x, k), kth_neighbour_distance(y, k)
    balls_holding = np.zeros(len(y))     # per y_j: real balls that hold it
    in_fake_manifold = np.zeros(len(x), dtype=bool)
    covered = np.zeros(len(x), dtype=bool)
    for rows in _blocks(len(x)):
        d = _distances(x[rows], y)                            # (block of real, M)
        inside_real = d < r_real[rows, None]                  # ‖y_j − x_i‖ < r_k(x_i)
        balls_holding += inside_real.sum(axis=0)
        covered[rows] = inside_real.any(axis=1)               # min_j ‖x_i − y_j‖ < r_k(x_i)
        in_fake_manifold[rows] = (d < r_fake[None, :]).any(axis=1)   # ‖x_i − y_j‖ < r_k(y_j)
    return {"precision": float(np.mean(balls_holding > 0)), "recall": float(in_fake_manifold.mean()),
            "density": float(balls_holding.sum() / (k * len(y))), "coverage": float(covered.mean()),
            "k": k, "n_real": int(len(x)), "n_fake": int(len(y))}
