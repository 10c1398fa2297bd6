"""The moving average of G's weights (minirgan/averaging.py, ``TrainConfig.ema``): the update
against its closed form, the warm-up, and what a run with ``ema`` trains, saves and samples."""

import numpy as np
import pytest

from minirgan.averaging import WeightAverage, average_decay
from conftest import small_train_config
from minirgan.run import Run, RunState
from minirgan.train import train


def small_config(**kw):
    return small_train_config(**{"iterations": 6, "checkpoint_every": 3, **kw})


def test_average_equals_its_closed_form_over_a_random_trajectory():
    """θ̄_n = (Π_t β_t) θ_0 + Σ_s (1 − β_s) (Π_{t>s} β_t) θ_s, with β_t = min(β, (1+t)/(10+t))."""
    rng = np.random.default_rng(0)
    thetas = [{"W": rng.normal(size=(3, 4)), "b": rng.normal(size=4)} for _ in range(40)]
    average = {k: v.copy() for k, v in thetas[0].items()}
    ema = WeightAverage(average, 0.9)
    for step in range(1, len(thetas)):
        ema.update(thetas[step], step)
    betas = [average_decay(0.9, t) for t in range(1, len(thetas))]
    for k in average:
        expected = np.prod(betas) * thetas[0][k]
        for s in range(1, len(thetas)):
            expected = expected + (1 - betas[s - 1]) * np.prod(betas[s:]) * thetas[s][k]
        np.testing.assert_allclose(ema.average[k], expected, rtol=1e-12, atol=1e-14)
    assert ema.average is average            # updated in place: a model's own arrays


def test_the_warm_up_shortens_the_average_of_a_short_run_and_caps_at_beta():
    assert average_decay(0.999, 1) == pytest.approx(2 / 11)
    assert average_decay(0.999, 90) == pytest.approx(91 / 100)
    assert average_decay(0.999, 10**6) == 0.999
    assert average_decay(0.0, 5) == 0.0


def test_decay_zero_follows_the_last_weights_and_bad_decays_are_refused():
    average = {"W": np.zeros(3)}
    ema = WeightAverage(average, 0.0)
    ema.update({"W": np.arange(3.0)}, 50)
    np.testing.assert_array_equal(average["W"], np.arange(3.0))
    for bad in (1.0, -0.1, 1.5):
        with pytest.raises(ValueError, match="decay"):
            WeightAverage({"W": np.zeros(3)}, bad)
        with pytest.raises(ValueError, match="ema"):
            small_config(ema=bad).validate()


def test_averaging_leaves_training_unchanged_and_the_run_samples_from_the_average(tmp_path):
    plain, _ = train(small_config(), tmp_path / "plain", progress=False, figures=False)
    averaged, history = train(small_config(ema=0.9), tmp_path / "ema", progress=False, figures=False)
    for k in plain.G.params:                  # the same trajectory, bit for bit
        np.testing.assert_array_equal(plain.G.params[k], averaged.G.params[k])
    for k in plain.D.params:
        np.testing.assert_array_equal(plain.D.params[k], averaged.D.params[k])
    assert plain.G_average is None and plain.sampler is plain.G
    assert averaged.sampler is averaged.G_average
    run = Run(tmp_path / "ema")
    assert any(not np.array_equal(averaged.G.params[k], averaged.G_average.params[k])
               for k in averaged.G.params)
    for k in averaged.G.params:               # the saved run's G is the averaged one
        np.testing.assert_array_equal(run.generator.params[k], averaged.G_average.params[k])
    assert not np.array_equal(run.samples(8, seed=1), Run(tmp_path / "plain").samples(8, seed=1))


def test_a_resumed_averaged_run_equals_an_uninterrupted_one(tmp_path):
    full, _ = train(small_config(ema=0.8), tmp_path / "full", progress=False, figures=False)
    train(small_config(ema=0.8, iterations=3), tmp_path / "part", progress=False, figures=False)
    resumed, _ = train(small_config(ema=0.8), tmp_path / "part", resume=True, progress=False,
                       figures=False)
    for k in full.G_average.params:
        np.testing.assert_array_equal(full.G_average.params[k], resumed.G_average.params[k])
    with pytest.raises(ValueError, match="ema"):
        train(small_config(ema=0.5, iterations=8), tmp_path / "part", resume=True, progress=False,
              figures=False)


def test_the_average_starts_at_the_initial_weights_without_touching_the_run_rng():
    plain, averaged = RunState(small_config()), RunState(small_config(ema=0.99))
    assert plain.rng.random() == averaged.rng.random()
    for k in averaged.G.params:
        np.testing.assert_array_equal(averaged.G_average.params[k], averaged.G.params[k])
        assert averaged.G_average.params[k] is not averaged.G.params[k]
