"""The Elman RNN (E1) in numba: forward pass and backprop through time.

Same maths as ``minirgan.rnn`` (the readable NumPy reference), organised for speed:

* the input projections of all time steps, ``W_xh x_t + b_h``, are one matrix
  product before the time loop (x reshaped to (T·N, D));
* inside the compiled time loop, the recurrent product ``W_hh h_{t-1}`` is one BLAS
  call per step and the activation is a fused, vectorised elementwise loop;
* backward, the loop only carries the gradient through time; the weight gradients
  are summed over all steps by one matrix product each, after the loop.

Column-vector convention as in the reference: the batched code computes ``h @ W.T``.
Shapes: N batch, T time, D input features, H hidden units; time-major arrays are (T, N, ·).
"""

import numba
import numpy as np

from .layout import batch_major, rows, time_major
from .masking import hold_rows, keep_rows, split_upstream
from .reductions import column_sums
from .scalar_math import JIT_OPTIONS, tanh


@numba.njit(**JIT_OPTIONS)
def _forward_loop(xp, W_hhT, relu, hs, mask):
    """Fill hs[1..T] (T+1, N, H) from hs[0] = h0; xp (T, N, H) holds W_xh x_t + b_h;
    mask (T, N) booleans or None (see masking)."""
    T, N, H = xp.shape
    zero = xp.dtype.type(0.0)                              # 0 in the arrays' dtype (see scalar_math)
    a = np.empty((N, H), dtype=xp.dtype)
    for t in range(T):
        np.dot(hs[t], W_hhT, a)                            # W_hh h_{t-1}   (BLAS)
        for n in range(N):
            for j in range(H):
                # E1: a_t = W_hh h_{t-1} + W_xh x_t + b_h
                a_t = a[n, j] + xp[t, n, j]
                # E1: h_t = f(a_t), f = tanh or ReLU
                hs[t + 1, n, j] = max(a_t, zero) if relu else tanh(a_t)
        if mask is not None:
            # M1: h_t = m_t ∘ f(a_t) + (1 − m_t) ∘ h_{t−1}
            keep_rows(mask[t], hs[t], hs[t + 1])


@numba.njit(**JIT_OPTIONS)
def _backward_loop(dh, hs, W_hh, relu, da, mask, dh_pad):
    """Fill da (T, N, H) = dL/da_t for every step; return dL/dh0 (N, H). dh is (N, T, H);
    with a mask (T, N), dh holds the real steps' gradient and dh_pad the padded steps' one."""
    T, N, H = da.shape
    zero, one = da.dtype.type(0.0), da.dtype.type(1.0)
    dh_next = np.zeros((N, H), dtype=da.dtype)             # gradient reaching h_t from step t+1
    held = np.zeros((N, H), dtype=da.dtype)
    for t in range(T - 1, -1, -1):
        if mask is not None:
            hold_rows(mask[t], dh_pad[:, t], dh_next, held)
        for n in range(N):
            for j in range(H):
                h = hs[t + 1, n, j]
                # h_t feeds the loss directly (dh) and the next step (dh_next)
                g = dh[n, t, j] + dh_next[n, j]
                # E1 differentiated through f: tanh' = 1 − h_t², relu' = [a_t > 0] = [h_t > 0]
                da[t, n, j] = g * ((one if h > zero else zero) if relu else one - h * h)
        # E1 differentiated with respect to h_{t-1}: W_hhᵀ da_t   (BLAS)
        np.dot(da[t], W_hh, dh_next)
        if mask is not None:
            # M1 differentiated: ∂L/∂h_{t−1} = W_hhᵀ (m_t ∘ da_t) + (1 − m_t) ∘ ∂L/∂h_t
            keep_rows(mask[t], held, dh_next)
    return dh_next


def rnn_forward_numba(x, h0, p, activation, mask=None):
    """E1 over a sequence. x (N, T, D), h0 (N, H), p {W_xh (H, D), W_hh (H, H), b_h (H,)},
    all one dtype (validated by ``minirgan.rnn.rnn_forward``); mask (T, N) booleans or None
    (M1, see masking). Returns h (N, T, H), cache."""
    N, T, D = x.shape
    H = h0.shape[1]
    xs = time_major(x)                                     # (T, N, D)
    # E1, input part for every step at once: W_xh x_t + b_h, (T·N, D) @ (D, H)
    xp = rows(xs) @ p["W_xh"].T
    xp += p["b_h"]                                         # in place: no second (T·N, H) array
    xp = xp.reshape(T, N, H)
    hs = np.empty((T + 1, N, H), dtype=x.dtype)
    hs[0] = h0
    relu = activation == "relu"
    _forward_loop(xp, np.ascontiguousarray(p["W_hh"].T), relu, hs, mask)
    cache = {"backend": "numba", "shape": (N, T, D, H), "dtype": x.dtype, "params": p,
             "activation": activation, "xs": xs, "hs": hs}
    return batch_major(hs[1:]), cache


def rnn_backward_numba(dh, cache, need_input_grad=True, need_param_grads=True):
    """BPTT for E1. dh (N, T, H). Returns dx (N, T, D), dh0 (N, H), grads {W_xh, W_hh, b_h};
    dx is None with ``need_input_grad=False`` and grads None with ``need_param_grads=False``
    (their products after the loop are skipped; ``validation.backward_needs``)."""
    N, T, D, H = cache["shape"]
    p, hs, xs = cache["params"], cache["hs"], cache["xs"]
    da = np.empty((T, N, H), dtype=cache["dtype"])
    mask = cache.get("mask")
    dh, dh_pad = split_upstream(dh, mask)
    dh0 = _backward_loop(dh, hs, np.ascontiguousarray(p["W_hh"]), cache["activation"] == "relu",
                         da, mask, dh_pad)
    grads = dx = None
    if need_param_grads:
        # Weight gradients summed over all steps by one product each: Σ_t da_tᵀ x_t, Σ_t da_tᵀ h_{t-1}
        grads = {"W_xh": rows(da).T @ rows(xs), "W_hh": rows(da).T @ rows(hs[:-1]),
                 "b_h": column_sums(rows(da))}
    if need_input_grad:
        dx = batch_major((rows(da) @ p["W_xh"]).reshape(T, N, D))
    return dx, dh0, grads
