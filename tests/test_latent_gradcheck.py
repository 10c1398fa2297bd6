"""Gradient checks of the latent model (docs/latent.md): the recurrent autoencoder (M11–M13) on
both backends, and the code generator and discriminator (M14, M15) under the GAN losses (E5,
C6). Float64, every weight and bias random and non-zero, centred differences with Richardson
extrapolation (``minirgan.gradcheck``). Bounds: the published one of a sequence, 1e-6, for the
autoencoder (two recurrent passes in a row, whose smallest entries are a few 1e-8 and sit near
the differences' rounding floor), 1e-7 for the MLPs.

Leaky ReLU has a kink at 0, where a centred difference that straddles it is wrong by design:
the MLP checks use a small step (1e-5) and assert that no pre-activation lies within KINK_MARGIN
of 0, so a failure there is a wrong gradient, not a kink."""

import numpy as np
import pytest

from conftest import randomise
from minirgan.gradcheck import numerical_gradient, relative_error
from minirgan.losses import LOSSES, discriminator_loss, generator_loss
from minirgan.models.autoencoder import Autoencoder, reconstruction_loss
from minirgan.models.latent import CodeDiscriminator, CodeGenerator
from minirgan.models.mlp import MLP

SEQUENCE_BOUND, BOUND = 1e-6, 1e-7
MLP_STEP, KINK_MARGIN = 1e-4, 1e-3
ATOL = 1e-10           # the losses' differences round at ~1e-12 with this step
N, T, F, C, H = 3, 5, 2, 3, 4
ONE = np.array(1.0)
# a scalar loss (~0.1) at the end of the chain has small entries in its gradient: a larger step
# keeps the rounding of the centred difference below 1e-12 relative (as in step_recording.py)
STEP = 3e-3


def random_autoencoder(backend, seed=0, layers=1, cell="gru"):
    rng = np.random.default_rng(seed)
    ae = Autoencoder(F, C, hidden=H, layers=layers, cell=cell, rng=rng, backend=backend)
    randomise(ae.params, rng)
    return ae, rng.uniform(0.0, 1.0, (N, T, F))


def assert_all_match(analytic, numeric, bound=BOUND, atol=0.0):
    """Every entry within ``bound`` relative error, or (with ``atol``) within atol absolute: a
    piecewise-linear net has gradient entries that are exactly 0 (WGAN's output bias: 1/n − 1/n),
    where the relative error of the differences' rounding (~1e-12) is meaningless."""
    assert set(analytic) == set(numeric)
    errors = {k: relative_error(np.where(np.abs(analytic[k] - numeric[k]) <= atol, numeric[k], analytic[k]),
                                numeric[k]) for k in numeric}
    bad = {k: f"{e:.1e}" for k, e in errors.items() if e > bound}
    assert not bad, bad


def assert_off_the_kinks(*caches):
    """No hidden pre-activation of these MLP forward caches is within KINK_MARGIN of 0."""
    closest = min(np.abs(pre).min() for cache in caches for pre, _, _ in cache[:-1])
    assert closest > KINK_MARGIN, f"a pre-activation {closest:.1e} from leaky ReLU's kink: pick other data"


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_M11_M13_reconstruction_loss_gradients_match_finite_differences(backend):
    """L_R of M13 through the decoder (E2, M12) and the encoder's code (M11): the gradient of
    every encoder and decoder parameter, and of the input x."""
    ae, x = random_autoencoder(backend)
    x_hat, cache = ae.reconstruct(x)
    dx_hat = reconstruction_loss(x_hat, x)[1]
    dx, grads = ae.reconstruct_backward(dx_hat, cache)
    loss = lambda: np.array(reconstruction_loss(ae.reconstruct(x)[0], x)[0])
    numeric = {k: numerical_gradient(loss, v, ONE, h=STEP) for k, v in ae.params.items()}
    numeric["x"] = numerical_gradient(loss, x, ONE, h=STEP)
    # x reaches L_R through the encoder and as the target: ∂L_R/∂x = dx − 2 (x̂ − x) / NTF
    assert_all_match({**grads, "x": dx - dx_hat}, numeric, SEQUENCE_BOUND)
    assert loss_and_grads_agree(ae, x, grads)


def loss_and_grads_agree(ae, x, grads):
    """loss_and_grads (the training step's call) gives the same gradients as the pieces."""
    _, again = ae.loss_and_grads(x)
    return all(np.array_equal(again[k], grads[k]) for k in grads)


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_M11_M12_encoder_and_decoder_each_match_finite_differences_for_a_random_upstream(backend):
    """Each half on its own, two stacked layers, a random upstream gradient: the codes c (M11)
    w.r.t. x and the encoder's parameters; the decoded x̂ (M12, E2) w.r.t. c and the decoder's."""
    ae, x = random_autoencoder(backend, seed=1, layers=2)
    rng = np.random.default_rng(2)
    c, enc_cache = ae.encode(x)
    dc = rng.standard_normal(c.shape)
    dx, enc_grads = ae.encode_backward(dc, enc_cache)
    encoder = {k: v for k, v in ae.params.items() if k.startswith("enc.")}
    numeric = {k: numerical_gradient(lambda: ae.encode(x)[0], v, dc) for k, v in encoder.items()}
    numeric["x"] = numerical_gradient(lambda: ae.encode(x)[0], x, dc)
    assert_all_match({**enc_grads, "x": dx}, numeric, SEQUENCE_BOUND)

    code = np.tanh(rng.standard_normal((N, C)))
    x_hat, dec_cache = ae.decode(code, T)
    dx_hat = rng.standard_normal(x_hat.shape)
    dcode, dec_grads = ae.decode_backward(dx_hat, dec_cache)
    decoder = {k: v for k, v in ae.params.items() if k.startswith("dec.")}
    numeric = {k: numerical_gradient(lambda: ae.decode(code, T)[0], v, dx_hat) for k, v in decoder.items()}
    numeric["c"] = numerical_gradient(lambda: ae.decode(code, T)[0], code, dx_hat)
    assert_all_match({**dec_grads, "c": dcode}, numeric, SEQUENCE_BOUND)


def test_the_two_backends_give_the_same_autoencoder_gradients():
    """numba and NumPy agree to rounding on the whole autoencoder's loss and gradients."""
    (numpy_ae, x), (numba_ae, _) = random_autoencoder("numpy"), random_autoencoder("numba")
    loss_a, grads_a = numpy_ae.loss_and_grads(x)
    loss_b, grads_b = numba_ae.loss_and_grads(x)
    assert loss_a == pytest.approx(loss_b, rel=1e-12)
    assert max(relative_error(grads_a[k], grads_b[k]) for k in grads_a) < 1e-10


def test_M14_mlp_gradients_match_finite_differences_with_every_output_activation():
    """One MLP (leaky ReLU hidden layers, M14) per output activation g: every parameter and the input."""
    rng = np.random.default_rng(0)
    for g in ("tanh", "identity", "sigmoid"):
        mlp = MLP([3, 5, 4, 2], g, rng=rng)
        randomise(mlp.params, rng)
        x = rng.standard_normal((6, 3))
        y, cache = mlp.forward(x)
        dy = rng.standard_normal(y.shape)
        dx, grads = mlp.backward(dy, cache)
        assert_off_the_kinks(cache)
        f = lambda: mlp.forward(x)[0]
        numeric = {k: numerical_gradient(f, v, dy, h=MLP_STEP) for k, v in mlp.params.items()}
        numeric["x"] = numerical_gradient(f, x, dy, h=MLP_STEP)
        assert_all_match({**grads, "x": dx}, numeric)


def random_code_gan(seed):
    rng = np.random.default_rng(seed)
    G, D = CodeGenerator(4, C, rng=rng), CodeDiscriminator(C, rng=rng)
    for model in (G, D):
        randomise(model.params, rng)
    return G, D, G.noise(7, rng), np.tanh(rng.standard_normal((6, C)))


@pytest.mark.parametrize("loss", LOSSES)
def test_M14_M15_latent_generator_and_discriminator_losses_match_finite_differences(loss):
    """The latent game on codes: E5's D loss (or the kind's) w.r.t. every parameter of the code
    discriminator and the real codes; L_G (C6 by default) w.r.t. every parameter of the code
    generator, through D (M15)."""
    G, D, z, real = random_code_gan(3)
    fake, g_cache = G.forward(z)
    real_logits, real_cache = D.forward(real)
    fake_logits, fake_cache = D.forward(fake)
    _, d_real, d_fake = discriminator_loss(real_logits, fake_logits, loss)
    d_real_codes, grads_real = D.backward(d_real, real_cache)
    grads_d = {k: grads_real[k] + g for k, g in D.backward(d_fake, fake_cache)[1].items()}
    loss_d = lambda: np.array(discriminator_loss(D.forward(real)[0], D.forward(fake)[0], loss)[0])
    assert_off_the_kinks(g_cache, real_cache, fake_cache)
    numeric = {k: numerical_gradient(loss_d, v, ONE, h=MLP_STEP) for k, v in D.params.items()}
    numeric["real"] = numerical_gradient(loss_d, real, ONE, h=MLP_STEP)
    assert_all_match({**grads_d, "real": d_real_codes}, numeric, atol=ATOL)

    logits, d_cache = D.forward(fake)
    dfake = D.backward(generator_loss(logits, loss)[1], d_cache, need_param_grads=False)[0]
    _, grads_g = G.backward(dfake, g_cache, need_input_grad=False)
    loss_g = lambda: np.array(generator_loss(D.forward(G.forward(z)[0])[0], loss)[0])
    numeric = {k: numerical_gradient(loss_g, v, ONE, h=MLP_STEP) for k, v in G.params.items()}
    assert_all_match(grads_g, numeric, atol=ATOL)


def test_the_autoencoder_check_catches_a_wrong_M12_backward(monkeypatch):
    """A check that cannot fail proves nothing: averaging the steps' gradients into the code
    instead of summing them (a 1/T error in M12's backward) fails the reconstruction check."""
    ae, x = random_autoencoder("numpy")
    x_hat, cache = ae.reconstruct(x)
    right = ae.reconstruct_backward(reconstruction_loss(x_hat, x)[1], cache)[1]
    real_decode_backward = Autoencoder.decode_backward

    def averaged(self, dx_hat, cache, need_input_grad=True, need_param_grads=True):
        dc, grads = real_decode_backward(self, dx_hat, cache, need_input_grad, need_param_grads)
        return dc / x_hat.shape[1], grads

    monkeypatch.setattr(Autoencoder, "decode_backward", averaged)
    wrong = ae.reconstruct_backward(reconstruction_loss(x_hat, x)[1], cache)[1]
    encoder = [k for k in right if k.startswith("enc.")]
    assert all(relative_error(wrong[k], right[k]) > 0.1 for k in encoder)
    assert all(np.array_equal(wrong[k], right[k]) for k in right if k.startswith("dec."))
