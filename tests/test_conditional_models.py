"""Conditional G and D (condition c concatenated to every step's input): gradient checks of each
model and of the full chain c → G(z, c) → D(G(z, c), c) → logit, float64, random non-zero weights
and biases, a random non-one-hot condition (static attributes) and random upstream gradients."""

import numpy as np
import pytest

from minirgan.gradcheck import numerical_gradient, relative_error
from minirgan.models import CELL_TYPES, GENERATOR_FORMS, READOUTS, Discriminator, Generator
from minirgan.models.condition import one_hot, with_condition

from test_models import STEP, TOL, check_model, randomise

N, T, Z, F, H, C = 3, 4, 2, 3, 5, 2
# Through four stacked layers (G's two, D's two) some gradients of G's top layer are ~1e-5:
# h = 1e-3 leaves ~1e-13 of rounding noise on them, 1e-6 relative on exactly correct code;
# h = 1e-2 with Richardson extrapolation keeps rounding and truncation both below 1e-7.
CHAIN_STEP = 1e-2


def make_pair(cell, form, readout, rng):
    G = Generator(F, T, noise_dim=Z, hidden=None if form == "last_state" else H, layers=2,
                  cell=cell, form=form, rng=rng, condition_dim=C)
    D = Discriminator(F, hidden=H, layers=2, cell=cell, readout=readout, rng=rng, condition_dim=C)
    randomise(G.params, rng)
    randomise(D.params, rng)
    return G, D


@pytest.mark.parametrize("cell", CELL_TYPES)
@pytest.mark.parametrize("form", GENERATOR_FORMS)
def test_conditional_generator_gradcheck(form, cell):
    rng = np.random.default_rng(20)
    G, _ = make_pair(cell, form, "last", rng)
    z, c = G.noise(N, rng), rng.uniform(-1, 1, size=(N, C))
    check_model(G, z, rng, lambda: G.forward(z, condition=c))


@pytest.mark.parametrize("cell", CELL_TYPES)
@pytest.mark.parametrize("readout", READOUTS)
def test_conditional_discriminator_gradcheck(readout, cell):
    rng = np.random.default_rng(21)
    _, D = make_pair(cell, "per_step", readout, rng)
    x, c = rng.uniform(0, 1, size=(N, T, F)), rng.uniform(-1, 1, size=(N, C))
    check_model(D, x, rng, lambda: D.forward(x, condition=c))


@pytest.mark.parametrize("cell", CELL_TYPES)
def test_full_chain_gradcheck_through_G_and_D_with_the_condition(cell):
    """dL_G/dθ_G for L = Σ dl · D(G(z, c), c): the generator's gradient as train_step forms it."""
    rng = np.random.default_rng(22)
    G, D = make_pair(cell, "per_step", "per_step", rng)
    z, c = G.noise(N, rng), rng.uniform(-1, 1, size=(N, C))

    def chain():
        x, g_cache = G.forward(z, condition=c)
        logits, d_cache = D.forward(x, condition=c)
        return logits, g_cache, d_cache

    logits, g_cache, d_cache = chain()
    dl = rng.standard_normal(logits.shape)
    dx, _ = D.backward(dl, d_cache)
    dz, grads = G.backward(dx, g_cache)
    f = lambda: chain()[0]
    errors = {"z": relative_error(dz, numerical_gradient(f, z, dl, h=CHAIN_STEP))}
    for name, value in G.params.items():
        errors[name] = relative_error(grads[name], numerical_gradient(f, value, dl, h=CHAIN_STEP))
    worst = max(errors, key=errors.get)
    assert errors[worst] < TOL, f"{worst}: relative error {errors[worst]:.2e}"


def test_the_condition_changes_the_output_and_is_read_at_every_step():
    rng = np.random.default_rng(23)
    G, D = make_pair("gru", "per_step", "last", rng)
    z = G.noise(N, rng)
    a = G.forward(z, condition=one_hot([0, 1, 0], C))[0]
    b = G.forward(z, condition=one_hot([1, 1, 0], C))[0]
    assert not np.allclose(a[0], b[0]) and np.allclose(a[1:], b[1:])
    u = with_condition(z, np.array([[1.0, 2.0]] * N), C, np.float64)
    assert u.shape == (N, T, Z + C) and np.all(u[:, :, Z:] == [1.0, 2.0])


def test_unconditional_models_are_unchanged_and_errors_are_named():
    rng = np.random.default_rng(0)
    a, b = Generator(F, T, rng=0), Generator(F, T, rng=0, condition_dim=0)
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)
    G, D = make_pair("gru", "per_step", "last", rng)
    z, x = G.noise(N, rng), rng.uniform(size=(N, T, F))
    with pytest.raises(ValueError, match="this model is conditional"):
        G.forward(z)
    with pytest.raises(ValueError, match=r"condition must have shape \(N, C\) = \(3, 2\)"):
        D.forward(x, condition=np.zeros((N, 3)))
    with pytest.raises(ValueError, match="condition_dim=0"):
        a.forward(a.noise(2, rng), condition=np.zeros((2, 1)))
    with pytest.raises(ValueError, match="condition_dim"):
        Discriminator(F, condition_dim=-1)
