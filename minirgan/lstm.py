"""The standard LSTM with a forget gate, NumPy reference (see docs/equations.md, "LSTM").

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

The step math is below; the checks, the time loop and the numba switch that turn it into
the public functions come from :class:`minirgan.recurrence.Cell` (``LSTM`` at the bottom).

Shapes: N batch, T time, D input features, H hidden units.
"""

import numpy as np

from . import activations as act
from .recurrence import Cell, init_uniform, numba_kernel

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
    params = init_uniform(lstm_param_shapes, D, H, rng, dtype, "init_lstm_params")
    params["b_f"][:] = 1.0
    return params


# ----------------------------------------------------------------------------- the math of one step

def _step_forward(x_t, states, p):
    h_prev, c_prev = states
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
    return (h, c), (hx, c_prev, f, i, o, g, tc, h)


def _step_backward(dstates, step_cache, p):
    dh, dc_next = dstates
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
    return dhx[:, H:], (dhx[:, :H], dc_prev), grads


# The LSTM as every layer above sees it (minirgan.cells lists it): two states, h and c.
LSTM = Cell(
    name="lstm", states=("h", "c"),
    param_shapes=lstm_param_shapes, init=init_lstm_params,
    step_forward=_step_forward, step_backward=_step_backward,
    numba_forward=numba_kernel("lstm_kernels", "lstm_forward_numba"),
    numba_backward=numba_kernel("lstm_kernels", "lstm_backward_numba"),
)


# ----------------------------------------------------------------------------- the public functions

def lstm_step_forward(x_t, h_prev, c_prev, params):
    """One LSTM step.

    Inputs:  x_t (N, D), h_prev (N, H), c_prev (N, H) (None for zeros);
             params {W_f, W_i, W_o, W_c (H, H+D); b_f, b_i, b_o, b_c (H,)}.
    Returns: h_next (N, H), c_next (N, H), cache for ``lstm_step_backward``.
    """
    (h, c), cache = LSTM.step(x_t, (h_prev, c_prev), params)
    return h, c, cache


def lstm_step_backward(dh_next, dc_next, cache):
    """Backward of one LSTM step.

    Inputs:  dh_next (N, H), dc_next (N, H) upstream gradients on h_t and c_t; the cache.
    Returns: dx_t (N, D), dh_prev (N, H), dc_prev (N, H), grads shaped as params.
    """
    dx, (dh_prev, dc_prev), grads = LSTM.step_back((dh_next, dc_next), cache)
    return dx, dh_prev, dc_prev, grads


def lstm_forward(x, h0, c0, params, backend=None, lengths=None):
    """The LSTM over a whole sequence, built from the step of ``lstm_step_forward``.

    Inputs:  x (N, T, D); h0, c0 (N, H) or None for zeros; params as in ``lstm_param_shapes``;
             backend "numpy", "numba" or None (the package default);
             lengths (N,) integers in 1..T for a padded batch, or None (all T steps).
    Returns: h (N, T, H) every hidden state; cache for ``lstm_backward``.
    With ``lengths``, the masked update M1 carries h and c past each sequence's end
    unchanged (docs/masking.md).
    """
    return LSTM.forward(x, (h0, c0), params, backend, lengths)


def lstm_backward(dh, cache):
    """Backprop through time for the LSTM.

    Inputs:  dh (N, T, H) upstream gradient on every hidden state; cache from ``lstm_forward``.
    Returns: dx (N, T, D), dh0 (N, H), dc0 (N, H), grads shaped as params.
    After a forward with ``lengths``, dx is zero on the padded steps.
    Neither ``dh`` nor the cache is modified.
    """
    dx, (dh0, dc0), grads = LSTM.backward(dh, cache)
    return dx, dh0, dc0, grads
