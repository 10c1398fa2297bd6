"""Array layouts shared by the kernels: time-major copies and back.

The kernels keep sequences *time-major*, (T, N, ·), so that the state of one time
step, ``hs[t]``, is one contiguous (N, H) block: the shape a BLAS product wants.
The public functions take and return batch-major (N, T, ·) arrays, as the NumPy
reference does.
"""

import numpy as np


def time_major(a):
    """(N, T, F) -> contiguous (T, N, F) copy."""
    return np.ascontiguousarray(np.swapaxes(a, 0, 1))


def batch_major(a):
    """(T, N, F) -> contiguous (N, T, F) copy."""
    return np.ascontiguousarray(np.swapaxes(a, 0, 1))


def rows(a):
    """(T, N, F) -> (T·N, F) view: every time step's rows stacked, for one product over all steps."""
    return a.reshape(-1, a.shape[-1])


def stacked_blocks(params, names, cols):
    """Rows of several gate weights stacked, restricted to a column slice, as one contiguous array.

    ``stacked_blocks(p, ["W_z", "W_u"], slice(0, H))`` is [W_z[:, :H]; W_u[:, :H]] (2H, H).
    """
    return np.ascontiguousarray(np.concatenate([params[k][:, cols] for k in names], axis=0))


def split_gate_gradients(dW_h, dW_x, db, names):
    """Per-gate gradients from stacked ones: rows k·H..(k+1)·H of dW_h (kH, H), dW_x (kH, D)
    and db (kH,) belong to gate ``names[k]``; returns {W_· (H, H+D), b_· (H,)}."""
    H = dW_h.shape[1]
    grads = {}
    for k, name in enumerate(names):
        block = slice(k * H, (k + 1) * H)
        grads[name] = np.concatenate([dW_h[block], dW_x[block]], axis=1)
        grads["b" + name[1:]] = db[block]
    return grads
