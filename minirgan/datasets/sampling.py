"""Drawing sequences from a set: a train/test split, a training batch, a subset to score.

Three ways to pick rows of a set x (N, …), each written once and used everywhere:

* :func:`train_test_split` — shuffle once and cut: every sequence lands in exactly one part
  (the held-out real data of ``minirgan evaluate``, TimeGAN's 80/20 splits of the
  discriminative score).
* :func:`random_batch` (:func:`batch_indices` for paired arrays) — B rows drawn uniformly
  *with* replacement, the training loop's draw (``train_step``) and every model trained by the
  metrics (``metrics/``): each batch is independent of the last, and B may exceed N.
* :func:`random_subset` — at most n *distinct* sequences (all of x when it has fewer), for
  scores that compare two sets (MMD², diversity): a sequence counted twice would look like a
  collapsed generator.
"""

import numpy as np


def train_test_split(data, test_fraction=0.2, rng=None):
    """Shuffle the sequences (N, …) and split them: returns ``(train, test)``.

    The test part holds round(N · test_fraction) sequences, at least one, and the training part
    at least one. Windows cut from one series overlap, so a held-out window shares time steps
    with its training neighbours; for a strict split, cut the series before windowing.
    """
    data = np.asarray(data)
    if not 0.0 < float(test_fraction) < 1.0:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction!r}")
    N = data.shape[0] if data.ndim else 0
    if N < 2:
        raise ValueError(f"data must hold at least 2 sequences to split, got shape {data.shape}")
    n_test = min(max(int(round(N * float(test_fraction))), 1), N - 1)
    order = np.random.default_rng(rng).permutation(N)
    return data[order[n_test:]], data[order[:n_test]]


def batch_indices(n, size, rng):
    """``size`` row indices into n rows, uniform with replacement: ``rng.integers(0, n, size)``.

    This is the training loop's draw: the same rng gives the same batch, so a same-seed run is
    bitwise reproducible. Use it directly to draw rows of paired arrays (sequences and labels).
    """
    return rng.integers(0, n, size=size)


def random_batch(x, size, rng):
    """``size`` sequences of x (N, …) drawn uniformly with replacement: x[batch_indices(N, B)]."""
    return x[batch_indices(len(x), size, rng)]


def random_subset(x, n, rng):
    """At most ``n`` distinct sequences of x (N, …), in random order; x itself when N <= n."""
    if len(x) <= n:
        return x
    return x[rng.choice(len(x), n, replace=False)]
