"""Assignment `lstm`: the backward pass of one LSTM step (the seeds' LSTM with a forget gate).

    f_t = σ(W_f [h_{t-1}, x_t] + b_f)     forget gate
    i_t = σ(W_i [h_{t-1}, x_t] + b_i)     input gate
    o_t = σ(W_o [h_{t-1}, x_t] + b_o)     output gate
    c̃_t = tanh(W_c [h_{t-1}, x_t] + b_c)  candidate
    c_t = f_t ∘ c_{t-1} + i_t ∘ c̃_t
    h_t = o_t ∘ tanh(c_t)
Column-vector convention: every W is H x (H + D); the first H columns read h_{t-1}.
Shapes: N batch, D input, H hidden. The LSTM carries two states, so its step backward takes
the upstream gradient on both h_t and c_t and returns one for both h_{t-1} and c_{t-1}.

Check your work:  minirgan assignment check lstm .
"""

import numpy as np


def sigmoid(a):
    """σ(a) = 1 / (1 + e^{−a}), written so that it never overflows."""
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def lstm_step_forward(x_t, h_prev, c_prev, params):
    """Given. x_t (N, D), h_prev (N, H), c_prev (N, H) -> h_next, c_next (N, H), cache."""
    hx = np.concatenate([h_prev, x_t], axis=1)
    f = sigmoid(hx @ params["W_f"].T + params["b_f"])
    i = sigmoid(hx @ params["W_i"].T + params["b_i"])
    o = sigmoid(hx @ params["W_o"].T + params["b_o"])
    g = np.tanh(hx @ params["W_c"].T + params["b_c"])
    # c_t = f_t ∘ c_{t-1} + i_t ∘ c̃_t
    c = f * c_prev + i * g
    # h_t = o_t ∘ tanh(c_t)
    h = o * np.tanh(c)
    return h, c, (hx, c_prev, f, i, o, g, c, params)


def lstm_step_backward(dh_next, dc_next, cache):
    """Write this. dh_next, dc_next (N, H): upstream gradients on h_t and c_t.

    Returns dx_t (N, D), dh_prev (N, H), dc_prev (N, H), grads with the keys of params
    (W_f, W_i, W_o, W_c (H, H+D); b_f, b_i, b_o, b_c (H,)). Do not modify inputs or the cache.
    """
    hx, c_prev, f, i, o, g, c, params = cache
    H = c.shape[1]
    # BEGIN SOLUTION
    tc = np.tanh(c)
    # h_t = o ∘ tanh(c_t): to o_t, and to c_t through tanh' = 1 − tanh²
    do = dh_next * tc
    dc = dc_next + dh_next * o * (1.0 - tc * tc)
    # c_t = f ∘ c_{t-1} + i ∘ c̃
    da = {"f": dc * c_prev * f * (1.0 - f), "i": dc * g * i * (1.0 - i),
          "o": do * o * (1.0 - o), "c": dc * i * (1.0 - g * g)}
    dhx = sum(da[k] @ params[f"W_{k}"] for k in da)
    grads = {}
    for k in da:
        grads[f"W_{k}"] = da[k].T @ hx
        grads[f"b_{k}"] = da[k].sum(axis=0)
    return dhx[:, H:], dhx[:, :H], dc * f, grads
    # END SOLUTION
