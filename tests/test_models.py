"""Gradient checks of every model's forward/backward (E2, E9, E10, E16, A0) and their contracts.

Every check is float64 with random non-zero weights AND biases, a random upstream gradient,
and minirgan.gradcheck's centred differences; the threshold is the sequence one (1e-6).
"""

import numpy as np
import pytest

from conftest import randomise
from minirgan.gradcheck import numerical_gradient, relative_error
from minirgan.models import CELL_TYPES, GENERATOR_FORMS, READOUTS, Discriminator, Generator

N, T, Z, F, H, L = 3, 4, 2, 3, 5, 2
TOL = 1e-6
# Step of the centred differences. Two stacked layers make some gradient entries tiny
# (~1e-6), where h = 1e-4 leaves ~1e-11 of rounding noise, i.e. ~1e-5 *relative* error on
# exactly correct code; h = 1e-3 with Richardson extrapolation keeps both rounding and
# truncation near 1e-13.
STEP = 1e-3


def make_generator(cell, form, rng, **kw):
    kw.setdefault("noise", "per_step")     # the tests below draw a fresh z_t at every step
    hidden = None if form == "last_state" else H
    G = Generator(F, T, noise_dim=Z, hidden=hidden, layers=L, cell=cell, form=form, rng=rng, **kw)
    randomise(G.params, rng, scale=0.6)
    return G


def make_discriminator(cell, readout, rng, **kw):
    D = Discriminator(F, hidden=H, layers=L, cell=cell, readout=readout, rng=rng, **kw)
    randomise(D.params, rng, scale=0.6)
    return D


def check_model(model, inp, rng, forward):
    """Compare backward with finite differences for the input and every parameter."""
    out, cache = forward()
    dout = rng.standard_normal(out.shape)
    d_inp, grads = model.backward(dout, cache)
    assert set(grads) == set(model.params)
    f = lambda: forward()[0]
    errors = {"input": relative_error(d_inp, numerical_gradient(f, inp, dout, h=STEP))}
    for name, value in model.params.items():
        assert grads[name].shape == value.shape
        errors[name] = relative_error(grads[name], numerical_gradient(f, value, dout, h=STEP))
    worst = max(errors, key=errors.get)
    assert errors[worst] < TOL, f"{worst}: relative error {errors[worst]:.2e}"


@pytest.mark.parametrize("cell", CELL_TYPES)
@pytest.mark.parametrize("form", GENERATOR_FORMS)
def test_generator_gradcheck(form, cell):
    """E2 (per_step), E16 (last_state), E9 (autoregressive) for every cell, 2 layers, dropout 0."""
    rng = np.random.default_rng(10)
    G = make_generator(cell, form, rng)
    z = G.noise(N, rng)
    check_model(G, z, rng, lambda: G.forward(z))


@pytest.mark.parametrize("cell", CELL_TYPES)
@pytest.mark.parametrize("readout", READOUTS)
def test_discriminator_gradcheck(readout, cell):
    """Readouts last, mean and per_step (E10) for every cell, 2 layers, dropout 0."""
    rng = np.random.default_rng(11)
    D = make_discriminator(cell, readout, rng)
    x = rng.uniform(0, 1, size=(N, T, F))
    check_model(D, x, rng, lambda: D.forward(x))


@pytest.mark.parametrize("form", ["per_step", "autoregressive"])
def test_generator_dropout_backward_uses_the_saved_mask(form):
    """A0 dropout: with the mask held fixed (same rng seed each call) forward is a fixed
    function, and backward must multiply by that same mask."""
    rng = np.random.default_rng(12)
    G = make_generator("gru", form, rng, dropout=0.3)
    z = G.noise(N, rng)
    check_model(G, z, rng, lambda: G.forward(z, training=True, rng=np.random.default_rng(3)))


def test_discriminator_dropout_backward_uses_the_saved_mask():
    rng = np.random.default_rng(13)
    D = make_discriminator("lstm", "mean", rng, dropout=0.3)
    x = rng.uniform(0, 1, size=(N, T, F))
    check_model(D, x, rng, lambda: D.forward(x, training=True, rng=np.random.default_rng(4)))


def test_dropout_only_in_training_mode():
    rng = np.random.default_rng(14)
    G = make_generator("gru", "per_step", rng, dropout=0.5)
    z = G.noise(N, rng)
    a, b = G.forward(z)[0], G.forward(z)[0]
    np.testing.assert_array_equal(a, b)
    c = G.forward(z, training=True, rng=np.random.default_rng(0))[0]
    assert not np.allclose(a, c)
    with pytest.raises(ValueError, match="rng"):
        G.forward(z, training=True)


def test_backward_leaves_inputs_unchanged_and_is_repeatable():
    rng = np.random.default_rng(15)
    G = make_generator("lstm", "autoregressive", rng)
    z = G.noise(N, rng)
    z_copy = z.copy()
    x, cache = G.forward(z)
    dx = rng.standard_normal(x.shape)
    dx_copy = dx.copy()
    first = G.backward(dx, cache)
    second = G.backward(dx, cache)
    np.testing.assert_array_equal(z, z_copy)
    np.testing.assert_array_equal(dx, dx_copy)
    np.testing.assert_array_equal(first[0], second[0])
    for k in first[1]:
        np.testing.assert_array_equal(first[1][k], second[1][k])


def test_autoregressive_feeds_back_its_outputs():
    """E9: changing only ε_1 changes every later output (through y_1 fed back), and
    the first output does not depend on later noise."""
    rng = np.random.default_rng(16)
    G = Generator(F, T, noise_dim=Z, hidden=H, layers=1, cell="rnn", form="autoregressive", rng=rng,
                  noise="per_step")
    z = G.noise(N, rng)
    z2 = z.copy()
    z2[:, T - 1] += 1.0
    y, y2 = G.forward(z)[0], G.forward(z2)[0]
    np.testing.assert_array_equal(y[:, :-1], y2[:, :-1])
    assert not np.allclose(y[:, -1], y2[:, -1])


def test_last_state_sample_is_h_T():
    """E16: the sample is the last hidden state, H = T·F, in tanh's range."""
    rng = np.random.default_rng(17)
    G = Generator(F, T, noise_dim=Z, cell="gru", form="last_state", rng=rng, noise="per_step")
    assert G.stack.hidden == T * F
    assert "out.W_hy" not in G.params
    x = G.sample(N, rng)
    assert x.shape == (N, T, F)
    assert np.all(np.abs(x) < 1)
    with pytest.raises(ValueError, match="seq_len \\* features"):
        Generator(F, T, noise_dim=Z, hidden=7, form="last_state")


def test_per_step_readout_averages_step_logits():
    """E10: the per_step logit is the mean over t of W_hy h_t + b_y."""
    rng = np.random.default_rng(18)
    D = make_discriminator("gru", "per_step", rng)
    x = rng.uniform(0, 1, size=(N, T, F))
    logits = D.forward(x)[0]
    # the last-state readout of the prefix x_1..x_t is the per-step logit at t
    D_last = Discriminator(F, hidden=H, layers=L, cell="gru", readout="last")
    D_last.params = D.params
    step_logits = np.stack([D_last.forward(x[:, : t + 1])[0] for t in range(T)], axis=1)
    np.testing.assert_allclose(logits, step_logits.mean(axis=1), rtol=1e-12)


@pytest.mark.parametrize("output_activation,low,high", [("sigmoid", 0, 1), ("tanh", -1, 1)])
def test_output_activation_sets_the_range(output_activation, low, high):
    rng = np.random.default_rng(19)
    G = Generator(F, T, noise_dim=Z, hidden=H, output_activation=output_activation, rng=rng,
                  noise="per_step")
    randomise(G.params, rng, scale=3.0)
    x = G.sample(50, rng)
    assert x.min() > low and x.max() < high


def test_float32_models_stay_float32():
    rng = np.random.default_rng(20)
    G = Generator(F, T, noise_dim=Z, hidden=H, cell="lstm", rng=rng, dtype=np.float32,
                  noise="per_step")
    D = Discriminator(F, hidden=H, cell="lstm", readout="last", rng=rng, dtype=np.float32)
    assert all(v.dtype == np.float32 for v in {**G.params, **D.params}.values())
    x, gcache = G.forward(G.noise(N, rng))
    logits, dcache = D.forward(x)
    assert x.dtype == np.float32 and logits.dtype == np.float32
    dx, dgrads = D.backward(np.ones(N, dtype=np.float32), dcache)
    dz, ggrads = G.backward(dx, gcache)
    assert dz.dtype == np.float32 and all(g.dtype == np.float32 for g in ggrads.values())


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="form"):
        Generator(F, T, form="window")
    with pytest.raises(ValueError, match="cell"):
        Generator(F, T, cell="transformer")
    with pytest.raises(ValueError, match="readout"):
        Discriminator(F, readout="max")
    with pytest.raises(ValueError, match="dropout"):
        Discriminator(F, dropout=1.0)
    with pytest.raises(ValueError, match="output_activation"):
        Generator(F, T, output_activation="softplus")
    G = Generator(F, T, noise_dim=Z)
    with pytest.raises(ValueError, match="noise_dim"):
        G.forward(np.zeros((N, T, Z + 1)))
    D = Discriminator(F)
    with pytest.raises(ValueError, match="F = 3"):
        D.forward(np.zeros((N, T, F + 1)))
    with pytest.raises(ValueError, match="dlogits"):
        D.backward(np.zeros(N + 1), D.forward(np.zeros((N, T, F)))[1])


def test_E16_last_state_generator_refuses_another_length_instead_of_ignoring_it():
    """A3/E16: the sample is h_T with H = T·F, so a longer sample is impossible, not silently 24 steps."""
    G = Generator(1, 6, noise_dim=3, form="last_state", rng=0, backend="numpy")
    assert G.sample(2, np.random.default_rng(0)).shape == (2, 6, 1)
    with pytest.raises(ValueError, match="emits exactly seq_len = 6"):
        G.sample(2, np.random.default_rng(0), seq_len=12)
    per_step = Generator(1, 6, noise_dim=3, hidden=4, rng=0, backend="numpy")
    assert per_step.sample(2, np.random.default_rng(0), seq_len=12).shape == (2, 12, 1)
