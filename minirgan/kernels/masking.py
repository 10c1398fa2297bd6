"""The masked update M1 in the kernels: rows past their sequence's end keep their state.

M1 (the project's addition, docs/masking.md) is ``s_t = m_t ∘ cell(s_{t−1}, x_t) + (1 − m_t) ∘ s_{t−1}``
with ``m_t[n] = 1`` while step t is a real step of sequence n. Each kernel computes the cell
for every row as it does without a mask, then calls these helpers once per step:

* forward, :func:`keep_rows` puts s_{t−1} back into the rows past their end (M1 as a selection);
* backward, :func:`hold_rows` takes the gradient reaching those rows out before the cell's
  backward (the cell sees m_t ∘ g = 0 there: no dx_t, no weight gradient) and
  :func:`keep_rows` hands it on to s_{t−1} unchanged afterwards (M1's derivative, 1 − m_t).

Without a mask the kernels receive ``mask=None`` and numba removes these calls when it compiles
(branches on ``is None`` of an argument are pruned), so the unmasked passes are unchanged.
Shapes: N batch, T time, H hidden; the mask is time-major, (T, N) booleans.
"""

import numba
import numpy as np

from .scalar_math import JIT_OPTIONS


@numba.njit(**JIT_OPTIONS)
def keep_rows(m_t, source, target):
    """target[n] = source[n] for every row n with m_t[n] False; other rows untouched."""
    N, H = target.shape
    for n in range(N):
        if not m_t[n]:
            for j in range(H):
                target[n, j] = source[n, j]


@numba.njit(**JIT_OPTIONS)
def hold_rows(m_t, upstream, grad_next, held):
    """For every row n with m_t[n] False: held[n] = upstream[n] + grad_next[n] (the whole gradient
    on the state s_t), and grad_next[n] = 0, so the cell's backward sees no gradient there."""
    N, H = grad_next.shape
    for n in range(N):
        if not m_t[n]:
            for j in range(H):
                held[n, j] = upstream[n, j] + grad_next[n, j]
                grad_next[n, j] = 0.0


def split_upstream(dh, mask):
    """The upstream gradient dh (N, T, H) split by the mask (T, N): the part on real steps
    (which the cell's backward reads) and the part on padded steps (which M1 carries back to
    the last real state). Both are new arrays; dh is not modified. Without a mask: (dh, None)."""
    dh = np.ascontiguousarray(dh)
    if mask is None:
        return dh, None
    real = mask.T[:, :, None]
    zero = dh.dtype.type(0)
    return np.where(real, dh, zero), np.where(real, zero, dh)
