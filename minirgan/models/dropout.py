"""Inverted dropout between stacked recurrent layers (A0's ``Dropout(0.5)``, C4).

In training mode each unit is kept with probability 1 − p and the kept ones are scaled
by 1/(1 − p), so the expected activation is unchanged and evaluation mode needs no
rescaling. The mask is drawn once per sequence and layer and saved for backward,
which multiplies by the same mask. Gradient checks use p = 0 (or evaluation mode),
because a random mask is not a fixed function.
"""


def check_dropout(p):
    """Raise unless 0 <= p < 1."""
    if not (isinstance(p, (int, float)) and 0.0 <= p < 1.0):
        raise ValueError(f"dropout must be a probability in [0, 1), got {p!r}")


def dropout_mask(shape, p, rng, dtype):
    """A mask of 0 and 1/(1 − p) entries (keep probability 1 − p), or None when p = 0."""
    if p == 0.0:
        return None
    if rng is None:
        raise ValueError("dropout in training mode needs rng (a numpy Generator)")
    keep = rng.random(shape) >= p
    return (keep / (1.0 - p)).astype(dtype)


def apply_mask(a, mask):
    """a * mask (forward and backward alike); a itself when there is no mask."""
    return a if mask is None else a * mask
