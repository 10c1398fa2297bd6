"""Conditional G and D (condition c concatenated to every step's input, and for G also or instead
in the initial states, ``condition_at``): gradient checks of each model and of the full chain
c → G(z, c) → D(G(z, c), c) → logit, float64, random non-zero weights and biases (the initial-state
embedding's included), a random non-one-hot condition (static attributes) and random upstream
gradients."""

import numpy as np
import pytest

from minirgan.gradcheck import numerical_gradient, relative_error
from minirgan.models import CELL_TYPES, GENERATOR_FORMS, READOUTS, Discriminator, Generator
from minirgan.models.condition import (CONDITION_ENTRIES, initial_states, initial_states_backward,
                                       init_state_embedding, one_hot, with_condition)

from test_models import STEP, TOL, check_model, randomise

N, T, Z, F, H, C = 3, 4, 2, 3, 5, 2
# Through four stacked layers (G's two, D's two) some gradients of G's top layer are ~1e-5:
# h = 1e-3 leaves ~1e-13 of rounding noise on them, 1e-6 relative on exactly correct code;
# h = 1e-2 with Richardson extrapolation keeps rounding and truncation both below 1e-7.
CHAIN_STEP = 1e-2


def make_pair(cell, form, readout, rng, condition_at="input", backend=None):
    G = Generator(F, T, noise_dim=Z, hidden=None if form == "last_state" else H, layers=2,
                  cell=cell, form=form, rng=rng, condition_dim=C, condition_at=condition_at,
                  backend=backend)
    D = Discriminator(F, hidden=H, layers=2, cell=cell, readout=readout, rng=rng, condition_dim=C)
    randomise(G.params, rng)
    randomise(D.params, rng)
    return G, D


@pytest.mark.parametrize("condition_at", CONDITION_ENTRIES)
@pytest.mark.parametrize("cell", CELL_TYPES)
@pytest.mark.parametrize("form", GENERATOR_FORMS)
def test_conditional_generator_gradcheck(form, cell, condition_at):
    rng = np.random.default_rng(20)
    G, _ = make_pair(cell, form, "last", rng, condition_at)
    z, c = G.noise(N, rng), rng.uniform(-1, 1, size=(N, C))
    check_model(G, z, rng, lambda: G.forward(z, condition=c))


@pytest.mark.parametrize("cell", CELL_TYPES)
@pytest.mark.parametrize("readout", READOUTS)
def test_conditional_discriminator_gradcheck(readout, cell):
    rng = np.random.default_rng(21)
    _, D = make_pair(cell, "per_step", readout, rng)
    x, c = rng.uniform(0, 1, size=(N, T, F)), rng.uniform(-1, 1, size=(N, C))
    check_model(D, x, rng, lambda: D.forward(x, condition=c))


@pytest.mark.parametrize("condition_at", CONDITION_ENTRIES)
@pytest.mark.parametrize("cell", CELL_TYPES)
def test_full_chain_gradcheck_through_G_and_D_with_the_condition(cell, condition_at):
    """dL_G/dθ_G for L = Σ dl · D(G(z, c), c): the generator's gradient as train_step forms it;
    with c in G's initial states ("state", "both") θ_G includes the embedding's W_h0, b_h0 (and
    an LSTM's W_c0, b_c0) of both layers."""
    rng = np.random.default_rng(22)
    G, D = make_pair(cell, "per_step", "per_step", rng, condition_at)
    assert any(k.startswith("init") for k in G.params) == (condition_at != "input")
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


@pytest.mark.parametrize("cell", CELL_TYPES)
def test_initial_state_embedding_gradcheck_on_c_and_its_weights(cell):
    """h_0 = tanh(W_h0 c + b_h0) per layer and per state of the cell (not a seed equation; the
    one function every conditional-in-the-state model calls): dc and every weight's gradient
    against finite differences, random non-zero weights and biases, two layers."""
    from minirgan.cells import get_cell
    states = get_cell(cell).states
    rng = np.random.default_rng(24)
    params = randomise(init_state_embedding(2, C, H, states, rng), rng)
    c = rng.uniform(-1, 1, size=(N, C))
    f = lambda: np.stack([s for layer in initial_states(c, params, 2, states)[0] for s in layer])
    out, cache = initial_states(c, params, 2, states)
    assert len(out) == 2 and all(len(layer) == len(states) and layer[0].shape == (N, H) for layer in out)
    dout = rng.standard_normal(f().shape)
    k = iter(dout)
    dstates0 = [tuple(next(k) for _ in states) for _ in range(2)]
    dc, grads = initial_states_backward(dstates0, cache)
    assert set(grads) == set(params)
    errors = {"c": relative_error(dc, numerical_gradient(f, c, dout, h=STEP))}
    for name, value in params.items():
        errors[name] = relative_error(grads[name], numerical_gradient(f, value, dout, h=STEP))
    worst = max(errors, key=errors.get)
    assert errors[worst] < TOL, f"{worst}: relative error {errors[worst]:.2e}"


@pytest.mark.parametrize("cell", CELL_TYPES)
def test_numba_kernels_give_the_initial_states_the_numpy_gradients(cell):
    """With c in the initial states, the embedding's gradient comes through the kernels' dh0 (and
    dc0): the numba backend agrees with the NumPy reference to ~1e-12 in float64."""
    rng = np.random.default_rng(25)
    G, _ = make_pair(cell, "per_step", "last", rng, "both", backend="numpy")
    fast = Generator(F, T, noise_dim=Z, hidden=H, layers=2, cell=cell, rng=0, condition_dim=C,
                     condition_at="both", backend="numba")
    fast.params = {k: v.copy() for k, v in G.params.items()}
    z, c = G.noise(N, rng), rng.uniform(-1, 1, size=(N, C))
    dx = rng.standard_normal((N, T, F))
    (x_ref, cache_ref), (x_fast, cache_fast) = G.forward(z, condition=c), fast.forward(z, condition=c)
    (dz_ref, g_ref), (dz_fast, g_fast) = G.backward(dx, cache_ref), fast.backward(dx, cache_fast)
    np.testing.assert_allclose(x_fast, x_ref, rtol=0, atol=1e-12)
    np.testing.assert_allclose(dz_fast, dz_ref, rtol=0, atol=1e-12)
    for k in g_ref:
        np.testing.assert_allclose(g_fast[k], g_ref[k], rtol=0, atol=1e-12, err_msg=k)


def test_where_the_condition_enters_the_generator():
    """"input" is the generator it was (same draws, same weights, no embedding); "state" reads
    z_t alone and starts every layer from c; "both" does the two."""
    rng = np.random.default_rng(26)
    plain = Generator(F, T, noise_dim=Z, hidden=H, layers=2, rng=3, condition_dim=C)
    same = Generator(F, T, noise_dim=Z, hidden=H, layers=2, rng=3, condition_dim=C, condition_at="input")
    assert set(plain.params) == set(same.params) and not any(k.startswith("init") for k in plain.params)
    assert all(np.array_equal(plain.params[k], same.params[k]) for k in plain.params)
    state = Generator(F, T, noise_dim=Z, hidden=H, layers=2, rng=3, condition_dim=C, condition_at="state")
    both = Generator(F, T, noise_dim=Z, hidden=H, layers=2, rng=3, condition_dim=C, condition_at="both",
                     cell="lstm")
    # the input weights act on [h_{t−1}, u_t]: H + Z columns with c in the state only, H + Z + C with it
    # in the input
    assert state.params["rnn0.W_z"].shape == (H, H + Z) and both.params["rnn0.W_f"].shape == (H, H + Z + C)
    assert sorted(k for k in state.params if k.startswith("init")) == [
        "init0.W_h0", "init0.b_h0", "init1.W_h0", "init1.b_h0"]
    assert {"init1.W_c0", "init1.b_c0"} <= set(both.params)          # an LSTM's c_0 too
    randomise(state.params, rng)
    # "state": the class changes the sample only through h_0, so it reaches every step
    z = state.noise(N, rng)
    a = state.forward(z, condition=one_hot([0, 1, 0], C))[0]
    b = state.forward(z, condition=one_hot([1, 1, 0], C))[0]
    assert not np.allclose(a[0], b[0]) and np.allclose(a[1:], b[1:])


def test_a_bad_condition_entry_is_a_clear_error():
    with pytest.raises(ValueError, match=r"condition_at must be one of \('input', 'state', 'both'\), "
                                         r"got 'hidden'"):
        Generator(F, T, condition_dim=C, condition_at="hidden")
    with pytest.raises(ValueError, match="condition_at='state' .* needs one"):
        Generator(F, T, condition_at="state")
    G = Generator(F, T, noise_dim=Z, hidden=H, condition_dim=C, condition_at="state", rng=0)
    with pytest.raises(ValueError, match="this model is conditional"):
        G.forward(G.noise(2, np.random.default_rng(0)))
    with pytest.raises(ValueError, match=r"condition must have shape \(N, C\) = \(2, 2\)"):
        G.forward(G.noise(2, np.random.default_rng(0)), condition=np.zeros((2, 3)))
