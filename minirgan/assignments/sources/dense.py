"""Assignment `dense`: the backward pass of the output layer (E2).

E2 reads y_t = g(W_hy h_t + b_y); this layer is its affine part, y = W_hy h + b_y (the output
activation g is applied after it). Column-vector convention, as in the equations: W_hy is O x H,
so a batch holding one example per row computes ``h @ W_hy.T``.

Shapes: N batch, T time, H hidden, O output. The layer works on any leading shape, e.g.
h (N, H) for a last state or (N, T, H) for every step.

Check your work:  minirgan assignment check dense .
"""

import numpy as np


def dense_forward(h, params):
    """Given. h (..., H), params {W_hy (O, H), b_y (O,)} -> y (..., O), cache."""
    # E2 (affine part): y_t = W_hy h_t + b_y
    y = h @ params["W_hy"].T + params["b_y"]
    return y, (h, params)


def dense_backward(dy, cache):
    """Write this. dy (..., O), the upstream gradient on y; cache from dense_forward.

    Returns dh (..., H) and grads {"W_hy": (O, H), "b_y": (O,)}, summed over every leading
    axis (batch, and time if there is one). Do not modify dy or the cache.
    """
    h, params = cache
    # BEGIN SOLUTION
    # d/dh of W_hy h is W_hy^T: one row of dy per example, so dy @ W_hy
    dh = dy @ params["W_hy"]
    h2 = h.reshape(-1, h.shape[-1])
    dy2 = dy.reshape(-1, dy.shape[-1])
    # dL/dW_hy = Σ over examples (and steps) of dy h^T;  dL/db_y = Σ dy
    grads = {"W_hy": dy2.T @ h2, "b_y": dy2.sum(axis=0)}
    return dh, grads
    # END SOLUTION
