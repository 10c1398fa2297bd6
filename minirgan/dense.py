"""The affine output layer of E2: ``y_t = W_hy h_t + b_y`` (before the output activation g).

Column-vector convention as everywhere in minirgan: ``W_hy`` is O x H, so the
batched code computes ``h @ W_hy.T``. The layer works on any leading shape:
h (..., H) -> y (..., O), e.g. (N, H) for a last state or (N, T, H) per step.
"""

import numpy as np

from .validation import as_float_array, backward_needs, check_params


def init_dense_params(H, O, rng=None, dtype=np.float64):
    """Glorot-uniform ``W_hy`` (O, H) and zero ``b_y`` (O,)."""
    rng = np.random.default_rng(rng)
    limit = np.sqrt(6.0 / (H + O))
    return {
        "W_hy": rng.uniform(-limit, limit, size=(O, H)).astype(dtype),
        "b_y": np.zeros(O, dtype=dtype),
    }


def dense_forward(h, params):
    """E2 without g: y = W_hy h + b_y.

    Inputs:  h (..., H); params W_hy (O, H), b_y (O,).
    Returns: y (..., O), cache.
    """
    h = as_float_array("h", h)
    if h.ndim < 1:
        raise ValueError(f"h must have shape (..., H), got a scalar")
    O = np.shape(params.get("W_hy", np.zeros((0, 0))))[0] if isinstance(params, dict) else 0
    p = check_params(params, {"W_hy": (O, h.shape[-1]), "b_y": (O,)}, "dense_forward")
    # E2 (affine part, before g): y_t = W_hy h_t + b_y   (row-major batch: h @ W_hy^T)
    y = h @ p["W_hy"].T + p["b_y"]
    return y, (h, p)


def dense_backward(dy, cache, need_input_grad=True, need_param_grads=True):
    """Backward of E2's affine part.

    Inputs:  dy (..., O), the cache from ``dense_forward``; ``need_input_grad`` /
             ``need_param_grads`` False to skip dh / grads (``validation.backward_needs``).
    Returns: dh (..., H), grads {W_hy (O, H), b_y (O,)} (each None when not needed).
    """
    need_input_grad, need_param_grads = backward_needs(need_input_grad, need_param_grads)
    h, p = cache
    dy = as_float_array("dy", dy)
    expected = h.shape[:-1] + (p["W_hy"].shape[0],)
    if dy.shape != expected:
        raise ValueError(f"dy must have shape {expected}, got {dy.shape}")
    dh = grads = None
    if need_input_grad:
        # d/dh of W_hy h: W_hy^T dy
        dh = dy @ p["W_hy"]
    if need_param_grads:
        h2 = h.reshape(-1, h.shape[-1])
        dy2 = dy.reshape(-1, dy.shape[-1])
        grads = {
            # dL/dW_hy = sum over batch (and time) of dy h^T
            "W_hy": dy2.T @ h2,
            "b_y": dy2.sum(axis=0),
        }
    return dh, grads
