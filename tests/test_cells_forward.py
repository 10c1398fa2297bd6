"""Forward passes on deterministic inputs: E1, E11–E15 and the LSTM against a scalar oracle,
and one GRU step against values worked out by hand."""

import numpy as np
import pytest

import minirgan as mr
from conftest import random_problem
from scalar_reference import gru_scalar, lstm_scalar, rnn_scalar


def _linspace_problem(N=2, T=5, D=3, H=4):
    """Deterministic inputs and parameters (no randomness): linspace everywhere."""
    x = np.linspace(-1.0, 1.0, N * T * D).reshape(N, T, D)
    h0 = np.linspace(-0.5, 0.4, N * H).reshape(N, H)
    return x, h0


def _linspace_params(shapes):
    return {k: np.linspace(-0.7 + 0.05 * i, 0.6 - 0.03 * i, int(np.prod(s))).reshape(s)
            for i, (k, s) in enumerate(sorted(shapes.items()))}


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_E1_rnn_forward_matches_scalar_oracle(activation):
    x, h0 = _linspace_problem()
    p = _linspace_params({"W_xh": (4, 3), "W_hh": (4, 4), "b_h": (4,)})
    h, _ = mr.rnn_forward(x, h0, p, activation=activation)
    for n in range(x.shape[0]):
        assert np.allclose(h[n], rnn_scalar(x[n].tolist(), h0[n].tolist(),
                                            {k: v.tolist() for k, v in p.items()}, activation),
                           rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("reset_after", [False, True])
def test_E11_E15_gru_forward_matches_scalar_oracle(reset_after):
    x, h0 = _linspace_problem()
    shapes = {"W_z": (4, 7), "b_z": (4,), "W_u": (4, 7), "b_u": (4,), "W_c": (4, 7), "b_c": (4,)}
    if reset_after:
        shapes["b_ch"] = (4,)
    p = _linspace_params(shapes)
    h, _ = mr.gru_forward(x, h0, p, reset_after=reset_after)
    for n in range(x.shape[0]):
        ref = gru_scalar(x[n].tolist(), h0[n].tolist(), {k: v.tolist() for k, v in p.items()}, reset_after)
        assert np.allclose(h[n], ref, rtol=1e-13, atol=1e-15)


def test_lstm_forward_matches_scalar_oracle():
    x, h0 = _linspace_problem()
    c0 = h0[:, ::-1].copy()
    shapes = {f"{w}_{g}": ((4, 7) if w == "W" else (4,)) for g in "fioc" for w in "Wb"}
    p = _linspace_params(shapes)
    h, _ = mr.lstm_forward(x, h0, c0, p)
    for n in range(x.shape[0]):
        ref = lstm_scalar(x[n].tolist(), h0[n].tolist(), c0[n].tolist(), {k: v.tolist() for k, v in p.items()})
        assert np.allclose(h[n], ref, rtol=1e-13, atol=1e-15)


# One GRU step with H = D = 1, worked by hand (σ(a) = 1/(1+e^{-a})):
#   h_{t-1} = 0.5, x_t = 1,  W_z = [0.2, 0.4], b_z = 0.1   -> z = σ(0.6)  = 0.645656306225795
#   W_u = [-0.3, 0.5], b_u = -0.2                           -> u = σ(0.15) = 0.537429845343750
#   E13: r = 0.5 · z = 0.322828153112898
#   E14: W_c = [0.7, -0.6], b_c = 0.05 -> h̃ = tanh(0.7 r − 0.6 + 0.05) = −0.313137554766814
#   E15: h = (1 − u) 0.5 + u h̃ = 0.062995609698476
#   reset-after with b_ch = 0.3: h̃ = tanh(−0.6 + 0.05 + z (0.7·0.5 + 0.3)) = −0.129590566771351
#                                h = (1 − u) 0.5 + u h̃ = 0.161639239070189
HAND = {"W_z": [[0.2, 0.4]], "b_z": [0.1], "W_u": [[-0.3, 0.5]], "b_u": [-0.2],
        "W_c": [[0.7, -0.6]], "b_c": [0.05]}


def test_E11_E15_one_gru_step_by_hand():
    p = {k: np.array(v) for k, v in HAND.items()}
    h, cache = mr.gru_step_forward(np.array([[1.0]]), np.array([[0.5]]), p)
    assert h[0, 0] == pytest.approx(0.062995609698476, abs=1e-14)
    hx, z, u, rx, c, _ = cache[0]
    assert z[0, 0] == pytest.approx(0.645656306225795, abs=1e-14)
    assert u[0, 0] == pytest.approx(0.537429845343750, abs=1e-14)
    assert rx[0, 0] == pytest.approx(0.322828153112898, abs=1e-14)   # E13's r_t
    assert c[0, 0] == pytest.approx(-0.313137554766814, abs=1e-14)


def test_one_gru_step_reset_after_by_hand():
    p = {k: np.array(v) for k, v in HAND.items()}
    p["b_ch"] = np.array([0.3])
    h, _ = mr.gru_step_forward(np.array([[1.0]]), np.array([[0.5]]), p, reset_after=True)
    assert h[0, 0] == pytest.approx(0.161639239070189, abs=1e-14)


def test_E14_erratum_seed_form_differs_from_standard():
    """E14 as printed puts r_t ∘ h_{t-1} = z ∘ h² in the bracket (h multiplied twice); the library
    computes the corrected tanh(W_c [r_t, x_t] + b_c). On the hand-worked step: the library's
    candidate is the corrected value and far from the seed's."""
    p = {k: np.array(v) for k, v in HAND.items()}
    h, cache = mr.gru_step_forward(np.array([[1.0]]), np.array([[0.5]]), p)
    z = 0.645656306225795                                           # E11, by hand above
    corrected = np.tanh(0.7 * (0.5 * z) - 0.6 + 0.05)               # r_t = z ∘ h_{t-1}, once
    seed_candidate = np.tanh(0.7 * (0.5 * z) * 0.5 - 0.6 + 0.05)    # r_t ∘ h_{t-1}: h twice
    assert cache[0][4][0, 0] == pytest.approx(corrected, abs=1e-14)
    assert abs(seed_candidate - corrected) > 1e-2


def _gru_candidate_forms(x, h0, p):
    """h (N, T, H) of the standard GRU written out here with E14 corrected and as printed."""
    sig = lambda a: 1.0 / (1.0 + np.exp(-a))
    out = {}
    for form, reset in (("corrected", lambda z, h: z * h), ("seed", lambda z, h: z * h * h)):
        h, hs = h0, []
        for t in range(x.shape[1]):
            hx = np.concatenate([h, x[:, t]], axis=1)
            z, u = sig(hx @ p["W_z"].T + p["b_z"]), sig(hx @ p["W_u"].T + p["b_u"])
            c = np.tanh(np.concatenate([reset(z, h), x[:, t]], axis=1) @ p["W_c"].T + p["b_c"])
            h = (1.0 - u) * h + u * c
            hs.append(h)
        out[form] = np.stack(hs, axis=1)
    return out


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_E14_corrected_form_is_what_both_backends_compute(backend):
    """A random problem (several units, non-zero biases): gru_forward equals the corrected E14
    to 1e-12 and differs from the printed E14 by far more, on the reference and on the kernels.
    Reverting either implementation to the printed form (or any other candidate) fails here."""
    params, x, (h0,), _ = random_problem("gru", 3, 6, 2, 4, seed=7)
    forms = _gru_candidate_forms(x, h0, params)
    h, _ = mr.gru_forward(x, h0, params, backend=backend)
    assert np.max(np.abs(h - forms["corrected"])) < 1e-12
    assert np.max(np.abs(h - forms["seed"])) > 1e-2


def test_sequence_forward_equals_chained_steps(rng):
    """The NumPy reference's sequence pass is literally the step function in a loop."""
    x = rng.standard_normal((3, 6, 2))
    h0 = rng.standard_normal((3, 4))
    p = mr.init_gru_params(2, 4, rng=rng)
    h, _ = mr.gru_forward(x, h0, p, backend="numpy")
    h_t = h0
    for t in range(6):
        h_t, _ = mr.gru_step_forward(x[:, t], h_t, p)
        assert np.array_equal(h[:, t], h_t)
