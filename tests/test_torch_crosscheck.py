"""A second oracle: forward values and every gradient equal torch.nn.RNN, torch.nn.GRU
(reset_after=True) and torch.nn.LSTM in float64. Skipped cleanly without torch.

The parameter mappings are the ones documented in minirgan/gru.py and minirgan/lstm.py."""

import numpy as np
import pytest

import minirgan as mr

torch = pytest.importorskip("torch")

N, T, D, H = 3, 6, 4, 5
TOL = 1e-10


def _t(a):
    return torch.tensor(a, dtype=torch.float64, requires_grad=True)


def _close(a, b):
    b = b.detach().numpy() if hasattr(b, "detach") else b
    return np.max(np.abs(a - b)) <= TOL * max(1.0, np.max(np.abs(b)))


def _run_torch(module, x, states, dh):
    xt = _t(x)
    st = [_t(s[None]) for s in states]
    out, _ = module(xt, st[0] if len(st) == 1 else tuple(st))
    (out * torch.tensor(dh)).sum().backward()
    return out, xt, st


@pytest.fixture
def data():
    rng = np.random.default_rng(7)
    return rng, rng.standard_normal((N, T, D)), rng.standard_normal((N, H)), rng.standard_normal((N, T, H))


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_E1_rnn_equals_torch(data, activation):
    rng, x, h0, dh = data
    m = torch.nn.RNN(D, H, nonlinearity=activation, batch_first=True).double()
    for prm in m.parameters():
        torch.nn.init.uniform_(prm, -0.8, 0.8)
    p = {"W_xh": m.weight_ih_l0.detach().numpy().copy(), "W_hh": m.weight_hh_l0.detach().numpy().copy(),
         "b_h": (m.bias_ih_l0 + m.bias_hh_l0).detach().numpy().copy()}
    h, cache = mr.rnn_forward(x, h0, p, activation=activation)
    dx, dh0, g = mr.rnn_backward(dh, cache)
    out, xt, (h0t,) = _run_torch(m, x, [h0], dh)
    assert _close(h, out)
    assert _close(dx, xt.grad) and _close(dh0, h0t.grad[0])
    assert _close(g["W_xh"], m.weight_ih_l0.grad) and _close(g["W_hh"], m.weight_hh_l0.grad)
    assert _close(g["b_h"], m.bias_ih_l0.grad) and _close(g["b_h"], m.bias_hh_l0.grad)


def test_E11_E15_gru_reset_after_equals_torch(data):
    rng, x, h0, dh = data
    m = torch.nn.GRU(D, H, batch_first=True).double()
    for prm in m.parameters():
        torch.nn.init.uniform_(prm, -0.8, 0.8)
    Wi = m.weight_ih_l0.detach().numpy()
    Wh = m.weight_hh_l0.detach().numpy()
    bi = m.bias_ih_l0.detach().numpy()
    bh = m.bias_hh_l0.detach().numpy()
    r, z, n = slice(0, H), slice(H, 2 * H), slice(2 * H, 3 * H)   # PyTorch's row blocks
    p = {"W_z": np.hstack([Wh[r], Wi[r]]), "b_z": bi[r] + bh[r],            # its r is our z (E11)
         "W_u": -np.hstack([Wh[z], Wi[z]]), "b_u": -(bi[z] + bh[z]),        # its z is 1 − u (E12)
         "W_c": np.hstack([Wh[n], Wi[n]]), "b_c": bi[n].copy(), "b_ch": bh[n].copy()}
    h, cache = mr.gru_forward(x, h0, p, reset_after=True)
    dx, dh0, g = mr.gru_backward(dh, cache)
    out, xt, (h0t,) = _run_torch(m, x, [h0], dh)
    assert _close(h, out)
    assert _close(dx, xt.grad) and _close(dh0, h0t.grad[0])
    gWi, gWh = m.weight_ih_l0.grad.numpy(), m.weight_hh_l0.grad.numpy()
    gbi, gbh = m.bias_ih_l0.grad.numpy(), m.bias_hh_l0.grad.numpy()
    assert _close(g["W_z"], np.hstack([gWh[r], gWi[r]])) and _close(g["b_z"], gbi[r])
    assert _close(g["W_u"], -np.hstack([gWh[z], gWi[z]])) and _close(g["b_u"], -gbi[z])
    assert _close(g["W_c"], np.hstack([gWh[n], gWi[n]]))
    assert _close(g["b_c"], gbi[n]) and _close(g["b_ch"], gbh[n])


def test_lstm_equals_torch(data):
    rng, x, h0, dh = data
    c0 = rng.standard_normal((N, H))
    m = torch.nn.LSTM(D, H, batch_first=True).double()
    for prm in m.parameters():
        torch.nn.init.uniform_(prm, -0.8, 0.8)
    Wi, Wh = m.weight_ih_l0.detach().numpy(), m.weight_hh_l0.detach().numpy()
    b = (m.bias_ih_l0 + m.bias_hh_l0).detach().numpy()
    blocks = {"i": slice(0, H), "f": slice(H, 2 * H), "c": slice(2 * H, 3 * H), "o": slice(3 * H, 4 * H)}
    p = {}
    for gate, s in blocks.items():
        p[f"W_{gate}"] = np.hstack([Wh[s], Wi[s]])
        p[f"b_{gate}"] = b[s].copy()
    h, cache = mr.lstm_forward(x, h0, c0, p)
    dx, dh0, dc0, g = mr.lstm_backward(dh, cache)
    out, xt, (h0t, c0t) = _run_torch(m, x, [h0, c0], dh)
    assert _close(h, out)
    assert _close(dx, xt.grad) and _close(dh0, h0t.grad[0]) and _close(dc0, c0t.grad[0])
    gWi, gWh, gb = m.weight_ih_l0.grad.numpy(), m.weight_hh_l0.grad.numpy(), m.bias_ih_l0.grad.numpy()
    for gate, s in blocks.items():
        assert _close(g[f"W_{gate}"], np.hstack([gWh[s], gWi[s]])), gate
        assert _close(g[f"b_{gate}"], gb[s]), gate
