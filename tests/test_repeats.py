"""Repeats of the post-hoc scores side by side (metrics/repeats.py): the same numbers in any
number of processes, in order, each repeat with its own seed drawn first from the caller's rng."""

import numpy as np
import pytest

from conftest import sines
from minirgan.metrics import context_fid, discriminative_score, predictive_score
from minirgan.metrics.repeats import repeat_seeds, run_repeats


def test_each_repeat_gets_its_own_seed_drawn_from_the_rng_first():
    seeds = repeat_seeds(np.random.default_rng(3), 4)
    assert seeds == repeat_seeds(np.random.default_rng(3), 4)
    assert len(set(seeds)) == 4 and all(isinstance(s, int) and s >= 0 for s in seeds)
    with pytest.raises(ValueError, match="repeats"):
        repeat_seeds(np.random.default_rng(3), 0)


def test_evaluate_gives_the_same_numbers_for_one_and_two_workers():
    """evaluate_samples with workers > 1 scores its three metrics at once (threads sharing one pool)."""
    from minirgan.evaluate import evaluate_samples
    rng = np.random.default_rng(8)
    real, fake = sines(40, rng, T=8, F=3), sines(40, rng, T=8, F=3)
    one, two = (evaluate_samples(real, fake, fast=True, repeats=2, rng=0, workers=w) for w in (1, 2))
    for key in ("discriminative_score", "predictive_score", "context_fid", "prdc", "mmd2"):
        assert one[key] == two[key], key
    assert (one["workers"], two["workers"]) == (1, 2)


def test_two_worker_processes_give_the_scores_of_one_bitwise():
    rng = np.random.default_rng(5)
    real, fake = sines(40, rng), sines(40, rng)
    scores = {}
    for workers in (1, 2):
        scores[workers] = (
            discriminative_score(real, fake, repeats=3, iterations=3, batch_size=8, rng=0,
                                 workers=workers).scores,
            predictive_score(fake, real, repeats=3, iterations=3, batch_size=8, rng=0,
                             workers=workers).scores,
            context_fid(real, fake, repeats=2, iterations=3, hidden=4, rng=0, workers=workers).scores)
    assert scores[1] == scores[2]
    assert len(set(scores[1][1])) == 3             # the repeats are not copies of one another


def test_results_come_back_in_the_order_of_the_seeds():
    assert run_repeats(abs, [-3, 2, -1, 5], workers=2) == [3, 2, 1, 5]
    assert run_repeats(abs, [-3, 2], workers=1) == [3, 2]
    assert run_repeats(abs, [-7], workers=2) == [7]               # one repeat: still in the pool
    assert run_repeats(abs, [], workers=2) == []
    with pytest.raises(ValueError, match="workers"):
        run_repeats(abs, [1], workers=0)
