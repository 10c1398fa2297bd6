"""TimeGAN's moment loss (minirgan.moment_loss), static noise, and both in the training loop."""

import numpy as np
import pytest

from minirgan.config import TrainConfig
from minirgan.gradcheck import numerical_gradient, relative_error
from minirgan.models import Generator
from minirgan.moment_loss import moment_loss, step_moment_loss
from minirgan.train import train


def test_moment_loss_is_zero_for_the_same_batch_and_matches_its_formula():
    rng = np.random.default_rng(0)
    real = rng.uniform(size=(16, 5, 3))
    assert moment_loss(real, real)[0] == 0.0
    fake = rng.uniform(size=(8, 5, 3)) * 0.5 + 0.1
    expected = (np.mean(np.abs(np.sqrt(fake.var(0) + 1e-6) - np.sqrt(real.var(0) + 1e-6)))
                + np.mean(np.abs(fake.mean(0) - real.mean(0))))
    assert moment_loss(fake, real)[0] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("loss", [moment_loss, step_moment_loss], ids=["L_M", "L_delta"])
def test_moment_loss_gradient_matches_finite_differences(loss):
    rng = np.random.default_rng(1)
    real = rng.uniform(size=(10, 5, 2))
    fake = rng.uniform(size=(6, 5, 2)) * 0.5       # away from the kinks |·| = 0
    _, grad = loss(fake, real)
    numeric = numerical_gradient(lambda: np.array(loss(fake, real)[0]), fake, np.array(1.0))
    assert relative_error(grad, numeric) < 1e-7
    assert np.abs(grad[:, 0]).sum() > 0 and np.abs(grad[:, -1]).sum() > 0   # both ends get a gradient


def test_moment_loss_rejects_mismatched_batches():
    with pytest.raises(ValueError, match="same T and F"):
        moment_loss(np.zeros((2, 3, 4)), np.zeros((2, 3, 5)))


def test_step_moment_loss_is_the_moment_loss_of_the_differences():
    rng = np.random.default_rng(2)
    real, fake = rng.uniform(size=(12, 5, 3)), rng.uniform(size=(7, 5, 3))
    assert step_moment_loss(real, real)[0] == 0.0
    assert step_moment_loss(fake, real)[0] == moment_loss(np.diff(fake, axis=1), np.diff(real, axis=1))[0]
    # a level shift moves every x_t by the same amount and no step: L_Δ does not see it
    assert step_moment_loss(fake + 0.3, real)[0] == pytest.approx(step_moment_loss(fake, real)[0], rel=1e-9)




def test_step_moment_loss_needs_two_steps():
    with pytest.raises(ValueError, match="T >= 2"):
        step_moment_loss(np.zeros((2, 1, 3)), np.zeros((2, 1, 3)))


def test_static_noise_repeats_one_vector_over_time():
    G = Generator(2, 6, noise_dim=3, hidden=4, rng=0, noise="static")
    z = G.noise(5, np.random.default_rng(0))
    assert z.shape == (5, 6, 3)
    assert np.all(z == z[:, :1])
    assert not np.allclose(z[0, 0], z[1, 0])
    with pytest.raises(ValueError, match="noise must be one of"):
        Generator(2, 6, noise="sometimes")


def test_mixed_noise_is_one_static_vector_beside_fresh_noise_at_every_step():
    G = Generator(2, 6, noise_dim=3, hidden=4, rng=0, noise="mixed")
    z = G.noise(5, np.random.default_rng(0))
    assert z.shape == (5, 6, 6) and G.noise_width == 6
    assert np.all(z[..., :3] == z[:, :1, :3])                 # z: one per sequence
    assert not np.allclose(z[:, 0, 3:], z[:, 1, 3:])          # ε_t: fresh at every step
    assert G.params["rnn0.W_z"].shape[1] == 4 + 6             # G reads [h, z, ε_t]
    x, cache = G.forward(z)
    dz, _ = G.backward(np.ones_like(x), cache)
    assert x.shape == (5, 6, 2) and dz.shape == z.shape
    with pytest.raises(ValueError, match=r"\(N, T, 6\)"):
        G.forward(z[..., :3])


def test_training_with_static_noise_and_moment_loss_logs_the_moment_loss(tmp_path):
    config = TrainConfig(iterations=3, n_data=40, hidden=3, batch=8, seq_len=6, noise="static",
                         moment_loss=5.0, checkpoint_every=3, metrics_every=0)
    _, history = train(config, out_dir=str(tmp_path), progress=False, figures=False)
    assert all(r["loss_moments"] > 0 for r in history)


def test_training_with_the_step_moment_loss_logs_it_and_changes_the_run(tmp_path):
    """On by default (weight 10), logged every step; turned off, the same run ends elsewhere."""
    base = dict(iterations=3, n_data=40, hidden=3, batch=8, seq_len=6, checkpoint_every=3,
                metrics_every=0)
    assert TrainConfig().step_moment_loss == 10.0
    plain, _ = train(TrainConfig(**base, step_moment_loss=0.0), out_dir=str(tmp_path / "a"),
                     progress=False, figures=False)
    stepped, history = train(TrainConfig(**base), out_dir=str(tmp_path / "b"),
                             progress=False, figures=False)
    assert all(r["loss_step_moments"] > 0 for r in history)
    assert any(not np.array_equal(plain.G.params[k], stepped.G.params[k]) for k in plain.G.params)
