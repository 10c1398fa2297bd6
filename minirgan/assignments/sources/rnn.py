"""Assignment `rnn`: backpropagation through time for the Elman RNN (E1).

E1: h_t = tanh(a_t),  a_t = W_hh h_{t-1} + W_xh x_t + b_h.
Column-vector convention: W_xh is H x D, W_hh is H x H; a batch computes ``x_t @ W_xh.T``.
Shapes: N batch, T time, D input, H hidden.

Two functions to write: the backward pass of one step, then BPTT over a whole sequence built
from it (the upstream gradient reaches every h_t, and each h_t also feeds h_{t+1}).

Check your work:  minirgan assignment check rnn .
"""

import numpy as np


def rnn_step_forward(x_t, h_prev, params):
    """Given. x_t (N, D), h_prev (N, H), params {W_xh (H, D), W_hh (H, H), b_h (H,)}.

    Returns h_next (N, H) and the cache for rnn_step_backward.
    """
    # E1 (inside f): a_t = W_hh h_{t-1} + W_xh x_t + b_h
    a = h_prev @ params["W_hh"].T + x_t @ params["W_xh"].T + params["b_h"]
    # E1: h_t = tanh(a_t)
    h = np.tanh(a)
    return h, (x_t, h_prev, h, params)


def rnn_step_backward(dh_next, cache):
    """Write this. dh_next (N, H): the total gradient on h_t; cache from rnn_step_forward.

    Returns dx_t (N, D), dh_prev (N, H), grads {"W_xh", "W_hh", "b_h"} shaped as params.
    Do not modify dh_next or the cache; return new arrays on every call.
    """
    x_t, h_prev, h, params = cache
    # BEGIN SOLUTION
    # through tanh of E1: tanh'(a) = 1 − tanh(a)² = 1 − h_t²
    da = dh_next * (1.0 - h * h)
    # a_t is linear in x_t, h_{t-1} and the parameters
    dx = da @ params["W_xh"]
    dh_prev = da @ params["W_hh"]
    grads = {"W_xh": da.T @ x_t, "W_hh": da.T @ h_prev, "b_h": da.sum(axis=0)}
    return dx, dh_prev, grads
    # END SOLUTION


def rnn_forward(x, h0, params):
    """Given. x (N, T, D), h0 (N, H) -> h (N, T, H) every hidden state, cache (one per step)."""
    N, T, _ = x.shape
    H = params["W_hh"].shape[0]
    h = np.zeros((N, T, H))
    caches = []
    prev = h0
    for t in range(T):
        prev, cache = rnn_step_forward(x[:, t], prev, params)
        h[:, t] = prev
        caches.append(cache)
    return h, caches


def rnn_backward(dh, cache):
    """Write this. dh (N, T, H): the upstream gradient on every h_t; cache from rnn_forward.

    Returns dx (N, T, D), dh0 (N, H), grads {"W_xh", "W_hh", "b_h"} summed over the steps.
    Walk the steps backwards: the gradient on h_t is dh[:, t] plus what flows back from step t+1.
    """
    caches = cache
    # BEGIN SOLUTION
    N, T, H = dh.shape
    D = caches[0][0].shape[1]
    dx = np.zeros((N, T, D))
    grads = {name: np.zeros_like(w) for name, w in caches[0][3].items()}
    carry = np.zeros((N, H))
    for t in reversed(range(T)):
        dx[:, t], carry, step = rnn_step_backward(dh[:, t] + carry, caches[t])
        for name in grads:
            grads[name] = grads[name] + step[name]
    return dx, carry, grads
    # END SOLUTION
