"""Pieces shared by the post-hoc scores (TimeGAN's protocol): input checks, splits, batches."""

from ..validation import sequence_input


def sequence_pair(real, fake, names=("real", "fake")):
    """Validate two sets of sequences (N, T, F) that share T and F; return them as float arrays."""
    real = sequence_input(names[0], real)
    fake = sequence_input(names[1], fake)
    if real.shape[1:] != fake.shape[1:]:
        raise ValueError(f"{names[0]} and {names[1]} must share (T, F): got {names[0]} "
                         f"{real.shape} and {names[1]} {fake.shape}")
    return real, fake


def holdout_split(x, train_fraction, rng):
    """Shuffle the N sequences of ``x`` and cut them into train and test parts.

    The train part has ``round(train_fraction · N)`` sequences (at least 1 and at most N − 1),
    as in TimeGAN's ``train_test_divide`` (80/20 of each set, separately for real and fake).
    Returns (train (N_train, T, F), test (N − N_train, T, F)).
    """
    if not 0.0 < train_fraction < 1.0:
        raise ValueError(f"train_fraction must be in (0, 1), got {train_fraction!r}")
    n = len(x)
    if n < 2:
        raise ValueError(f"need at least 2 sequences to split into train and test, got {n}")
    n_train = min(n - 1, max(1, int(round(train_fraction * n))))
    order = rng.permutation(n)
    return x[order[:n_train]], x[order[n_train:]]


def random_batch(x, batch_size, rng):
    """``batch_size`` sequences of ``x`` drawn without replacement (all of x if it is smaller)."""
    idx = rng.permutation(len(x))[:batch_size]
    return x[idx]
