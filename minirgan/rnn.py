"""The Elman RNN (E1), NumPy reference: one step, then a whole sequence built from steps.

Column-vector convention (as in docs/equations.md): ``W_xh`` is H x D, ``W_hh`` is H x H
and the equations read ``W x``. The batched code holds one example per *row*, so
``W_xh x_t`` for a batch is computed as ``x_t @ W_xh.T``.

The step math is below; the checks, the time loop and the numba switch that turn it into
the public functions come from :class:`minirgan.recurrence.Cell` (``RNN`` at the bottom).

Shapes: N batch, T time, D input features, H hidden units.
"""

import numpy as np

from . import activations as act
from .recurrence import Cell, init_uniform, numba_kernel

RNN_ACTIVATIONS = ("tanh", "relu")


def rnn_param_shapes(D, H):
    """The shape of every E1 parameter, by name."""
    return {"W_xh": (H, D), "W_hh": (H, H), "b_h": (H,)}


def init_rnn_params(D, H, rng=None, dtype=np.float64):
    """Parameters for E1, drawn U(-1/sqrt(H), 1/sqrt(H)) as PyTorch does; zero bias.

    Returns {W_xh (H, D), W_hh (H, H), b_h (H,)}.
    """
    return init_uniform(rnn_param_shapes, D, H, rng, dtype, "init_rnn_params")


# ----------------------------------------------------------------------------- the math of one step

def _step_forward(x_t, states, p, activation):
    (h_prev,) = states
    # E1 (inside f): a_t = W_hh h_{t-1} + W_xh x_t + b_h
    a = h_prev @ p["W_hh"].T + x_t @ p["W_xh"].T + p["b_h"]
    # E1: h_t = f(a_t), f = tanh or ReLU
    h = np.tanh(a) if activation == "tanh" else act.relu(a)
    return (h,), (x_t, h_prev, a, h)


def _step_backward(dstates, step_cache, p, activation):
    (dh,) = dstates
    x_t, h_prev, a, h = step_cache
    # d/da of f: tanh' = 1 - h^2 (from the output), relu' = [a > 0]
    da = dh * (act.tanh_grad(h) if activation == "tanh" else act.relu_grad(a))
    dx = da @ p["W_xh"]
    dh_prev = da @ p["W_hh"]
    grads = {"W_xh": da.T @ x_t, "W_hh": da.T @ h_prev, "b_h": da.sum(axis=0)}
    return dx, (dh_prev,), grads


# The Elman RNN as every layer above sees it (minirgan.cells lists it). The activation does
# not change E1's parameters, only f.
RNN = Cell(
    name="rnn", states=("h",), options={"activation": RNN_ACTIVATIONS},
    param_shapes=lambda D, H, activation="tanh": rnn_param_shapes(D, H),
    init=lambda D, H, rng=None, dtype=np.float64, activation="tanh": init_rnn_params(D, H, rng, dtype),
    step_forward=_step_forward, step_backward=_step_backward,
    numba_forward=numba_kernel("rnn_kernels", "rnn_forward_numba"),
    numba_backward=numba_kernel("rnn_kernels", "rnn_backward_numba"),
)


# ----------------------------------------------------------------------------- the public functions

def rnn_step_forward(x_t, h_prev, params, activation="tanh"):
    """One step of E1: h_t = f(W_hh h_{t-1} + W_xh x_t + b_h).

    Inputs:  x_t (N, D), h_prev (N, H) or None for zeros, params {W_xh (H, D), W_hh (H, H), b_h (H,)}.
    Returns: h_next (N, H), cache for ``rnn_step_backward``.
    """
    (h,), cache = RNN.step(x_t, (h_prev,), params, activation=activation)
    return h, cache


def rnn_step_backward(dh_next, cache):
    """Backward of one E1 step.

    Inputs:  dh_next (N, H) upstream gradient on h_t; cache from ``rnn_step_forward``.
    Returns: dx_t (N, D), dh_prev (N, H), grads {W_xh, W_hh, b_h} shaped as params.
    """
    dx, (dh_prev,), grads = RNN.step_back((dh_next,), cache)
    return dx, dh_prev, grads


def rnn_forward(x, h0, params, activation="tanh", backend=None, lengths=None):
    """E1 over a whole sequence, built from the step of ``rnn_step_forward``.

    Inputs:  x (N, T, D); h0 (N, H) or None for zeros;
             params {W_xh (H, D), W_hh (H, H), b_h (H,)}; activation "tanh" or "relu";
             backend "numpy", "numba" or None (the package default);
             lengths (N,) integers in 1..T for a padded batch, or None (all T steps).
    Returns: h (N, T, H) every hidden state; cache for ``rnn_backward``.
    The dtype of h follows the inputs (float32 stays float32). With ``lengths``, the masked
    update M1 carries each h past its sequence's end unchanged (docs/masking.md).
    """
    return RNN.forward(x, (h0,), params, backend, lengths, activation=activation)


def rnn_backward(dh, cache):
    """Backprop through time for E1.

    Inputs:  dh (N, T, H) upstream gradient on every hidden state; cache from ``rnn_forward``.
    Returns: dx (N, T, D), dh0 (N, H), grads {W_xh (H, D), W_hh (H, H), b_h (H,)}.
    After a forward with ``lengths``, dx is zero on the padded steps.
    Neither ``dh`` nor the cache is modified, so calling it twice gives the same result.
    """
    dx, (dh0,), grads = RNN.backward(dh, cache)
    return dx, dh0, grads
