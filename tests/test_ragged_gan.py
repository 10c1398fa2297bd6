"""The GAN on padded batches of sequences of different lengths (minirgan/ragged.py, M2, M3):
D scores only the real steps with every readout, G's output is zero past its length, the
moment losses read only real steps, and every new backward pass agrees with centred
differences in float64, with random non-zero weights and ragged lengths including 1 and T,
on both backends."""

import numpy as np
import pytest

from minirgan.gradcheck import numerical_gradient, relative_error
from minirgan.models import Discriminator, Generator
from minirgan.moment_loss import moment_loss, step_moment_loss
from minirgan.ragged import draw_lengths, mean_over_real_steps, spread_over_real_steps, time_weights
from step_recording import small_default_config, step_and_numerical_gradients, worst_error

BACKENDS = ["numpy", "numba"]
N, T, F = 4, 6, 2
LENGTHS = np.array([1, T, 3, 5])


def randomised(model, seed):
    """Every weight and bias of ``model`` random and non-zero, U(−0.8, 0.8)."""
    rng = np.random.default_rng(seed)
    for v in model.params.values():
        v[...] = rng.uniform(-0.8, 0.8, size=v.shape)
    return model


def check_model_gradients(model, inp, dout, forward, backward):
    """Every parameter's and the input's gradient against centred differences (float64)."""
    out, cache = forward()
    d_inp, grads = backward(dout, cache)
    for key, value in model.params.items():
        numeric = numerical_gradient(lambda: forward()[0], value, dout)
        assert relative_error(grads[key], numeric) < 1e-6, key
    if d_inp is not None:
        assert relative_error(d_inp, numerical_gradient(lambda: forward()[0], inp, dout)) < 1e-6
    return out, d_inp


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("readout", ["last", "mean", "per_step"])
def test_M2_discriminator_scores_only_real_steps_and_its_gradients_match(readout, backend):
    """M1 under every readout (last = the last real step), M2 for the mean and per-step ones."""
    rng = np.random.default_rng(0)
    D = randomised(Discriminator(F, hidden=3, layers=2, readout=readout, backend=backend), 1)
    x = rng.uniform(-1, 1, size=(N, T, F))
    dout = rng.standard_normal(N)
    out, dx = check_model_gradients(D, x, dout, lambda: D.forward(x, lengths=LENGTHS), D.backward)
    for n, L in enumerate(LENGTHS):                    # the padded batch = each sequence alone
        alone = D.forward(x[n:n + 1, :L])[0]
        np.testing.assert_allclose(out[n], alone[0], rtol=1e-12, atol=1e-14)
        assert not dx[n, L:].any()                     # the padding gets no gradient
    changed = x.copy()
    changed[0, 1:] = 7.0                               # padding values do not matter
    np.testing.assert_array_equal(D.forward(changed, lengths=LENGTHS)[0], out)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("form", ["per_step", "autoregressive"])
def test_M3_generator_is_zero_past_its_length_and_its_gradients_match(form, backend):
    rng = np.random.default_rng(2)
    G = randomised(Generator(F, T, noise_dim=2, hidden=3, form=form, backend=backend), 3)
    z = G.noise(N, rng)
    dout = rng.standard_normal((N, T, F))
    out, _ = check_model_gradients(G, z, dout, lambda: G.forward(z, lengths=LENGTHS), G.backward)
    full = G.forward(z)[0]
    for n, L in enumerate(LENGTHS):
        np.testing.assert_array_equal(out[n, :L], full[n, :L])       # the real steps: G's own
        assert not out[n, L:].any()


def test_M2_mean_over_real_steps_and_its_backward():
    rng = np.random.default_rng(4)
    a = rng.standard_normal((N, T, 3))
    w = time_weights(LENGTHS, N, T)
    mean = mean_over_real_steps(a, w)
    for n, L in enumerate(LENGTHS):
        np.testing.assert_allclose(mean[n], a[n, :L].mean(axis=0), rtol=1e-13)
    g = rng.standard_normal((N, 3))
    numeric = numerical_gradient(lambda: mean_over_real_steps(a, w), a, g)
    assert relative_error(spread_over_real_steps(g, w), numeric) < 1e-8


@pytest.mark.parametrize("loss", [moment_loss, step_moment_loss], ids=["L_M", "L_delta"])
def test_M2_masked_moment_losses_read_only_real_steps_and_their_gradients_match(loss):
    rng = np.random.default_rng(5)
    real, fake = rng.uniform(size=(7, T, F)), rng.uniform(size=(5, T, F)) * 0.5
    real_len, fake_len = np.array([T, 2, 4, 1, T, 3, 5]), np.array([1, T, 3, 5, 2])
    value, grad = loss(fake, real, fake_len, real_len)
    numeric = numerical_gradient(lambda: np.array(loss(fake, real, fake_len, real_len)[0]), fake,
                                 np.array(1.0))
    # 1e-6, the sequence threshold: a step real in one generated sequence only has σ̂ = sqrt(ε),
    # where the loss curves sharply and the centred difference loses a digit
    assert relative_error(grad, numeric) < 1e-6
    assert not grad[0, 1:].any() and np.abs(grad[1]).sum() > 0
    padded_real, padded_fake = real.copy(), fake.copy()
    padded_real[3, 1:], padded_fake[0, 1:] = 5.0, -5.0          # padding changes nothing
    assert loss(padded_fake, padded_real, fake_len, real_len)[0] == value
    # full lengths: the unmasked loss
    full_r, full_f = np.full(7, T), np.full(5, T)
    assert loss(fake, real, full_f, full_r)[0] == pytest.approx(loss(fake, real)[0], rel=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_M2_M3_masked_train_step_hands_the_gradients_of_its_losses(backend):
    """The whole step with lengths: D's E5 loss and G's C6 + moment losses on the real steps."""
    config = small_default_config(backend=backend, step_moment_loss=0.5)
    lengths = np.random.default_rng(6).integers(1, config.seq_len + 1, size=config.n_data)
    lengths[:2] = 1, config.seq_len
    _, grads_d, grads_g, num_d, num_g = step_and_numerical_gradients(config, lengths=lengths)
    for handed, numeric, who in ((grads_d, num_d, "D"), (grads_g, num_g, "G")):
        name, err = worst_error(handed, numeric)
        assert err < 1e-6, f"{who} {name}: relative error {err:.2e}"


def test_lengths_are_drawn_from_the_data_per_class():
    rng = np.random.default_rng(7)
    lengths = np.array([3, 3, 4, 9, 10, 10])
    groups = np.array([0, 0, 0, 1, 1, 1])
    want = np.array([0, 1] * 500)
    drawn = draw_lengths(lengths, len(want), rng, groups, want)
    assert set(drawn[want == 0]) == {3, 4} and set(drawn[want == 1]) == {9, 10}
    assert abs(np.mean(drawn[want == 0] == 3) - 2 / 3) < 0.06
    assert set(draw_lengths(lengths, 200, rng)) == set(lengths)
    with pytest.raises(ValueError, match="class 2"):
        draw_lengths(lengths, 1, rng, groups, np.array([2]))
