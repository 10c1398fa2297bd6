"""Forward passes on deterministic inputs: E1, E11–E15 and the LSTM against a scalar oracle,
and one GRU step against values worked out by hand."""

import numpy as np
import pytest

import minirgan as mr
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
    """The seed's literal E14 bracket r_t ∘ h_{t-1} = z ∘ h² is not what the library computes."""
    p = {k: np.array(v) for k, v in HAND.items()}
    h, cache = mr.gru_step_forward(np.array([[1.0]]), np.array([[0.5]]), p)
    z = cache[0][1][0, 0]
    seed_candidate = np.tanh(0.7 * (0.5 * z) * 0.5 - 0.6 + 0.05)   # r ∘ h_{t-1}: h multiplied twice
    assert abs(seed_candidate - cache[0][4][0, 0]) > 1e-2


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
