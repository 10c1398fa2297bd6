"""The Elman RNN (E1), NumPy reference: one step, then a whole sequence built from steps.

Column-vector convention (as in EQUATIONS.md): ``W_xh`` is H x D, ``W_hh`` is H x H
and the equations read ``W x``. The batched code holds one example per *row*, so
``W_xh x_t`` for a batch is computed as ``x_t @ W_xh.T``.

Shapes: N batch, T time, D input features, H hidden units.
"""

import numpy as np

from . import activations as act
from .backend import resolve_backend
from .validation import (as_float_array, check_params, initial_state, result_dtype,
                         sequence_input, upstream_gradient, check_shape, check_finite)

RNN_ACTIVATIONS = ("tanh", "relu")


def init_rnn_params(D, H, rng=None, dtype=np.float64):
    """Parameters for E1, drawn U(-1/sqrt(H), 1/sqrt(H)) as PyTorch does; zero bias.

    Returns {W_xh (H, D), W_hh (H, H), b_h (H,)}.
    """
    rng = np.random.default_rng(rng)
    k = 1.0 / np.sqrt(H)
    return {
        "W_xh": rng.uniform(-k, k, size=(H, D)).astype(dtype),
        "W_hh": rng.uniform(-k, k, size=(H, H)).astype(dtype),
        "b_h": np.zeros(H, dtype=dtype),
    }


def rnn_param_shapes(D, H):
    """The shape of every E1 parameter, by name."""
    return {"W_xh": (H, D), "W_hh": (H, H), "b_h": (H,)}


def _hidden_size(params, key, where):
    if not isinstance(params, dict) or key not in params:
        raise ValueError(f"{where}: params must be a dict holding {key!r}")
    shape = np.shape(params[key])
    if len(shape) != 2:
        raise ValueError(f"{where}: params[{key!r}] must be 2-D, got shape {shape}")
    return shape[0]


def _check_activation(activation):
    if activation not in RNN_ACTIVATIONS:
        raise ValueError(f"activation must be one of {RNN_ACTIVATIONS}, got {activation!r}")


# ----------------------------------------------------------------------------- one step

def _step_forward(x_t, h_prev, p, activation):
    # E1 (inside f): a_t = W_hh h_{t-1} + W_xh x_t + b_h
    a = h_prev @ p["W_hh"].T + x_t @ p["W_xh"].T + p["b_h"]
    # E1: h_t = f(a_t), f = tanh or ReLU
    h = np.tanh(a) if activation == "tanh" else act.relu(a)
    return h, (x_t, h_prev, a, h)


def _step_backward(dh, step_cache, p, activation):
    x_t, h_prev, a, h = step_cache
    # d/da of f: tanh' = 1 - h^2 (from the output), relu' = [a > 0]
    da = dh * (act.tanh_grad(h) if activation == "tanh" else act.relu_grad(a))
    dx = da @ p["W_xh"]
    dh_prev = da @ p["W_hh"]
    grads = {"W_xh": da.T @ x_t, "W_hh": da.T @ h_prev, "b_h": da.sum(axis=0)}
    return dx, dh_prev, grads


def rnn_step_forward(x_t, h_prev, params, activation="tanh"):
    """One step of E1: h_t = f(W_hh h_{t-1} + W_xh x_t + b_h).

    Inputs:  x_t (N, D), h_prev (N, H), params {W_xh (H, D), W_hh (H, H), b_h (H,)}.
    Returns: h_next (N, H), cache for ``rnn_step_backward``.
    """
    _check_activation(activation)
    x_t = as_float_array("x_t", x_t)
    check_shape("x_t", x_t, (None, None), "(N, D)")
    check_finite("x_t", x_t)
    H = _hidden_size(params, "W_hh", "rnn_step_forward")
    p = check_params(params, rnn_param_shapes(x_t.shape[1], H), "rnn_step_forward")
    dtype = result_dtype(x_t, *p.values())
    h_prev = initial_state("h_prev", h_prev, x_t.shape[0], H, dtype)
    p = {k: v.astype(dtype, copy=False) for k, v in p.items()}
    h, step_cache = _step_forward(x_t.astype(dtype, copy=False), h_prev, p, activation)
    return h, (step_cache, p, activation)


def rnn_step_backward(dh_next, cache):
    """Backward of one E1 step.

    Inputs:  dh_next (N, H) upstream gradient on h_t; cache from ``rnn_step_forward``.
    Returns: dx_t (N, D), dh_prev (N, H), grads {W_xh, W_hh, b_h} shaped as params.
    """
    step_cache, p, activation = cache
    h = step_cache[3]
    dh_next = upstream_gradient("dh_next", dh_next, h.shape, h.dtype)
    return _step_backward(dh_next, step_cache, p, activation)


# ----------------------------------------------------------------------------- sequences

def rnn_forward(x, h0, params, activation="tanh", backend=None):
    """E1 over a whole sequence, built from ``rnn_step_forward``.

    Inputs:  x (N, T, D); h0 (N, H) or None for zeros;
             params {W_xh (H, D), W_hh (H, H), b_h (H,)}; activation "tanh" or "relu";
             backend "numpy", "numba" or None (the package default).
    Returns: h (N, T, H) every hidden state; cache for ``rnn_backward``.
    The dtype of h follows the inputs (float32 stays float32).
    """
    _check_activation(activation)
    backend = resolve_backend(backend)
    x = sequence_input("x", x)
    N, T, D = x.shape
    H = _hidden_size(params, "W_hh", "rnn_forward")
    p = check_params(params, rnn_param_shapes(D, H), "rnn_forward")
    dtype = result_dtype(x, *p.values())
    h0 = initial_state("h0", h0, N, H, dtype)
    x = x.astype(dtype, copy=False)
    p = {k: v.astype(dtype, copy=False) for k, v in p.items()}
    if backend == "numba":
        from .kernels.rnn_kernels import rnn_forward_numba
        return rnn_forward_numba(x, h0, p, activation)

    h = np.empty((N, T, H), dtype=dtype)
    steps = []
    h_prev = h0
    for t in range(T):
        h_prev, step_cache = _step_forward(x[:, t], h_prev, p, activation)
        h[:, t] = h_prev
        steps.append(step_cache)
    cache = {"backend": "numpy", "steps": steps, "params": p, "activation": activation,
             "shape": (N, T, D, H), "dtype": dtype}
    return h, cache


def rnn_backward(dh, cache):
    """Backprop through time for E1.

    Inputs:  dh (N, T, H) upstream gradient on every hidden state; cache from ``rnn_forward``.
    Returns: dx (N, T, D), dh0 (N, H), grads {W_xh (H, D), W_hh (H, H), b_h (H,)}.
    Neither ``dh`` nor the cache is modified, so calling it twice gives the same result.
    """
    N, T, D, H = cache["shape"]
    dh = upstream_gradient("dh", dh, (N, T, H), cache["dtype"])
    if cache["backend"] == "numba":
        from .kernels.rnn_kernels import rnn_backward_numba
        return rnn_backward_numba(dh, cache)

    p, activation = cache["params"], cache["activation"]
    dx = np.empty((N, T, D), dtype=cache["dtype"])
    grads = {k: np.zeros_like(v) for k, v in p.items()}
    dh_prev = np.zeros((N, H), dtype=cache["dtype"])
    for t in reversed(range(T)):
        # h_t feeds the loss directly (dh[:, t]) and the next step (dh_prev from t+1)
        dx[:, t], dh_prev, step_grads = _step_backward(dh[:, t] + dh_prev, cache["steps"][t], p, activation)
        for k in grads:
            grads[k] += step_grads[k]
    return dx, dh_prev, grads
