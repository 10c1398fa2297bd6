"""Tests of the GAN losses (E3–E5, E8, C6, LSGAN, WGAN): golden values, gradient checks,
numerics, saturation, and demonstrations — through the library's losses and models — of why
the seeds' E6 and E7 are wrong."""

import math
import warnings

import numpy as np
import pytest

from minirgan.gradcheck import numerical_gradient, relative_error
from minirgan.losses import LOSSES, discriminator_loss, generator_loss, log_sigmoid, softplus
from minirgan.models import Discriminator, Generator


def sig(a):
    return 1.0 / (1.0 + math.exp(-a))


# ---------------------------------------------------------------- softplus and log σ

def test_softplus_and_log_sigmoid_match_the_definitions_for_moderate_values():
    a = np.array([-3.0, -0.5, 0.0, 0.7, 4.0])
    assert np.allclose(softplus(a), np.log1p(np.exp(a)), rtol=1e-14, atol=0)
    assert np.allclose(log_sigmoid(a), np.log(1.0 / (1.0 + np.exp(-a))), rtol=1e-13, atol=0)


def test_softplus_and_log_sigmoid_are_exact_far_out_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):  # underflow to 0 is exact enough
            sp = softplus(np.array([1000.0, -1000.0]))
            ls = log_sigmoid(np.array([1000.0, -1000.0]))
    assert sp[0] == 1000.0 and sp[1] == 0.0
    assert ls[0] == 0.0 and ls[1] == -1000.0


def test_softplus_keeps_float32():
    assert softplus(np.float32([1.0, -2.0])).dtype == np.float32


# ---------------------------------------------------------------- golden values

def test_golden_discriminator_bce_e5():
    real, fake = np.array([2.0, -1.0]), np.array([0.5])
    expected = -(math.log(sig(2.0)) + math.log(sig(-1.0))) / 2 - math.log(1 - sig(0.5))
    for kind in ("nonsaturating", "minimax"):
        loss, dr, df = discriminator_loss(real, fake, kind)
        assert loss == pytest.approx(expected, rel=1e-14)
        assert np.allclose(dr, [(sig(2.0) - 1) / 2, (sig(-1.0) - 1) / 2], rtol=1e-14)
        assert np.allclose(df, [sig(0.5)], rtol=1e-14)


def test_golden_discriminator_one_sided_label_smoothing():
    s = 0.1
    loss, dr, df = discriminator_loss(np.array([1.5]), np.array([-0.3]), label_smoothing=s)
    t = 1 - s
    expected = -(t * math.log(sig(1.5)) + (1 - t) * math.log(1 - sig(1.5))) - math.log(1 - sig(-0.3))
    assert loss == pytest.approx(expected, rel=1e-14)
    assert dr[0] == pytest.approx(sig(1.5) - t, rel=1e-14)
    # one-sided: the generated data's target stays 0
    assert df[0] == pytest.approx(sig(-0.3), rel=1e-14)


def test_golden_discriminator_lsgan_and_wgan():
    real, fake = np.array([0.2, 1.4]), np.array([-0.5, 0.1, 0.3])
    loss, _, _ = discriminator_loss(real, fake, "lsgan")
    expected = 0.5 * ((0.2 - 1) ** 2 + (1.4 - 1) ** 2) / 2 + 0.5 * (0.25 + 0.01 + 0.09) / 3
    assert loss == pytest.approx(expected, rel=1e-14)
    loss, dr, df = discriminator_loss(real, fake, "wgan")
    assert loss == pytest.approx((-0.5 + 0.1 + 0.3) / 3 - (0.2 + 1.4) / 2, rel=1e-14)
    assert np.allclose(dr, -0.5) and np.allclose(df, 1 / 3)


def test_golden_generator_losses():
    fake = np.array([-2.0, 1.0])
    nonsat = -(math.log(sig(-2.0)) + math.log(sig(1.0))) / 2
    minimax = (math.log(1 - sig(-2.0)) + math.log(1 - sig(1.0))) / 2
    assert generator_loss(fake, "nonsaturating")[0] == pytest.approx(nonsat, rel=1e-14)
    assert generator_loss(fake, "minimax")[0] == pytest.approx(minimax, rel=1e-14)
    assert generator_loss(fake, "lsgan")[0] == pytest.approx(0.5 * (9 + 0) / 2, rel=1e-14)
    assert generator_loss(fake, "wgan")[0] == pytest.approx(0.5, rel=1e-14)
    assert generator_loss(fake)[0] == generator_loss(fake, "nonsaturating")[0]


def test_bce_at_zero_logits_is_two_log_two():
    # D outputs ½ everywhere: −log ½ − log ½ = 2 log 2 (the value at the game's equilibrium, E3)
    loss, _, _ = discriminator_loss(np.zeros(4), np.zeros(3))
    assert loss == pytest.approx(2 * math.log(2), rel=1e-15)


# ---------------------------------------------------------------- gradient checks

SHAPES = [((5,), (4,)), ((3, 1), (6, 1)), ((2, 7), (3, 7))]


# (kind, label smoothing): every kind, and smoothing for those that have labels
KIND_SMOOTHING = [(k, 0.0) for k in LOSSES] + [(k, 0.2) for k in ("nonsaturating", "minimax", "lsgan")]


@pytest.mark.parametrize("kind, smoothing", KIND_SMOOTHING)
@pytest.mark.parametrize("shapes", SHAPES)
def test_gradcheck_discriminator_loss(kind, shapes, smoothing):
    rng = np.random.default_rng(1)
    real = rng.normal(0, 2, size=shapes[0])
    fake = rng.normal(0, 2, size=shapes[1])
    _, dr, df = discriminator_loss(real, fake, kind, smoothing)
    assert dr.shape == real.shape and df.shape == fake.shape
    f = lambda: np.array(discriminator_loss(real, fake, kind, smoothing)[0])
    assert relative_error(dr, numerical_gradient(f, real, np.array(1.0))) < 1e-7
    assert relative_error(df, numerical_gradient(f, fake, np.array(1.0))) < 1e-7


@pytest.mark.parametrize("kind", LOSSES)
@pytest.mark.parametrize("shape", [(5,), (4, 1), (3, 6)])
def test_gradcheck_generator_loss(kind, shape):
    fake = np.random.default_rng(2).normal(0, 2, size=shape)
    _, df = generator_loss(fake, kind)
    assert df.shape == fake.shape
    f = lambda: np.array(generator_loss(fake, kind)[0])
    assert relative_error(df, numerical_gradient(f, fake, np.array(1.0))) < 1e-7


# ---------------------------------------------------------------- numerics at ±1000

@pytest.mark.parametrize("kind", LOSSES)
def test_extreme_logits_give_finite_losses_and_gradients_without_warnings(kind):
    big = np.array([1000.0, -1000.0, 0.0, 745.0, -745.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):  # underflow to 0 is exact enough
            outs = [discriminator_loss(big, big[::-1].copy(), kind), generator_loss(big, kind)]
    for out in outs:
        assert np.isfinite(out[0])
        for g in out[1:]:
            assert np.all(np.isfinite(g))


def test_confident_correct_discriminator_has_zero_loss_and_wrong_one_has_huge_loss():
    loss, _, _ = discriminator_loss(np.array([1000.0]), np.array([-1000.0]))
    assert loss == 0.0
    loss, dr, df = discriminator_loss(np.array([-1000.0]), np.array([1000.0]))
    assert loss == pytest.approx(2000.0, rel=1e-15)
    assert dr[0] == -1.0 and df[0] == 1.0


@pytest.mark.parametrize("kind", LOSSES)
def test_nan_logits_give_a_nan_loss_silently_for_the_loop_to_catch(kind):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss_d, _, _ = discriminator_loss(np.array([np.nan, 1.0]), np.array([0.0]), kind)
        loss_g, _ = generator_loss(np.array([np.nan]), kind)
    assert math.isnan(loss_d) and math.isnan(loss_g)


@pytest.mark.parametrize("kind", LOSSES)
def test_float32_logits_give_float32_gradients(kind):
    real, fake = np.float32([0.3, -1.0]), np.float32([2.0])
    _, dr, df = discriminator_loss(real, fake, kind)
    assert dr.dtype == np.float32 and df.dtype == np.float32
    assert generator_loss(fake, kind)[1].dtype == np.float32


def test_inputs_are_not_modified():
    real, fake = np.array([0.5, -0.2]), np.array([1.0, 2.0])
    r0, f0 = real.copy(), fake.copy()
    for kind in LOSSES:
        discriminator_loss(real, fake, kind)
        generator_loss(fake, kind)
    assert np.array_equal(real, r0) and np.array_equal(fake, f0)


# ---------------------------------------------------------------- saturation (C6 vs E4)

def test_minimax_generator_gradient_vanishes_as_d_rejects_samples_but_nonsaturating_does_not():
    # D(G(z)) = σ(l) → 0 as l → −∞: early in training D rejects the samples easily.
    for l in (-5.0, -10.0, -20.0, -40.0):
        _, g_minimax = generator_loss(np.array([l]), "minimax")
        _, g_nonsat = generator_loss(np.array([l]), "nonsaturating")
        assert abs(g_minimax[0]) == pytest.approx(sig(l), rel=1e-12)  # E4: −σ(l) → 0
        assert abs(g_nonsat[0]) > 0.99                                # C6: σ(l) − 1 → −1
    assert abs(generator_loss(np.array([-40.0]), "minimax")[1][0]) < 1e-17


def test_both_generator_losses_push_d_of_g_z_up():
    # Same direction (both gradients negative: gradient descent raises the logit), E4 and C6.
    l = np.linspace(-6, 6, 13)
    assert np.all(generator_loss(l, "minimax")[1] < 0)
    assert np.all(generator_loss(l, "nonsaturating")[1] < 0)


# ---------------------------------------------------------------- one game, two players (E3, E8)

def game_value(real_logits, fake_logits):
    """E3's V(D, G) = E log D(x) + E log(1 − D(G(z))), from the library's log σ."""
    return float(np.mean(log_sigmoid(real_logits)) + np.mean(log_sigmoid(-fake_logits)))


def test_E3_E5_E8_the_discriminator_ascends_the_value_and_the_generator_descends_it():
    """E3's game value V; E5: D's loss is −V; E8 (S2 writes L_G and L_D as the same E3
    expression) resolved: D maximises V, G minimises it (E4, "minimax") — the two library losses
    differentiate the same V in opposite directions, and V = −log 4 where D is ½ everywhere."""
    rng = np.random.default_rng(40)
    real, fake = rng.normal(size=7), rng.normal(size=5)
    loss_d, _, d_fake_d = discriminator_loss(real, fake)
    loss_g, d_fake_g = generator_loss(fake, "minimax")
    assert loss_d == pytest.approx(-game_value(real, fake), rel=1e-12)
    # G sees only V's second term: V = E log D(x) + L_G(minimax)
    assert loss_g == pytest.approx(game_value(real, fake) - np.mean(log_sigmoid(real)), rel=1e-12)
    np.testing.assert_allclose(d_fake_d, -d_fake_g, rtol=1e-12)
    v = lambda: np.array(game_value(real, fake))
    np.testing.assert_allclose(d_fake_g, numerical_gradient(v, fake, np.array(1.0)), rtol=1e-8)
    assert game_value(np.zeros(3), np.zeros(4)) == pytest.approx(-math.log(4.0), rel=1e-14)


# ---------------------------------------------------------------- the seeds' wrong signs
# E6 and E7 are not offered by the library; each is written here from the library's own
# losses, exactly as the erratum relates them, so a sign regression in the library shows.

def seed_e6(real_logits, fake_logits):
    """S3's E6, L_D = −E log D(x) + E log(1 − D(G(z))): the library's C6 form on the real
    logits plus its E4 ("minimax") form on the generated ones. (loss, d_real, d_fake)."""
    loss_r, d_real = generator_loss(real_logits, "nonsaturating")
    loss_f, d_fake = generator_loss(fake_logits, "minimax")
    return loss_r + loss_f, d_real, d_fake


def seed_e7(fake_logits):
    """S3's E7, L_G = −E log(1 − D(G(z))): the library's E4 with its sign flipped. (loss, d)."""
    loss, d_fake = generator_loss(fake_logits, "minimax")
    return -loss, -d_fake


def test_e7_loss_decreases_as_d_of_g_z_goes_to_zero():
    """E7 falls along a path where D(G(z)) → 0, while the library's E4 and C6 losses rise."""
    logits = np.array([4.0, 2.0, 0.0, -2.0, -4.0, -8.0])      # D(G(z)) falling towards 0
    assert np.all(np.diff(1.0 / (1.0 + np.exp(-logits))) < 0)
    e7 = [seed_e7(np.array([l]))[0] for l in logits]
    assert np.all(np.diff(e7) < 0)  # minimising E7 makes the fakes look *more* fake
    assert np.all(np.diff([generator_loss(np.array([l]), "minimax")[0] for l in logits]) > 0)
    assert np.all(np.diff([generator_loss(np.array([l]), "nonsaturating")[0] for l in logits]) > 0)


def small_gan(seed):
    rng = np.random.default_rng(seed)
    G = Generator(2, 5, noise_dim=3, hidden=4, rng=rng, backend="numpy")
    D = Discriminator(2, hidden=4, rng=rng, backend="numpy")
    return G, D, G.noise(16, rng)


def mean_d_of_g(G, D, z):
    return float(np.mean(1.0 / (1.0 + np.exp(-D.forward(G.forward(z)[0])[0]))))


def test_e7_gradient_step_lowers_d_of_g_z():
    """Through the library's G and D: a small step on E7 lowers D(G(z)); on C6 it raises it."""
    moved = {}
    for name, loss in (("e7", seed_e7), ("c6", generator_loss)):
        G, D, z = small_gan(41)
        x_fake, g_cache = G.forward(z)
        logits, d_cache = D.forward(x_fake)
        _, d_logits = loss(logits)
        dx, _ = D.backward(d_logits, d_cache)
        _, grads = G.backward(dx, g_cache)
        before = mean_d_of_g(G, D, z)
        for k in G.params:
            G.params[k] -= 1e-2 * grads[k]
        moved[name] = mean_d_of_g(G, D, z) - before
    assert moved["e7"] < 0 < moved["c6"]


def test_e6_discriminator_gradient_raises_the_fake_logits():
    """E6 is E5 with the fake term's sign flipped; a library Discriminator trained on E6 learns
    to call the generated sequences real, on the library's E5 to reject them."""
    real, fake = np.array([0.5, -0.5, 1.5]), np.array([0.2, -1.0])
    loss_e5, d_real_e5, d_fake_e5 = discriminator_loss(real, fake)
    loss_e6, d_real_e6, d_fake_e6 = seed_e6(real, fake)
    assert loss_e5 == pytest.approx(loss_e6 - 2 * generator_loss(fake, "minimax")[0], rel=1e-12)
    np.testing.assert_allclose(d_real_e6, d_real_e5, rtol=1e-12)
    np.testing.assert_allclose(d_fake_e6, -d_fake_e5, rtol=1e-12)
    assert np.all(d_fake_e6 < 0) and np.all(d_fake_e5 > 0)

    rng = np.random.default_rng(42)
    x_real = rng.uniform(0.6, 1.0, size=(16, 5, 2))
    x_fake = rng.uniform(0.0, 0.4, size=(16, 5, 2))
    d_of_fakes = {}
    for name, loss in (("e5", discriminator_loss), ("e6", seed_e6)):
        _, D, _ = small_gan(43)
        for _ in range(20):
            lr, cache_r = D.forward(x_real)
            lf, cache_f = D.forward(x_fake)
            _, d_r, d_f = loss(lr, lf)
            grads_r, grads_f = D.backward(d_r, cache_r)[1], D.backward(d_f, cache_f)[1]
            for k in D.params:
                D.params[k] -= 0.5 * (grads_r[k] + grads_f[k])
        d_of_fakes[name] = float(np.mean(1.0 / (1.0 + np.exp(-D.forward(x_fake)[0]))))
    assert d_of_fakes["e5"] < 0.4 and d_of_fakes["e6"] > 0.6


# ---------------------------------------------------------------- bad input

def test_unknown_kind_is_a_clear_error():
    with pytest.raises(ValueError, match="kind must be one of"):
        discriminator_loss(np.zeros(2), np.zeros(2), "e7")
    with pytest.raises(ValueError, match="kind must be one of"):
        generator_loss(np.zeros(2), "saturating")


def test_wgan_rejects_smoothing_and_bad_smoothing_values():
    with pytest.raises(ValueError, match="wgan"):
        discriminator_loss(np.zeros(2), np.zeros(2), "wgan", label_smoothing=0.1)
    for s in (-0.1, 1.0):
        with pytest.raises(ValueError, match="label_smoothing"):
            discriminator_loss(np.zeros(2), np.zeros(2), label_smoothing=s)


def test_empty_or_non_numeric_logits_are_rejected():
    with pytest.raises(ValueError, match="real_logits"):
        discriminator_loss(np.zeros(0), np.zeros(2))
    with pytest.raises(ValueError, match="fake_logits"):
        generator_loss(np.array(["a"]))
