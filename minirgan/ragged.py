"""Padded batches of sequences of different lengths, above the cells: which steps are real,
means over the real steps only (M2), and lengths drawn as the data's (docs/masking.md).

A padded batch is x (N, T, F) with lengths (N,), integers in 1..T: row n is x[n, :lengths[n]]
and what lies past it is padding. The cells carry their states over the padding (M1); the
models and losses above them use these helpers so that nothing they compute reads a padded
step:

* ``real_steps`` — m (N, T), 1 on a real step, 0 past the end (what the generator multiplies
  its output by, M3);
* ``time_weights`` / ``mean_over_real_steps`` / ``spread_over_real_steps`` — M2, the mean over
  each row's real steps, ā_n = Σ_t m_{n,t} a_{n,t} / L_n, and its backward
  ∂L/∂a_{n,t} = m_{n,t} / L_n · ∂L/∂ā_n (the discriminator's "mean" and "per_step" readouts);
* ``draw_lengths`` — lengths for generated sequences drawn from the data's own lengths (per
  class when conditional): the generator is fed its lengths (docs/your_data.md says why).

Shapes: N batch, T time (the padded length), L_n the length of row n.
"""

import numpy as np

from .validation import lengths_mask


def real_steps(lengths, N, T, dtype=np.float64):
    """m (N, T) in ``dtype``: m[n, t] = 1 for t < lengths[n], else 0 (lengths checked, 1..T)."""
    return lengths_mask(lengths, N, T).T.astype(dtype)


def time_weights(lengths, N, T, dtype=np.float64):
    """w (N, T) = m_{n,t} / L_n, the weights of M2's mean over each row's real steps."""
    m = real_steps(lengths, N, T, dtype)
    return m / np.asarray(lengths).astype(dtype)[:, None]


def mean_over_real_steps(a, w):
    """M2: ā_n = Σ_t w_{n,t} a_{n,t}. a (N, T, ...) and w (N, T) -> ā (N, ...)."""
    # M2: ā_n = Σ_t m_{n,t} a_{n,t} / L_n   (w = m / L from time_weights)
    return np.einsum("nt,nt...->n...", w, a)


def spread_over_real_steps(g, w):
    """M2 differentiated: g = ∂L/∂ā (N, ...) -> ∂L/∂a (N, T, ...) = w_{n,t} g_n (zero past the end)."""
    # M2 differentiated: ∂L/∂a_{n,t} = m_{n,t} / L_n · ∂L/∂ā_n
    return w.reshape(w.shape + (1,) * (g.ndim - 1)) * g[:, None]


def draw_lengths(lengths, n, rng, groups=None, want=None):
    """n lengths drawn with replacement from the data's ``lengths`` (N,) — its empirical
    distribution. With ``groups`` (N,) (each sequence's class) and ``want`` (n,) (the class of
    each length to draw), length i is drawn among the sequences of class want[i] only.
    Returns (n,) int64."""
    lengths = np.asarray(lengths, dtype=np.int64)
    if groups is None:
        return lengths[rng.integers(0, len(lengths), size=n)]
    groups, want = np.asarray(groups), np.asarray(want)
    out = np.empty(n, dtype=np.int64)
    for g in np.unique(want):
        pool = lengths[groups == g]
        if len(pool) == 0:
            raise ValueError(f"no sequence of class {g} to draw a length from")
        where = np.flatnonzero(want == g)
        out[where] = pool[rng.integers(0, len(pool), size=len(where))]
    return out
