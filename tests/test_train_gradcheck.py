"""Gradient checks of ``train_step`` itself, on the DEFAULT configuration's path and the clipped one.

``test_train.py`` checks the full chain L_G → D → G with hand-written wiring and replays one
step with the moment loss off. Here the gradients are the ones ``train_step`` hands to its
optimisers, caught by a recording optimiser (which does not update, so the models stay at the
point of the check), and compared with centred differences of the losses the step claims to
minimise, in float64, with random non-zero weights and biases:

* default path — static noise, per-step readout (E10), the non-saturating L_G (C6) plus the
  moment loss, k = 2 discriminator steps: dθ_G of L_G + w · L_M, i.e. ``dx_fake + w·dx_moments``
  carried through G's BPTT; and dθ_D of E5's loss on the last discriminator batch;
* clipped path (C2) — the same with ``clip_norm`` active: the handed gradients are the
  numerical ones scaled to global norm ``clip_norm``, and the logged norms are the unclipped ones.

Only the sizes are shrunk (H, Z, T, B, N) so that the check runs in seconds; every field that
chooses a branch of the step keeps its ``TrainConfig`` default.
"""

import dataclasses

import pytest

from step_recording import global_norm, small_default_config, step_and_numerical_gradients, worst_error


def test_default_train_step_gradients_E5_C6_moment_loss_match_finite_differences():
    """The DEFAULT step (static noise, per-step readout E10, C6 + moment loss, k = 2): the
    gradients handed to the optimisers are those of E5's loss (D) and of L_G + w·L_M (G)."""
    config = small_default_config()
    assert config.moment_loss > 0 and config.clip_norm == 0, "the default path has changed"
    record, grads_d, grads_g, num_d, num_g = step_and_numerical_gradients(config)
    name, err = worst_error(grads_d, num_d)
    assert err < 1e-6, f"D {name}: relative error {err:.2e}"
    name, err = worst_error(grads_g, num_g)
    assert err < 1e-6, f"G {name}: relative error {err:.2e}"
    assert record["grad_norm_g"] == pytest.approx(global_norm(num_g), rel=1e-6)
    assert record["grad_norm_d"] == pytest.approx(global_norm(num_d), rel=1e-6)


def test_default_step_gradient_includes_the_weighted_moment_loss():
    """Without w·dx_moments the handed G gradient would differ: the check above can fail."""
    config = small_default_config()
    _, _, grads_g, _, _ = step_and_numerical_gradients(config)
    _, _, grads_g_off, _, num_g_off = step_and_numerical_gradients(
        dataclasses.replace(config, moment_loss=0.0))
    assert worst_error(grads_g_off, num_g_off)[1] < 1e-6
    assert worst_error(grads_g, grads_g_off)[1] > 1e-3


def test_train_step_with_the_step_moment_loss_hands_the_gradient_of_its_total():
    """w_Δ · L_Δ (moment_loss.step_moment_loss) joins L_G + w · L_M: the handed G gradient is the
    numerical one of the sum, and differs from the step without it."""
    config = small_default_config(step_moment_loss=10.0)
    record, _, grads_g, _, num_g = step_and_numerical_gradients(config)
    name, err = worst_error(grads_g, num_g)
    assert err < 1e-6, f"G {name}: relative error {err:.2e}"
    assert record["loss_step_moments"] > 0
    _, _, grads_g_off, _, _ = step_and_numerical_gradients(dataclasses.replace(config, step_moment_loss=0.0))
    assert worst_error(grads_g, grads_g_off)[1] > 1e-3


def test_clipped_train_step_C2_hands_the_gradients_scaled_to_the_bound():
    """C2 by global norm on the default path: handed gradients = numerical · c / ‖numerical‖,
    checked entry by entry for D and G; the record logs the norms before clipping."""
    bound = 1e-2
    config = small_default_config(clip_norm=bound)
    record, grads_d, grads_g, num_d, num_g = step_and_numerical_gradients(config)
    for handed, numeric, name in ((grads_d, num_d, "D"), (grads_g, num_g, "G")):
        norm = global_norm(numeric)
        assert norm > 10 * bound, f"{name}: the bound must be active for this check"
        scaled = {k: v * (bound / norm) for k, v in numeric.items()}
        key, err = worst_error(handed, scaled)
        assert err < 1e-6, f"{name} {key}: relative error {err:.2e}"
        assert global_norm(handed) == pytest.approx(bound, rel=1e-12)
    assert record["grad_norm_g"] == pytest.approx(global_norm(num_g), rel=1e-6)
    assert record["grad_norm_d"] == pytest.approx(global_norm(num_d), rel=1e-6)
