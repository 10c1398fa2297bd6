"""Sums over the rows of a (M, K) block: the bias gradients Σ_t Σ_n da_t[n, ·].

NumPy's ``a.sum(axis=0)`` adds the rows one after another into an accumulator that starts at
+0 (so a column of −0 sums to +0); when K is small (3H = 6 for the post-hoc models of the
evaluation) its inner loop over K is too short to run fast: at (2944, 6) it took 40 µs against
8 µs for this loop.
``column_sums`` adds in the same order, so its results are bitwise those of ``sum(axis=0)``
(``tests/test_kernels.py``; the pinned same-seed checksums rely on it).
"""

import numba
import numpy as np

from .scalar_math import JIT_OPTIONS


@numba.njit(**JIT_OPTIONS)
def column_sums(a):
    """a (M, K) -> (K,): the sum of the rows, added in order from +0 (as NumPy's sum(axis=0))."""
    M, K = a.shape
    out = np.zeros(K, dtype=a.dtype)
    for m in range(M):
        for k in range(K):
            out[k] += a[m, k]
    return out
