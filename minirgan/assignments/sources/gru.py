"""Assignment `gru`: the backward pass of one GRU step, in both reset placements (E11–E15),
then BPTT over a whole sequence built from your step.

The standard form (E14 with its erratum applied, see docs/errata.md):
    E11: z_t = σ(W_z [h_{t-1}, x_t] + b_z)            reset gate
    E12: u_t = σ(W_u [h_{t-1}, x_t] + b_u)            update gate
    E13: r_t = h_{t-1} ∘ z_t
    E14: h̃_t = tanh(W_c [r_t, x_t] + b_c)
    E15: h_t = (1 − u_t) ∘ h_{t-1} + u_t ∘ h̃_t
The reset-after form (PyTorch, Keras) applies the reset gate after the recurrent product, with
one more bias: h̃_t = tanh(W_cx x_t + b_c + z_t ∘ (W_ch h_{t-1} + b_ch)), where W_c = [W_ch, W_cx].

Column-vector convention: W_z, W_u, W_c are H x (H + D); the first H columns read h_{t-1}.
Shapes: N batch, T time, D input, H hidden.

Check your work:  minirgan assignment check gru .
"""

import numpy as np


def sigmoid(a):
    """σ(a) = 1 / (1 + e^{−a}), written so that it never overflows."""
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def gru_step_forward(x_t, h_prev, params):
    """Given (standard form). x_t (N, D), h_prev (N, H) -> h_next (N, H), cache."""
    hx = np.concatenate([h_prev, x_t], axis=1)
    # E11: z_t = σ(W_z [h_{t-1}, x_t] + b_z)
    z = sigmoid(hx @ params["W_z"].T + params["b_z"])
    # E12: u_t = σ(W_u [h_{t-1}, x_t] + b_u)
    u = sigmoid(hx @ params["W_u"].T + params["b_u"])
    # E13: r_t = h_{t-1} ∘ z_t
    r = h_prev * z
    rx = np.concatenate([r, x_t], axis=1)
    # E14 (erratum applied): h̃_t = tanh(W_c [r_t, x_t] + b_c)
    c = np.tanh(rx @ params["W_c"].T + params["b_c"])
    # E15: h_t = (1 − u_t) ∘ h_{t−1} + u_t ∘ h̃_t
    h = (1.0 - u) * h_prev + u * c
    return h, (hx, z, u, rx, c, params)


def gru_step_backward(dh_next, cache):
    """Write this (standard form). dh_next (N, H), cache -> dx_t (N, D), dh_prev (N, H), grads.

    grads has the keys of params: W_z, W_u, W_c (H, H+D) and b_z, b_u, b_c (H,).
    h_{t-1} reaches h_t along four paths (E15 directly, and through z, u and r): add them all.
    Do not modify dh_next or the cache.
    """
    hx, z, u, rx, c, params = cache
    H = z.shape[1]
    h_prev = hx[:, :H]
    # BEGIN SOLUTION
    # E15 differentiated: ∂h/∂h_{t-1} = 1 − u, ∂h/∂u = h̃ − h_{t-1}, ∂h/∂h̃ = u
    dh_prev = dh_next * (1.0 - u)
    du = dh_next * (c - h_prev)
    dc = dh_next * u
    # E14: through tanh, then the product with [r_t, x_t]
    dac = dc * (1.0 - c * c)
    drx = dac @ params["W_c"]
    dr, dx = drx[:, :H], drx[:, H:]
    # E13: r = h_{t-1} ∘ z
    dh_prev = dh_prev + dr * z
    dz = dr * h_prev
    # E11, E12: through the sigmoids, σ' = σ (1 − σ), then the products with [h_{t-1}, x_t]
    daz = dz * z * (1.0 - z)
    dau = du * u * (1.0 - u)
    dhx = daz @ params["W_z"] + dau @ params["W_u"]
    grads = {"W_z": daz.T @ hx, "b_z": daz.sum(axis=0), "W_u": dau.T @ hx, "b_u": dau.sum(axis=0),
             "W_c": dac.T @ rx, "b_c": dac.sum(axis=0)}
    return dx + dhx[:, H:], dh_prev + dhx[:, :H], grads
    # END SOLUTION


def gru_step_forward_reset_after(x_t, h_prev, params):
    """Given (reset-after form). params also holds b_ch (H,). -> h_next (N, H), cache."""
    H = h_prev.shape[1]
    hx = np.concatenate([h_prev, x_t], axis=1)
    # E11, E12 as in the standard form
    z = sigmoid(hx @ params["W_z"].T + params["b_z"])
    u = sigmoid(hx @ params["W_u"].T + params["b_u"])
    # reset after the product: h̃_t = tanh(W_cx x_t + b_c + z_t ∘ (W_ch h_{t-1} + b_ch))
    hn = h_prev @ params["W_c"][:, :H].T + params["b_ch"]
    c = np.tanh(x_t @ params["W_c"][:, H:].T + params["b_c"] + z * hn)
    # E15
    h = (1.0 - u) * h_prev + u * c
    return h, (hx, z, u, hn, c, params)


def gru_step_backward_reset_after(dh_next, cache):
    """Write this (reset-after form). Returns dx_t, dh_prev, grads (with "b_ch" too)."""
    hx, z, u, hn, c, params = cache
    H = z.shape[1]
    h_prev, x_t = hx[:, :H], hx[:, H:]
    # BEGIN SOLUTION
    # E15, as in the standard form
    dh_prev = dh_next * (1.0 - u)
    du = dh_next * (c - h_prev)
    dac = dh_next * u * (1.0 - c * c)
    # the reset gate multiplies the recurrent product hn = W_ch h_{t-1} + b_ch
    dz = dac * hn
    dhn = dac * z
    dW_c = np.concatenate([dhn.T @ h_prev, dac.T @ x_t], axis=1)
    dh_prev = dh_prev + dhn @ params["W_c"][:, :H]
    dx = dac @ params["W_c"][:, H:]
    daz = dz * z * (1.0 - z)
    dau = du * u * (1.0 - u)
    dhx = daz @ params["W_z"] + dau @ params["W_u"]
    grads = {"W_z": daz.T @ hx, "b_z": daz.sum(axis=0), "W_u": dau.T @ hx, "b_u": dau.sum(axis=0),
             "W_c": dW_c, "b_c": dac.sum(axis=0), "b_ch": dhn.sum(axis=0)}
    return dx + dhx[:, H:], dh_prev + dhx[:, :H], grads
    # END SOLUTION


def gru_forward(x, h0, params):
    """Given (standard form). x (N, T, D), h0 (N, H) -> h (N, T, H) every hidden state, cache
    (one gru_step_forward cache per step)."""
    N, T, _ = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    caches = []
    prev = h0
    for t in range(T):
        prev, cache = gru_step_forward(x[:, t], prev, params)
        h[:, t] = prev
        caches.append(cache)
    return h, caches


def gru_backward(dh, cache):
    """Write this (standard form), from your gru_step_backward. dh (N, T, H): the upstream
    gradient on every h_t; cache from gru_forward.

    Returns dx (N, T, D), dh0 (N, H), grads (the keys of params) summed over the steps.
    Walk the steps backwards: the gradient on h_t is dh[:, t] plus the dh_prev of step t+1.
    """
    caches = cache
    # BEGIN SOLUTION
    N, T, H = dh.shape
    D = caches[0][0].shape[1] - H
    dx = np.zeros((N, T, D))
    grads = {name: np.zeros_like(w) for name, w in caches[0][-1].items()}
    carry = np.zeros((N, H))
    for t in reversed(range(T)):
        dx[:, t], carry, step = gru_step_backward(dh[:, t] + carry, caches[t])
        for name in grads:
            grads[name] = grads[name] + step[name]
    return dx, carry, grads
    # END SOLUTION
