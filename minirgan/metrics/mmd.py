"""Maximum mean discrepancy (MMD², Gretton et al. 2012) with a Gaussian (RBF) kernel.

Each sequence (T, F) is flattened to a vector of T·F numbers. With the kernel
k(a, b) = exp(−‖a − b‖² / (2σ²)):

    biased (default):  MMD²_b = mean_{i,j} k(x_i, x_j) + mean_{i,j} k(y_i, y_j) − 2 mean_{i,j} k(x_i, y_j)
    unbiased:          the same with the diagonal terms i = j left out of the first two means

The biased estimate is ≥ 0 and exactly 0 for a set compared with itself; the unbiased one can be
slightly negative and is 0 only in expectation. σ defaults to the median heuristic: the median
pairwise distance between the pooled samples. Values are small numbers (≈ 0 for one
distribution, up to 2 for sets far apart relative to σ); compare them between runs on the same
data with the same σ, not across data sets.
"""

import numpy as np

from .protocol import sequence_pair

_BLOCK = 1024          # rows per block: kernel sums without an N×N matrix in memory
_MEDIAN_SAMPLES = 1000


def _flat(x):
    return x.reshape(len(x), -1).astype(np.float64, copy=False)


def _squared_distances(a, b):
    """‖a_i − b_j‖² for all pairs (rows of a and b), clipped at 0 against rounding."""
    d = np.sum(a * a, axis=1)[:, None] + np.sum(b * b, axis=1)[None, :] - 2.0 * a @ b.T
    return np.maximum(d, 0.0)


def median_bandwidth(x, y):
    """The median heuristic σ: median distance between distinct pooled samples (flattened).

    At most 1,000 pooled samples, evenly spaced, are used, so the cost stays bounded and the
    result is deterministic. Falls back to 1.0 when every sample is identical.
    """
    pooled = np.concatenate([_flat(x), _flat(y)])
    if len(pooled) > _MEDIAN_SAMPLES:
        pooled = pooled[np.linspace(0, len(pooled) - 1, _MEDIAN_SAMPLES).astype(int)]
    d2 = _squared_distances(pooled, pooled)
    upper = d2[np.triu_indices(len(pooled), k=1)]
    sigma = float(np.sqrt(np.median(upper))) if upper.size else 0.0
    return sigma if sigma > 0.0 else 1.0


def _kernel_sum(a, b, gamma, skip_diagonal):
    """Σ_ij exp(−γ ‖a_i − b_j‖²), in row blocks; optionally without i = j (a is b)."""
    total = 0.0
    for start in range(0, len(a), _BLOCK):
        k = np.exp(-gamma * _squared_distances(a[start:start + _BLOCK], b))
        total += float(k.sum())
        if skip_diagonal:
            total -= float(np.trace(k[:, start:start + _BLOCK]))
    return total


def mmd2(x, y, bandwidth=None, unbiased=False):
    """MMD² between two sets of sequences with an RBF kernel.

    Inputs:  x (N, T, F), y (M, T, F); bandwidth σ > 0 or None for the median heuristic;
             unbiased: leave out the i = j terms (needs N, M ≥ 2).
    Returns: MMD² as a float (biased: ≥ 0, and 0 when x and y are the same set).
    Cost O((N + M)² T F) time, O(1,024 · (N + M)) memory.
    """
    x, y = sequence_pair(x, y, names=("x", "y"))
    if bandwidth is None:
        bandwidth = median_bandwidth(x, y)
    bandwidth = float(bandwidth)
    if not (np.isfinite(bandwidth) and bandwidth > 0):
        raise ValueError(f"bandwidth must be a finite number > 0 or None, got {bandwidth!r}")
    n, m = len(x), len(y)
    if unbiased and min(n, m) < 2:
        raise ValueError(f"the unbiased MMD² needs at least 2 samples in each set, got {n} and {m}")
    a, b = _flat(x), _flat(y)
    gamma = 1.0 / (2.0 * bandwidth ** 2)
    if unbiased:
        kxx = _kernel_sum(a, a, gamma, True) / (n * (n - 1))
        kyy = _kernel_sum(b, b, gamma, True) / (m * (m - 1))
    else:
        kxx = _kernel_sum(a, a, gamma, False) / (n * n)
        kyy = _kernel_sum(b, b, gamma, False) / (m * m)
    kxy = _kernel_sum(a, b, gamma, False) / (n * m)
    value = kxx + kyy - 2.0 * kxy
    # the biased estimate is a squared norm in feature space: negative only through rounding
    return value if unbiased else max(value, 0.0)
