"""Tests of the GAN losses (E4, E5, C6, LSGAN, WGAN): golden values, gradient checks, numerics,
saturation, and demonstrations of why the seeds' E6 and E7 are wrong."""

import math
import warnings

import numpy as np
import pytest

from minirgan.gradcheck import numerical_gradient, relative_error
from minirgan.losses import LOSSES, discriminator_loss, generator_loss, log_sigmoid, softplus


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


# ---------------------------------------------------------------- the seeds' wrong signs

def e7_generator_loss(l):
    """S3's E7, written out only to show it is wrong: L_G = −mean log(1 − σ(l)) = mean softplus(l)."""
    return float(np.mean(softplus(l)))


def test_e7_loss_decreases_as_d_of_g_z_goes_to_zero():
    logits = np.array([4.0, 2.0, 0.0, -2.0, -4.0, -8.0])      # D(G(z)) falling towards 0
    d_of_g = 1.0 / (1.0 + np.exp(-logits))
    e7 = [e7_generator_loss(np.array([l])) for l in logits]
    assert np.all(np.diff(d_of_g) < 0)
    assert np.all(np.diff(e7) < 0)  # minimising E7 makes the fakes look *more* fake
    # ... whereas the correct losses rise along the same path
    assert np.all(np.diff([generator_loss(np.array([l]), "minimax")[0] for l in logits]) > 0)
    assert np.all(np.diff([generator_loss(np.array([l]), "nonsaturating")[0] for l in logits]) > 0)


def test_e7_gradient_step_lowers_d_of_g_z():
    l = np.array([0.3])
    d_e7 = numerical_gradient(lambda: np.array(e7_generator_loss(l)), l, np.array(1.0))
    assert d_e7[0] > 0                      # descent moves the logit down: D(G(z)) drops
    assert generator_loss(l)[1][0] < 0      # C6 moves it up


def test_e6_discriminator_gradient_raises_the_fake_logits():
    # S3's E6: L_D = −mean log σ(l_x) + mean log(1 − σ(l_G)) = mean softplus(−l_x) − mean softplus(l_G)
    real, fake = np.array([0.5, -0.5]), np.array([0.2, -1.0])
    e6 = lambda: np.array(np.mean(softplus(-real)) - np.mean(softplus(fake)))
    d_fake_e6 = numerical_gradient(e6, fake, np.array(1.0))
    _, _, d_fake_e5 = discriminator_loss(real, fake)
    assert np.all(d_fake_e6 < 0)   # descent raises D(G(z)): D learns to call fakes real
    assert np.all(d_fake_e5 > 0)   # E5 lowers it, as a discriminator should


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
