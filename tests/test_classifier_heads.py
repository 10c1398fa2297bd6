"""The K-class head: Discriminator(outputs=K) gradient-checked, and the softmax cross-entropy.

float64, random non-zero weights and biases, random upstream gradients, centred differences with
Richardson extrapolation (minirgan.gradcheck); sequence threshold 1e-6."""

import numpy as np
import pytest

from minirgan.gradcheck import numerical_gradient, relative_error
from minirgan.losses import softmax_cross_entropy
from minirgan.models import CELL_TYPES, READOUTS, Discriminator

from test_models import check_model, randomise


@pytest.mark.parametrize("cell", CELL_TYPES)
@pytest.mark.parametrize("readout", READOUTS)
def test_discriminator_with_K_outputs_gradcheck(readout, cell):
    rng = np.random.default_rng(12)
    D = Discriminator(3, hidden=5, layers=2, cell=cell, readout=readout, outputs=4, rng=rng)
    randomise(D.params, rng)
    x = rng.uniform(0, 1, size=(3, 4, 3))
    assert D.forward(x)[0].shape == (3, 4)
    check_model(D, x, rng, lambda: D.forward(x))


def test_one_output_keeps_the_old_shape_and_weights():
    a = Discriminator(3, hidden=5, rng=0)
    b = Discriminator(3, hidden=5, rng=0, outputs=1)
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)
    assert a.forward(np.zeros((2, 4, 3)))[0].shape == (2,)


def test_softmax_cross_entropy_golden_value_and_gradcheck():
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((5, 4)) * 3
    y = np.array([0, 3, 1, 1, 2])
    loss, d = softmax_cross_entropy(logits, y)
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert loss == pytest.approx(-np.mean(np.log(p[np.arange(5), y])), rel=1e-13)
    num = numerical_gradient(lambda: np.array(softmax_cross_entropy(logits, y)[0]), logits, np.array(1.0))
    assert relative_error(d, num) < 1e-8


def test_softmax_cross_entropy_is_finite_for_huge_logits_and_checks_labels():
    loss, d = softmax_cross_entropy(np.array([[1000.0, -1000.0]]), np.array([1]))
    assert loss == pytest.approx(2000.0) and np.isfinite(d).all()
    with pytest.raises(ValueError, match="labels"):
        softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="logits"):
        softmax_cross_entropy(np.zeros(3), np.array([0, 1, 2]))
