"""The seeds' Keras sketches (A1–A3) and their bugs, against what minirgan's loop does, and the
seeds' claims about training (C3, C7) measured on the loop itself.

* A1 (S1): the "real" data was ``np.random.randint(0, 1)`` (all zeros), G was fitted to labels
  directly instead of through D, and the noise had no time axis.
* A2 (S2): an LSTM on a tensor with no time axis, and D's loss labelling the fakes 1.
* A3 (S3): a GRU generator whose last hidden state is the sample (E16).
* C3: LSGAN and WGAN as remedies for mode collapse; C7: recurrent GANs are hard to train.

Each test runs ``train_step`` / ``train`` on small sizes of the default configuration (see
``step_recording.py``), with float64 and random non-zero weights where gradients are checked.
"""

import dataclasses
import os
import tempfile

import numpy as np
import pytest

from minirgan.activations import sigmoid
from minirgan.data import random_batch
from minirgan.models import Discriminator, Generator
from minirgan.guards import TrainingDiverged
from minirgan.run import RunState, read_metrics
from minirgan.train import train, train_step

from step_recording import (RecordingOptimizer, randomised_state, replay_draws,
                            small_default_config, step_and_numerical_gradients, worst_error)


def recording_calls(model, log):
    """Make ``model.forward`` append its input to ``log`` (then run as usual)."""
    forward = model.forward

    def recorded(x, *args, **kwargs):
        log.append(np.array(x, copy=True))
        return forward(x, *args, **kwargs)

    model.forward = recorded


def test_A1_generator_learns_through_D_from_real_batches_and_noise_with_a_time_axis():
    """A1 fixed: D's real batch is rows of the (non-constant) data, z has a time axis
    (B, T, Z), and L_G reaches G only through D — with D's output weights zero, G's gradient is
    exactly zero (A1's sketch fitted G's output to the labels, which needs no D at all)."""
    config = small_default_config(moment_loss=0.0, step_moment_loss=0.0, d_steps=1)
    state = randomised_state(config, 8)
    d_inputs, g_inputs = [], []
    recording_calls(state.D, d_inputs)
    recording_calls(state.G, g_inputs)
    opt_g = RecordingOptimizer()
    train_step(state.G, state.D, opt_g, RecordingOptimizer(), state.data, np.random.default_rng(9), config)

    [(i, _)], z_g = replay_draws(state, config, 9)
    x = state.data[i]
    np.testing.assert_array_equal(d_inputs[0], x)                  # the real batch ...
    assert np.std(state.data) > 0.1                                # ... of real, varied data
    B, T = config.batch, config.seq_len
    assert all(z.shape == (B, T, config.noise_dim) for z in g_inputs)
    np.testing.assert_array_equal(g_inputs[-1], z_g)
    assert max(np.abs(g).max() for g in opt_g.calls[0].values()) > 1e-4

    state.D.params["out.W_hy"][...] = 0.0                         # D ignores its input
    opt_g = RecordingOptimizer()
    train_step(state.G, state.D, opt_g, RecordingOptimizer(), state.data, np.random.default_rng(9), config)
    assert all(np.all(g == 0.0) for g in opt_g.calls[0].values())


def test_A2_D_labels_the_fakes_0_and_refuses_inputs_without_a_time_axis():
    """A2 fixed: trained by train_step with G held still, D's output on the fakes falls below ½
    and on real data rises above it (labels 0 and 1, E5 from logits); an LSTM model given a
    batch with no time axis raises a ValueError naming the (N, T, D) shape."""
    config = small_default_config(moment_loss=0.0, cell="lstm", lr_d=1e-2)
    state = RunState(config)
    rng = np.random.default_rng(10)
    for _ in range(60):
        train_step(state.G, state.D, RecordingOptimizer(), state.opt_d, state.data, rng, config)
    fakes = state.G.sample(64, np.random.default_rng(11))
    real = random_batch(state.data, 64, np.random.default_rng(12))
    assert np.mean(sigmoid(state.D.forward(fakes)[0])) < 0.4
    assert np.mean(sigmoid(state.D.forward(real)[0])) > 0.6
    flat = np.zeros((4, state.features))
    with pytest.raises(ValueError, match=r"\(N, T, D\)"):
        state.D.forward(flat)
    with pytest.raises(ValueError, match=r"\(N, T, D\)"):
        Generator(2, 5, cell="lstm").forward(np.zeros((4, 8)))
    assert isinstance(state.D, Discriminator) and state.D.stack.cell == "lstm"


def test_A3_E16_gru_last_state_generator_in_the_loop_gradients_match():
    """A3 (S3's GRU generator, E16) as a loop setting: G's sample is the last GRU state h_T of
    H = T·F units, the data are scaled to tanh's range [−1, 1], and train_step's gradients
    for it match centred differences (float64, random non-zero weights)."""
    config = small_default_config(generator="last_state", seq_len=3)
    state = RunState(config)
    T, F = config.seq_len, state.features
    assert state.G.stack.cell == "gru" and state.G.stack.hidden == T * F
    assert state.data.min() == pytest.approx(-1.0) and state.data.max() == pytest.approx(1.0)
    z = state.G.noise(4, np.random.default_rng(13))
    h, _ = state.G.stack.forward(z, state.G.params)
    np.testing.assert_array_equal(state.G.forward(z)[0], h[:, -1].reshape(4, T, F))
    _, grads_d, grads_g, num_d, num_g = step_and_numerical_gradients(config)
    for handed, numeric, name in ((grads_d, num_d, "D"), (grads_g, num_g, "G")):
        key, err = worst_error(handed, numeric)
        assert err < 1e-6, f"{name} {key}: relative error {err:.2e}"


@pytest.mark.parametrize("loss", ["lsgan", "wgan"])
def test_C3_remedies_lsgan_and_wgan_train_step_gradients_match(loss):
    """C3's remedies for mode collapse as loop settings: the LSGAN and WGAN losses (with the
    critic's weight clipping) through train_step's default path, gradients checked in float64."""
    config = small_default_config(loss=loss)
    _, grads_d, grads_g, num_d, num_g = step_and_numerical_gradients(config)
    for handed, numeric, name in ((grads_d, num_d, "D"), (grads_g, num_g, "G")):
        key, err = worst_error(handed, numeric)
        assert err < 1e-6, f"{name} {key}: relative error {err:.2e}"


def test_C7_too_large_a_step_saturates_the_game_and_the_record_shows_it():
    """C7 measured: with plain SGD at lr 1e3 instead of 1e-3, D saturates (L_D far above its
    equilibrium log 4 ≈ 1.39) and G's gradient vanishes, while the same run at 1e-3 stays near
    the equilibrium. The per-step record (loss_d, grad_norm_g) is what shows it, and the
    divergence rule (guards.DivergenceWatch) stops the saturated run as diverged."""
    histories = {}
    for lr in (1e-3, 1e3):
        config = small_default_config(optimizer="sgd", momentum=0.0, lr_g=lr, lr_d=lr,
                                      iterations=30, checkpoint_every=30)
        with tempfile.TemporaryDirectory() as out:
            if lr < 1:
                histories[lr] = train(config, out, progress=False, figures=False)[1]
                continue
            with pytest.raises(TrainingDiverged, match="saturated"):
                train(config, out, progress=False, figures=False)
            histories[lr] = read_metrics(os.path.join(out, "metrics.jsonl"))
    calm, wild = histories[1e-3], histories[1e3]
    assert len(calm) == 30 and len(wild) < 30      # stopped early (the rule looks back over 20 steps)
    assert all(abs(r["loss_d"] - np.log(4.0)) < 0.5 for r in calm)
    assert min(r["grad_norm_g"] for r in calm) > 0.1
    assert wild[-1]["loss_d"] > 100 and wild[-1]["grad_norm_g"] < 1e-3
