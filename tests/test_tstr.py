"""TSTR beside TRTR (RCGAN): a generator that copies real data reaches TRTR; one whose labels say
nothing about its sequences is at chance."""

import numpy as np
import pytest

from minirgan.data import uci_digits
from minirgan.metrics import tstr_score


@pytest.fixture(scope="module")
def digits():
    return uci_digits(n=900, rng=1)


def test_copies_of_real_data_reach_trtr(digits):
    x, y = digits
    fake, fake_y = uci_digits(n=900, rng=2)                   # other real digits, true labels
    result = tstr_score(x, y, fake, fake_y, n_classes=10, hidden=16, iterations=250, rng=0)
    tstr, trtr = result.mean, result.extra["trtr"][0]
    assert trtr > 0.85 and tstr > trtr - 0.08


def test_labels_unrelated_to_the_sequences_give_chance(digits):
    x, y = digits
    rng = np.random.default_rng(5)
    result = tstr_score(x, y, x, rng.integers(0, 10, size=len(x)), n_classes=10,
                        hidden=16, iterations=250, rng=0)
    assert result.mean < 0.25 and result.extra["trtr"][0] > 0.85


def test_bad_labels_are_named(digits):
    x, y = digits
    with pytest.raises(ValueError, match="fake_labels"):
        tstr_score(x, y, x[:5], np.zeros(4, dtype=int), n_classes=10)
