"""need_input_grad / need_param_grads (issue 15): a backward pass that skips dx or the weight
gradients returns exactly (bitwise) what the full pass returns for the part it keeps, None for
the part it skips, and refuses flags that are not booleans or that would compute nothing."""

import numpy as np
import pytest

from minirgan.cells import CELLS
from minirgan.models import Discriminator, Generator
from minirgan.metrics.predictor import Predictor


def _same(a, b):
    if isinstance(a, dict):
        return set(a) == set(b) and all(np.array_equal(a[k], b[k]) for k in a)
    return np.array_equal(a, b)


def _check_skips(model, g, cache):
    """Each flag set alone gives None for what it skips and the full pass's other half, bitwise;
    returns the full pass's grads."""
    dx, grads = model.backward(g, cache)
    dx_only, none = model.backward(g, cache, need_param_grads=False)
    none2, grads_only = model.backward(g, cache, need_input_grad=False)
    assert none is None and none2 is None
    assert _same(dx, dx_only) and _same(grads, grads_only)
    return grads


@pytest.mark.parametrize("backend", ["numpy", "numba"])
@pytest.mark.parametrize("cell", sorted(CELLS))
def test_skipping_keeps_the_rest_bitwise_for_every_cell(cell, backend):
    rng = np.random.default_rng(0)
    D = Discriminator(3, hidden=4, layers=2, cell=cell, rng=1, backend=backend)
    for p in D.params.values():
        p += rng.uniform(-0.3, 0.3, p.shape)              # non-zero biases too
    x = rng.uniform(0, 1, (5, 6, 3))
    logits, cache = D.forward(x)
    _check_skips(D, rng.standard_normal(logits.shape), cache)


@pytest.mark.parametrize("form", ["per_step", "last_state", "autoregressive"])
def test_generator_skips_dz_with_the_same_grads(form):
    G = Generator(2, 4, noise_dim=3, hidden=8 if form == "last_state" else 5, form=form, rng=2)
    rng = np.random.default_rng(3)
    x, cache = G.forward(G.noise(6, rng))
    _check_skips(G, rng.standard_normal(x.shape), cache)


@pytest.mark.parametrize("backend", ["numpy", "numba"])
@pytest.mark.parametrize("cell", ["gru", "lstm"])
@pytest.mark.parametrize("condition_at", ["input", "state", "both"])
def test_a_conditional_generator_keeps_its_embedding_grads_without_dz(condition_at, cell, backend):
    """condition_at "state": the initial states' gradients must still reach W_h0, b_h0 when dz
    is skipped (train_step's call), and the embedding's grads are skipped with the rest."""
    G = Generator(2, 4, noise_dim=3, hidden=5, layers=2, cell=cell, rng=2, condition_dim=3,
                  condition_at=condition_at, backend=backend)
    rng = np.random.default_rng(3)
    for p in G.params.values():
        p += rng.uniform(-0.3, 0.3, p.shape)
    c = np.eye(3)[rng.integers(0, 3, 6)]
    x, cache = G.forward(G.noise(6, rng), condition=c)
    grads = _check_skips(G, rng.standard_normal(x.shape), cache)
    embedding = [k for k in grads if k.startswith("init")]
    assert (len(embedding) > 0) == (condition_at != "input")
    assert all(np.abs(grads[k]).sum() > 0 for k in embedding)


def test_predictor_skips_du():
    model = Predictor(2, 3, rng=0)
    u = np.random.default_rng(1).uniform(0, 1, (4, 5, 2))
    y, cache = model.forward(u)
    g = np.ones_like(y)
    assert _same(model.backward(g, cache)[1], model.backward(g, cache, need_input_grad=False)[1])
    assert model.backward(g, cache, need_input_grad=False)[0] is None


def test_the_flags_refuse_nonsense():
    D = Discriminator(2, hidden=3, rng=0)
    logits, cache = D.forward(np.zeros((2, 4, 2)))
    with pytest.raises(ValueError, match="both False"):
        D.backward(np.ones(2), cache, need_input_grad=False, need_param_grads=False)
    with pytest.raises(ValueError, match="need_input_grad must be True or False"):
        D.backward(np.ones(2), cache, need_input_grad="no")
    with pytest.raises(ValueError, match="need_param_grads must be True or False"):
        CELLS["gru"].backward(np.ones((2, 4, 3)), cache[0][0][0], need_param_grads=None)
