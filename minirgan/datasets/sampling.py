"""Drawing sequences from a set: a train/test split, a training batch, a subset to score.

Three ways to pick rows of a set x (N, …), each written once and used everywhere:

* :func:`train_test_split` — shuffle once and cut: every sequence lands in exactly one part
  (the held-out real data of ``minirgan evaluate``, TimeGAN's 80/20 splits of the
  discriminative score).
* :func:`random_batch` — B indices drawn uniformly *with* replacement, the training loop's
  draw (``train_step``) and the post-hoc models' (``metrics/``): each batch is independent of
  the last, and B may exceed N.
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


def random_batch(x, size, rng):
    """``size`` sequences of x (N, …) drawn uniformly with replacement: x[i_1..i_B], i ~ U{0..N−1}.

    This is the training loop's draw, ``rng.integers(0, N, size=B)``: the same rng gives the same
    batch, so a same-seed run is bitwise reproducible.
    """
    return x[rng.integers(0, len(x), size=size)]


def random_subset(x, n, rng):
    """At most ``n`` distinct sequences of x (N, …), in random order; x itself when N <= n."""
    if len(x) <= n:
        return x
    return x[rng.choice(len(x), n, replace=False)]
