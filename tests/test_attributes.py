"""Per-sequence attributes (minirgan/models/attributes.py, docs/attributes.md): the
Gumbel-softmax (M8) and its straight-through use, the attribute head (M9) and a series read
beside its attributes (M10), gradient-checked in float64 with random non-zero weights and biases."""

import numpy as np
import pytest

from minirgan.gradcheck import numerical_gradient, relative_error
from minirgan.models import Discriminator
from minirgan.models.attributes import (Attribute, AttributeGenerator, gumbel_noise, gumbel_softmax_backward,
                                        gumbel_softmax_forward, with_attributes, with_attributes_backward)

ATTRS = [Attribute("age", "numeric"), Attribute("sex", "categorical", ("f", "m")),
         Attribute("device", "categorical", ("a", "b", "c"))]


@pytest.mark.parametrize("tau", [1.0, 0.5])
def test_M8_gumbel_softmax_gradient_matches_finite_differences(tau):
    """M8: ∂L/∂o = (1/τ) y ∘ (ḡ − ⟨ḡ, y⟩), float64, at a fixed Gumbel draw."""
    rng = np.random.default_rng(0)
    logits, g = rng.normal(size=(4, 3)), gumbel_noise((4, 3), rng)
    dy = rng.normal(size=(4, 3))
    y, cache = gumbel_softmax_forward(logits, g, tau)
    assert np.allclose(y.sum(axis=1), 1) and np.all(y > 0)
    numeric = numerical_gradient(lambda: gumbel_softmax_forward(logits, g, tau)[0], logits, dy)
    assert relative_error(gumbel_softmax_backward(dy, cache), numeric) < 1e-8


def test_M8_straight_through_emits_one_hots_and_passes_the_relaxed_gradient():
    rng = np.random.default_rng(1)
    logits, g = rng.normal(size=(6, 4)), gumbel_noise((6, 4), rng)
    hard, hard_cache = gumbel_softmax_forward(logits, g, 0.5, hard=True)
    soft, soft_cache = gumbel_softmax_forward(logits, g, 0.5)
    assert np.array_equal(hard.sum(axis=1), np.ones(6)) and set(np.unique(hard)) == {0.0, 1.0}
    assert np.array_equal(hard.argmax(axis=1), soft.argmax(axis=1))
    dy = rng.normal(size=(6, 4))
    assert np.array_equal(gumbel_softmax_backward(dy, hard_cache), gumbel_softmax_backward(dy, soft_cache))


def test_M8_gumbel_max_samples_the_softmax_of_the_logits():
    """argmax(o + g) is a sample of softmax(o): the frequencies over 20,000 draws (the estimator's
    premise), within 0.01."""
    rng = np.random.default_rng(2)
    logits = np.array([[1.0, 0.0, -1.0]])
    draws = gumbel_softmax_forward(np.repeat(logits, 20000, 0), gumbel_noise((20000, 3), rng), hard=True)[0]
    p = np.exp(logits[0]) / np.exp(logits[0]).sum()
    assert np.abs(draws.mean(axis=0) - p).max() < 0.01


def test_M9_attribute_head_gradients_match_finite_differences():
    """M9 (with M8 relaxed): every parameter's gradient, float64, random non-zero weights and biases."""
    rng = np.random.default_rng(3)
    head = AttributeGenerator(ATTRS, noise_dim=3, hidden=5, tau=0.7, rng=4)
    for k in head.params:
        head.params[k] = rng.normal(0, 0.7, head.params[k].shape)
    z, g = head.noise(4, rng)
    da = rng.normal(size=(4, head.width))
    a, cache = head.forward(z, g, hard=False)
    assert a.shape == (4, 6) and np.all((a[:, 0] > 0) & (a[:, 0] < 1))
    grads = head.backward(da, cache)
    for key, value in head.params.items():
        numeric = numerical_gradient(lambda: head.forward(z, g, hard=False)[0], value, da)
        assert relative_error(grads[key], numeric) < 1e-7, key
    hard = head.forward(z, g)[0]
    assert np.array_equal(hard[:, 1:3].sum(1), np.ones(4)) and np.array_equal(hard[:, 3:].sum(1), np.ones(4))
    rows = head.decode(hard)
    assert rows[0]["sex"] in ("f", "m") and rows[0]["device"] in ("a", "b", "c") and 0 < rows[0]["age"] < 1


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_M10_D_reading_attributes_beside_the_series_matches_finite_differences(backend):
    """M10: ∂/∂x and ∂/∂a of D([x_t, a]) through a GRU D, float64."""
    rng = np.random.default_rng(5)
    N, T, F, A = 3, 4, 2, 3
    D = Discriminator(F + A, hidden=4, readout="per_step", rng=6, backend=backend)
    for k in D.params:
        D.params[k] = rng.normal(0, 0.5, D.params[k].shape)
    x, a, dl = rng.normal(size=(N, T, F)), rng.normal(size=(N, A)), rng.normal(size=N)
    logits, cache = D.forward(with_attributes(x, a))
    dx, da = with_attributes_backward(D.backward(dl, cache)[0], F)
    f = lambda: D.forward(with_attributes(x, a))[0]
    assert relative_error(dx, numerical_gradient(f, x, dl)) < 1e-7
    assert relative_error(da, numerical_gradient(f, a, dl)) < 1e-7
