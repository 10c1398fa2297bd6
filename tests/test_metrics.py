"""Tests of minirgan.metrics: gradient checks of the post-hoc models, known cases of every
metric, and the details of TimeGAN's protocols (80/20 splits, batch composition, repeats)."""

import numpy as np
import pytest

from minirgan.data import train_test_split
from minirgan.gradcheck import numerical_gradient, relative_error
from minirgan.metrics import (Predictor, autocorrelation, autocorrelation_distance,
                              discriminative_score, diversity_ratio, mean_pairwise_distance, mmd2,
                              post_hoc_classifier, predictive_score, quick_metrics)
from minirgan.metrics.predictor import mae_loss, prediction_task
from minirgan.metrics.protocol import default_hidden
from minirgan.metrics.repeats import repeat_seeds
from minirgan.models import Discriminator, RecurrentStack

from conftest import randomise, sines


# ----------------------------------------------------------------------------- gradient checks

def assert_gradients_match(model, inp, dout):
    """The model's backward against centred differences for the input and every parameter."""
    out, cache = model.forward(inp)
    d_inp, grads = model.backward(dout, cache)
    f = lambda: model.forward(inp)[0]
    assert relative_error(d_inp, numerical_gradient(f, inp, dout)) < 1e-7
    assert set(grads) == set(model.params)
    for name, arr in model.params.items():
        assert relative_error(grads[name], numerical_gradient(f, arr, dout)) < 1e-7, name
    return out


def randomised(model, rng):
    """The model with every parameter, biases included, random and non-zero (float64)."""
    randomise(model.params, rng)
    return model


def test_post_hoc_classifier_is_a_one_layer_gru_discriminator_read_from_h_T():
    model = post_hoc_classifier(5, rng=0, backend="numpy")
    assert isinstance(model, Discriminator)
    assert (model.readout, model.stack.cell, model.stack.layers, model.stack.hidden) == ("last", "gru", 1, 2)
    assert model.backend == "numpy"
    assert post_hoc_classifier(5, hidden=3).stack.hidden == 3


def test_classifier_gradients_E2_E11_E15_match_finite_differences():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 5, 4))
    model = randomised(post_hoc_classifier(4, hidden=3, rng=rng, backend="numpy"), rng)
    logits = assert_gradients_match(model, x, rng.standard_normal(3))
    assert logits.shape == (3,)


def test_predictor_gradients_E2_sigmoid_E11_E15_match_finite_differences():
    rng = np.random.default_rng(1)
    u = rng.standard_normal((3, 6, 2))
    model = randomised(Predictor(2, 3, rng=rng, backend="numpy"), rng)
    assert isinstance(model.stack, RecurrentStack) and set(model.params) >= {"out.W_hy", "out.b_y"}
    y_hat = assert_gradients_match(model, u, rng.standard_normal((3, 6, 1)))
    assert y_hat.shape == (3, 6, 1) and np.all((y_hat > 0) & (y_hat < 1))


def test_predictor_with_F_outputs_the_context_encoder_gradients_match_finite_differences():
    """The context-FID encoder's network: the same Predictor with O = F outputs (E2, E11–E15)."""
    rng = np.random.default_rng(18)
    u = rng.standard_normal((3, 5, 4))
    model = randomised(Predictor(4, 3, outputs=4, rng=rng, backend="numpy"), rng)
    assert assert_gradients_match(model, u, rng.standard_normal((3, 5, 4))).shape == (3, 5, 4)


@pytest.mark.parametrize("build, shape", [
    (lambda rng: post_hoc_classifier(3, hidden=4, rng=rng, backend="numba"), (5,)),
    (lambda rng: Predictor(3, 4, rng=rng, backend="numba"), (5, 7, 1)),
])
def test_post_hoc_models_run_the_numba_kernels_and_agree_with_numpy(build, shape):
    """The backend reaches the GRU: the numba run equals the NumPy reference to rounding."""
    rng = np.random.default_rng(17)
    fast = randomised(build(rng), rng)
    x = rng.standard_normal((5, 7, 3))
    dout = rng.standard_normal(shape)
    out_fast, cache_fast = fast.forward(x)
    dx_fast, grads_fast = fast.backward(dout, cache_fast)
    fast.backend = "numpy"
    out_ref, cache_ref = fast.forward(x)
    dx_ref, grads_ref = fast.backward(dout, cache_ref)
    np.testing.assert_allclose(out_fast, out_ref, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dx_fast, dx_ref, rtol=1e-10, atol=1e-12)
    for k in grads_ref:
        np.testing.assert_allclose(grads_fast[k], grads_ref[k], rtol=1e-10, atol=1e-12)


def test_mae_loss_gradient_is_sign_over_count():
    rng = np.random.default_rng(2)
    y = rng.uniform(size=(4, 5))
    y_hat = y + rng.choice([-1.0, 1.0], size=y.shape) * rng.uniform(0.1, 0.5, size=y.shape)
    loss, grad = mae_loss(y_hat, y)
    assert loss == pytest.approx(np.mean(np.abs(y_hat - y)))
    numeric = numerical_gradient(lambda: np.array(mae_loss(y_hat, y)[0]), y_hat, np.array(1.0))
    assert relative_error(grad, numeric) < 1e-8


@pytest.mark.parametrize("build, shape", [
    (lambda rng: post_hoc_classifier(3, hidden=2, rng=rng), (2,)),
    (lambda rng: Predictor(3, 2, rng=rng), (2, 4, 1)),
])
def test_backward_passes_leave_their_inputs_unchanged(build, shape):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 4, 3))
    model = randomised(build(rng), rng)
    _, cache = model.forward(x)
    dout = rng.standard_normal(shape)
    kept = dout.copy()
    first = model.backward(dout, cache)
    second = model.backward(dout, cache)
    assert np.array_equal(dout, kept)
    assert np.array_equal(first[0], second[0])
    for k in model.params:
        assert np.array_equal(first[1][k], second[1][k])


# ----------------------------------------------------------------------------- protocol details

def test_hidden_size_is_half_the_features_at_least_one():
    assert default_hidden(5) == 2 and default_hidden(1) == 1 and default_hidden(8) == 4


def test_the_80_20_split_is_disjoint_and_complete():
    rng = np.random.default_rng(4)
    x = np.arange(50, dtype=float).reshape(50, 1, 1)
    train, test = train_test_split(x, 0.2, rng)
    assert len(train) == 40 and len(test) == 10
    assert sorted(np.concatenate([train, test]).ravel()) == list(range(50))


def test_prediction_task_uses_other_features_to_predict_the_last_one_step_ahead():
    x = np.arange(2 * 4 * 3, dtype=float).reshape(2, 4, 3)
    inputs, targets = prediction_task(x)
    assert np.array_equal(inputs, x[:, :-1, :-1])
    assert np.array_equal(targets, x[:, 1:, -1:])
    univariate_inputs, _ = prediction_task(x[:, :, :1])
    assert np.array_equal(univariate_inputs, x[:, :-1, :1])


def test_discriminative_batches_hold_128_real_then_128_generated(monkeypatch):
    real = np.zeros((300, 4, 2))
    fake = np.ones((300, 4, 2))
    seen = []
    original = Discriminator.forward

    def recording(self, x, training=False, rng=None, **kwargs):
        seen.append(np.array(x, copy=True))
        return original(self, x, training, rng, **kwargs)

    monkeypatch.setattr(Discriminator, "forward", recording)
    discriminative_score(real, fake, repeats=1, iterations=3, rng=0)
    train_batches = seen[:3]
    for x in train_batches:
        assert x.shape == (256, 4, 2)
        assert np.all(x[:128] == 0.0) and np.all(x[128:] == 1.0)
    # then the held-out 20 % of each set: 60 real and 60 generated sequences
    assert [len(x) for x in seen[3:]] == [60, 60]


def test_predictor_batches_are_the_training_loops_draw(monkeypatch):
    """Batches of 128 sequences drawn as train_step draws its real batch (random_batch)."""
    train = np.random.default_rng(5).uniform(size=(300, 4, 3))
    seen = []
    original = Predictor.forward

    def recording(self, u, **kwargs):
        seen.append(np.array(u, copy=True))
        return original(self, u, **kwargs)

    monkeypatch.setattr(Predictor, "forward", recording)
    predictive_score(train, train[:10], repeats=1, iterations=2, rng=0)
    # the repeat's own generator, seeded from rng=0 (metrics.repeats); its weights come first
    replay = np.random.default_rng(repeat_seeds(np.random.default_rng(0), 1)[0])
    Predictor(2, 1, rng=replay)
    for u in seen[:2]:
        expected = train[replay.integers(0, len(train), size=128)]
        np.testing.assert_array_equal(u, expected[:, :-1, :-1])
    assert seen[2].shape == (10, 3, 2)                 # then every real sequence


def test_discriminative_score_averages_independent_repeats():
    rng = np.random.default_rng(5)
    real, fake = sines(10, rng), sines(15, rng)
    result = discriminative_score(real, fake, repeats=3, iterations=2, batch_size=4, rng=0)
    assert len(result.scores) == 3 and len(result.extra["accuracies"]) == 3
    assert result.mean == pytest.approx(np.mean(result.scores))
    assert result.std == pytest.approx(np.std(result.scores))
    # test sets of 2 real + 3 generated sequences: accuracies are multiples of 1/5
    for acc, score in zip(result.extra["accuracies"], result.scores):
        assert acc * 5 == pytest.approx(round(acc * 5))
        assert score == pytest.approx(abs(acc - 0.5))


def test_predictive_score_averages_independent_repeats():
    rng = np.random.default_rng(6)
    result = predictive_score(sines(20, rng), sines(20, rng), repeats=2, iterations=3, rng=0)
    assert len(result.scores) == 2
    assert result.mean == pytest.approx(np.mean(result.scores))
    assert result.to_dict()["scores"] == result.scores


# ----------------------------------------------------------------------------- known cases

def test_discriminative_score_near_zero_for_the_same_distribution():
    rng = np.random.default_rng(7)
    result = discriminative_score(sines(1000, rng), sines(1000, rng), repeats=1, iterations=300,
                                  batch_size=64, rng=0)
    assert result.mean < 0.1


def test_discriminative_score_high_for_different_distributions():
    rng = np.random.default_rng(8)
    noise = rng.uniform(size=(1000, 24, 5))
    result = discriminative_score(sines(1000, rng), noise, repeats=1, iterations=300,
                                  batch_size=64, rng=0)
    assert result.mean > 0.3


def test_predictive_score_low_when_trained_on_real_like_data_high_on_wrong_dynamics():
    rng = np.random.default_rng(9)
    real, train = sines(500, rng), sines(500, rng)
    good = predictive_score(train, real, repeats=1, iterations=400, rng=0)
    wrong = train.copy()
    wrong[:, :, -1] = 1.0 - wrong[:, :, -1]       # the last feature moves the other way
    bad = predictive_score(wrong, real, repeats=1, iterations=400, rng=0)
    assert good.mean < 0.15
    assert bad.mean > good.mean + 0.15


def test_mmd2_of_a_set_with_itself_is_zero_and_small_for_the_same_distribution():
    rng = np.random.default_rng(10)
    x = sines(200, rng)
    assert mmd2(x, x) == 0.0
    same = mmd2(x, sines(200, rng))
    shifted = mmd2(x, sines(200, rng) + 0.2)
    assert same < 0.02 and shifted > 10 * same
    assert mmd2(sines(200, rng) + 0.2, x) == pytest.approx(mmd2(x, sines(200, rng) + 0.2), abs=0.05)


def test_unbiased_mmd2_is_near_zero_either_side_and_below_the_biased_estimate():
    rng = np.random.default_rng(11)
    x, y = rng.standard_normal((100, 3, 2)), rng.standard_normal((100, 3, 2))
    unbiased = mmd2(x, y, unbiased=True)
    assert abs(unbiased) < 0.02
    assert unbiased < mmd2(x, y)


def test_mmd2_with_a_fixed_bandwidth_matches_the_formula():
    rng = np.random.default_rng(12)
    x, y = rng.standard_normal((5, 2, 1)), rng.standard_normal((4, 2, 1))
    a, b = x.reshape(5, -1), y.reshape(4, -1)
    k = lambda p, q: np.exp(-np.sum((p[:, None] - q[None]) ** 2, axis=2) / (2 * 0.7 ** 2))
    expected = k(a, a).mean() + k(b, b).mean() - 2 * k(a, b).mean()
    assert mmd2(x, y, bandwidth=0.7) == pytest.approx(expected, rel=1e-12)


def test_autocorrelation_of_ar1_and_white_noise():
    rng = np.random.default_rng(13)
    e = rng.standard_normal((20, 3000, 1))
    ar = np.empty_like(e)
    ar[:, 0] = e[:, 0]
    for t in range(1, 3000):
        ar[:, t] = 0.8 * ar[:, t - 1] + e[:, t]
    acf = autocorrelation(ar, max_lag=2)
    assert acf.shape == (3, 1) and acf[0, 0] == 1.0
    assert acf[1, 0] == pytest.approx(0.8, abs=0.03)
    assert acf[2, 0] == pytest.approx(0.64, abs=0.04)
    assert np.all(np.abs(autocorrelation(e, max_lag=3)[1:]) < 0.03)


def test_autocorrelation_distance_zero_for_same_set_high_for_noise():
    rng = np.random.default_rng(14)
    x = sines(300, rng)
    assert autocorrelation_distance(x, x) == 0.0
    assert autocorrelation_distance(x, sines(300, rng)) < 0.02
    assert autocorrelation_distance(x, rng.uniform(size=x.shape)) > 0.3


def test_constant_sequences_have_zero_autocorrelation_without_warnings():
    acf = autocorrelation(np.full((3, 6, 2), 0.5), max_lag=2)
    assert np.all(acf[1:] == 0.0)


def test_diversity_near_one_for_same_distribution_and_zero_when_collapsed():
    """C3: the mode-collapse indicator — ≈ 1 for a fresh draw, 0 for one repeated sample."""
    rng = np.random.default_rng(15)
    real = sines(300, rng)
    assert diversity_ratio(real, sines(300, rng), rng=0) == pytest.approx(1.0, abs=0.1)
    collapsed = np.repeat(real[:1], 300, axis=0)
    assert diversity_ratio(real, collapsed, rng=0) == 0.0
    nearly = real[:1] + 0.001 * rng.standard_normal((300, 24, 5))
    assert diversity_ratio(real, nearly, rng=0) < 0.1


def test_mean_pairwise_distance_of_two_points():
    x = np.zeros((2, 1, 2))
    x[1, 0] = [3.0, 4.0]
    assert mean_pairwise_distance(x) == pytest.approx(5.0)


def test_quick_metrics_reports_the_three_cheap_numbers():
    rng = np.random.default_rng(16)
    real = sines(600, rng)
    good = quick_metrics(real, sines(600, rng), n=200, rng=0)
    bad = quick_metrics(real, rng.uniform(size=(600, 24, 5)), n=200, rng=0)
    assert set(good) == {"mmd2", "acf_distance", "diversity"}
    assert all(isinstance(v, float) for v in good.values())
    assert good["mmd2"] < bad["mmd2"] and good["acf_distance"] < bad["acf_distance"]


# ----------------------------------------------------------------------------- bad input

def test_sets_with_different_shapes_are_rejected_by_name():
    with pytest.raises(ValueError, match="real and fake must share"):
        discriminative_score(np.zeros((10, 4, 2)), np.zeros((10, 5, 2)), iterations=1)
    with pytest.raises(ValueError, match="x and y must share"):
        mmd2(np.zeros((3, 4, 2)), np.zeros((3, 4, 3)))


def test_bad_arguments_raise_clear_errors():
    x = np.zeros((10, 4, 2))
    with pytest.raises(ValueError, match="repeats"):
        discriminative_score(x, x, repeats=0)
    with pytest.raises(ValueError, match="bandwidth"):
        mmd2(x, x, bandwidth=-1.0)
    with pytest.raises(ValueError, match="max_lag"):
        autocorrelation(x, max_lag=4)
    with pytest.raises(ValueError, match="T >= 2"):
        predictive_score(np.zeros((5, 1, 2)), np.zeros((5, 1, 2)))


def test_trained_models_read_a_data_set_in_chunks_to_the_same_outputs():
    """metrics.protocol.in_chunks: a pass over 1,100 sequences in chunks of 512 gives the values of
    one pass over all of them (each sequence's outputs are its own)."""
    from minirgan.metrics import ContextEncoder
    from minirgan.metrics.protocol import CHUNK, in_chunks
    x = sines(1100, np.random.default_rng(2), T=6, F=3)
    assert len(x) > 2 * CHUNK
    encoder = ContextEncoder(3, 4).fit(x, 3, rng=0)
    one_pass = encoder.model.stack.forward(x, encoder.model.params)[0].max(axis=1)
    np.testing.assert_allclose(encoder.embed(x), one_pass, rtol=1e-12, atol=0)
    model = Predictor(2, 3, rng=1)
    u = prediction_task(x)[0]
    np.testing.assert_allclose(in_chunks(lambda part: model.forward(part)[0], u), model.forward(u)[0],
                               rtol=1e-12, atol=0)
    seen = []
    assert in_chunks(lambda part: seen.append(len(part)) or part[:, 0], x).shape == (1100, 3)
    assert seen == [512, 512, 76]
    assert in_chunks(lambda part: part.sum(axis=1), x[:0]).shape == (0, 3)
