"""The standard LSTM with a forget gate, NumPy reference (see EQUATIONS.md, "LSTM").

S0–S2 build their networks from LSTM layers without writing the equations;
minirgan uses the standard form in the concatenated notation of S3::

    f_t = σ(W_f · [h_{t-1}, x_t] + b_f)        forget gate
    i_t = σ(W_i · [h_{t-1}, x_t] + b_i)        input gate
    o_t = σ(W_o · [h_{t-1}, x_t] + b_o)        output gate
    c̃_t = tanh(W_c · [h_{t-1}, x_t] + b_c)     candidate cell
    c_t = f_t ∘ c_{t-1} + i_t ∘ c̃_t
    h_t = o_t ∘ tanh(c_t)

Every W is H x (H + D), acting on h first. (Erratum S3 §1.1: the *cell state*
c belongs to the LSTM; a plain RNN has none.)

Mapping to ``torch.nn.LSTM`` (gate rows in PyTorch's order i, f, g, o):
``W_i = [W_hi | W_ii]``, ``b_i = b_ii + b_hi`` and likewise f, o; PyTorch's g is our c̃.

Shapes: N batch, T time, D input features, H hidden units.
"""

import numpy as np

from . import activations as act
from .backend import resolve_backend
from .rnn import _hidden_size
from .validation import (as_float_array, check_finite, check_params, check_shape,
                         initial_state, result_dtype, sequence_input, upstream_gradient)

GATES = ("f", "i", "o", "c")


def lstm_param_shapes(D, H):
    """The shape of every LSTM parameter, by name."""
    shapes = {}
    for g in GATES:
        shapes[f"W_{g}"] = (H, H + D)
        shapes[f"b_{g}"] = (H,)
    return shapes


def init_lstm_params(D, H, rng=None, dtype=np.float64):
    """LSTM parameters drawn U(-1/sqrt(H), 1/sqrt(H)); zero biases except b_f = 1.

    A forget bias of 1 keeps the cell's memory open early in training.
    """
    rng = np.random.default_rng(rng)
    k = 1.0 / np.sqrt(H)
    params = {}
    for name, shape in lstm_param_shapes(D, H).items():
        params[name] = (rng.uniform(-k, k, size=shape) if len(shape) == 2 else np.zeros(shape)).astype(dtype)
    params["b_f"][:] = 1.0
    return params


# ----------------------------------------------------------------------------- one step

def _step_forward(x_t, h_prev, c_prev, p):
    hx = np.concatenate([h_prev, x_t], axis=1)                 # [h_{t-1}, x_t]  (N, H+D)
    # LSTM: f_t = σ(W_f · [h_{t-1}, x_t] + b_f)
    f = act.sigmoid(hx @ p["W_f"].T + p["b_f"])
    # LSTM: i_t = σ(W_i · [h_{t-1}, x_t] + b_i)
    i = act.sigmoid(hx @ p["W_i"].T + p["b_i"])
    # LSTM: o_t = σ(W_o · [h_{t-1}, x_t] + b_o)
    o = act.sigmoid(hx @ p["W_o"].T + p["b_o"])
    # LSTM: c̃_t = tanh(W_c · [h_{t-1}, x_t] + b_c)
    g = np.tanh(hx @ p["W_c"].T + p["b_c"])
    # LSTM: c_t = f_t ∘ c_{t-1} + i_t ∘ c̃_t
    c = f * c_prev + i * g
    tc = np.tanh(c)
    # LSTM: h_t = o_t ∘ tanh(c_t)
    h = o * tc
    return h, c, (hx, c_prev, f, i, o, g, tc, h)


def _step_backward(dh, dc_next, step_cache, p):
    hx, c_prev, f, i, o, g, tc, h = step_cache
    H = h.shape[1]
    # h_t = o_t ∘ tanh(c_t): to o_t, and to c_t through tanh' = 1 − tanh²
    do = dh * tc
    dc = dc_next + dh * o * act.tanh_grad(tc)
    # c_t = f_t ∘ c_{t-1} + i_t ∘ c̃_t
    df = dc * c_prev
    di = dc * g
    dg = dc * i
    dc_prev = dc * f
    # through the gate nonlinearities
    da = {"f": df * act.sigmoid_grad(f), "i": di * act.sigmoid_grad(i),
          "o": do * act.sigmoid_grad(o), "c": dg * act.tanh_grad(g)}
    dhx = sum(da[k] @ p[f"W_{k}"] for k in GATES)
    grads = {}
    for k in GATES:
        grads[f"W_{k}"] = da[k].T @ hx
        grads[f"b_{k}"] = da[k].sum(axis=0)
    return dhx[:, H:], dhx[:, :H], dc_prev, grads


def lstm_step_forward(x_t, h_prev, c_prev, params):
    """One LSTM step.

    Inputs:  x_t (N, D), h_prev (N, H), c_prev (N, H) (None for zeros);
             params {W_f, W_i, W_o, W_c (H, H+D); b_f, b_i, b_o, b_c (H,)}.
    Returns: h_next (N, H), c_next (N, H), cache for ``lstm_step_backward``.
    """
    x_t = as_float_array("x_t", x_t)
    check_shape("x_t", x_t, (None, None), "(N, D)")
    check_finite("x_t", x_t)
    H = _hidden_size(params, "W_f", "lstm_step_forward")
    p = check_params(params, lstm_param_shapes(x_t.shape[1], H), "lstm_step_forward")
    dtype = result_dtype(x_t, *p.values())
    h_prev = initial_state("h_prev", h_prev, x_t.shape[0], H, dtype)
    c_prev = initial_state("c_prev", c_prev, x_t.shape[0], H, dtype)
    p = {k: v.astype(dtype, copy=False) for k, v in p.items()}
    h, c, step_cache = _step_forward(x_t.astype(dtype, copy=False), h_prev, c_prev, p)
    return h, c, (step_cache, p)


def lstm_step_backward(dh_next, dc_next, cache):
    """Backward of one LSTM step.

    Inputs:  dh_next (N, H), dc_next (N, H) upstream gradients on h_t and c_t; the cache.
    Returns: dx_t (N, D), dh_prev (N, H), dc_prev (N, H), grads shaped as params.
    """
    step_cache, p = cache
    h = step_cache[-1]
    dh_next = upstream_gradient("dh_next", dh_next, h.shape, h.dtype)
    dc_next = upstream_gradient("dc_next", dc_next, h.shape, h.dtype)
    return _step_backward(dh_next, dc_next, step_cache, p)


# ----------------------------------------------------------------------------- sequences

def lstm_forward(x, h0, c0, params, backend=None):
    """The LSTM over a whole sequence, built from ``lstm_step_forward``.

    Inputs:  x (N, T, D); h0, c0 (N, H) or None for zeros; params as in ``lstm_param_shapes``;
             backend "numpy", "numba" or None (the package default).
    Returns: h (N, T, H) every hidden state; cache for ``lstm_backward``.
    """
    backend = resolve_backend(backend)
    x = sequence_input("x", x)
    N, T, D = x.shape
    H = _hidden_size(params, "W_f", "lstm_forward")
    p = check_params(params, lstm_param_shapes(D, H), "lstm_forward")
    dtype = result_dtype(x, *p.values())
    h0 = initial_state("h0", h0, N, H, dtype)
    c0 = initial_state("c0", c0, N, H, dtype)
    x = x.astype(dtype, copy=False)
    p = {k: v.astype(dtype, copy=False) for k, v in p.items()}
    if backend == "numba":
        from .kernels.lstm_kernels import lstm_forward_numba
        return lstm_forward_numba(x, h0, c0, p)

    h = np.empty((N, T, H), dtype=dtype)
    steps = []
    h_prev, c_prev = h0, c0
    for t in range(T):
        h_prev, c_prev, step_cache = _step_forward(x[:, t], h_prev, c_prev, p)
        h[:, t] = h_prev
        steps.append(step_cache)
    cache = {"backend": "numpy", "steps": steps, "params": p, "shape": (N, T, D, H), "dtype": dtype}
    return h, cache


def lstm_backward(dh, cache):
    """Backprop through time for the LSTM.

    Inputs:  dh (N, T, H) upstream gradient on every hidden state; cache from ``lstm_forward``.
    Returns: dx (N, T, D), dh0 (N, H), dc0 (N, H), grads shaped as params.
    Neither ``dh`` nor the cache is modified.
    """
    N, T, D, H = cache["shape"]
    dh = upstream_gradient("dh", dh, (N, T, H), cache["dtype"])
    if cache["backend"] == "numba":
        from .kernels.lstm_kernels import lstm_backward_numba
        return lstm_backward_numba(dh, cache)

    p = cache["params"]
    dx = np.empty((N, T, D), dtype=cache["dtype"])
    grads = {k: np.zeros_like(v) for k, v in p.items()}
    dh_prev = np.zeros((N, H), dtype=cache["dtype"])
    dc_prev = np.zeros((N, H), dtype=cache["dtype"])
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dc_prev, step_grads = _step_backward(dh[:, t] + dh_prev, dc_prev,
                                                                cache["steps"][t], p)
        for k in grads:
            grads[k] += step_grads[k]
    return dx, dh_prev, dc_prev, grads
