"""The condition c of a conditional G or D, concatenated to every step's input (CGAN, RCGAN).

A condition is one vector per sequence, c (N, C): the one-hot of a class (C = K) or a vector of
static attributes. Conditional models read it at every time step beside their usual input:

    u_t = [z_t, c]   for the generator        u_t = [x_t, c]   for the discriminator

so the recurrent cell's input weights grow by C columns (W_xh is H × (D + C)) and nothing else
changes: each step's gate pre-activations gain a term W_c c that shifts them per class. The
backward pass splits the input gradient back: the first D columns go to z (or x), the last C to c
(summed over t, since the same c is read at every step). Shapes: N batch, T time, D input,
C condition.
"""

import numpy as np

from ..validation import as_float_array


def check_condition_dim(condition_dim):
    """C as an int >= 0 (0: an unconditional model), or a ValueError naming it."""
    if not (isinstance(condition_dim, (int, np.integer)) and not isinstance(condition_dim, bool)
            and condition_dim >= 0):
        raise ValueError(f"condition_dim must be an integer >= 0, got {condition_dim!r}")
    return int(condition_dim)


def with_condition(u, condition, condition_dim, dtype):
    """u (N, T, D) and c (N, C) -> [u_t, c] at every step, (N, T, D + C); u itself if C = 0."""
    if condition_dim == 0:
        if condition is not None:
            raise ValueError("condition given to a model built without one (condition_dim=0)")
        return u
    if condition is None:
        raise ValueError(f"this model is conditional: pass condition, an array (N, {condition_dim})")
    c = as_float_array("condition", condition)
    N, T, _ = u.shape
    if c.shape != (N, condition_dim):
        raise ValueError(f"condition must have shape (N, C) = ({N}, {condition_dim}), got {c.shape}")
    # u_t = [u_t, c]: the same c at every step t
    return np.concatenate([u, np.broadcast_to(c.astype(dtype)[:, None, :], (N, T, condition_dim))], axis=2)


def split_condition_grad(du, condition_dim):
    """Backward of ``with_condition``: du (N, T, D + C) -> (d input (N, T, D), dc (N, C) = Σ_t)."""
    if condition_dim == 0:
        return du, None
    return du[..., :-condition_dim], du[..., -condition_dim:].sum(axis=1)


def mismatched(condition, rng):
    """For one-hot rows c (N, K), one-hot rows of a *different* class, drawn uniformly among the
    K − 1 others: the "real sequence, wrong condition" pairs of a matching-aware D."""
    c = np.asarray(condition)
    N, K = c.shape
    shift = rng.integers(1, K, size=N)               # 1..K−1: never the class itself
    return one_hot((c.argmax(axis=1) + shift) % K, K, dtype=c.dtype)


def one_hot(classes, n_classes, dtype=np.float64):
    """classes (N,) integers in 0..K−1 -> one-hot rows (N, K)."""
    classes = np.asarray(classes)
    if classes.ndim != 1 or classes.dtype.kind not in "iu" or (
            classes.size and (classes.min() < 0 or classes.max() >= n_classes)):
        raise ValueError(f"classes must be a 1-D array of integers in 0..{n_classes - 1}, got "
                         f"shape {classes.shape} dtype {classes.dtype}")
    out = np.zeros((len(classes), n_classes), dtype=dtype)
    out[np.arange(len(classes)), classes] = 1.0
    return out
