"""The standard LSTM (see docs/equations.md, "LSTM") in numba: forward pass and backprop through time.

Same maths and names as ``minirgan.lstm`` (the readable NumPy reference): gates
f, i, o, candidate c̃ (``g`` in code), weights ``W_f, W_i, W_o, W_c`` of shape H x (H + D)
acting on ``[h_{t-1}, x_t]``. Organised for speed:

* the x-parts of the four gates for all steps, ``W_·x x_t + b_·``, are one matrix
  product before the time loop;
* in the compiled time loop, one BLAS call per step computes all four recurrent
  products ``[W_fh; W_ih; W_oh; W_ch] h_{t-1}``, and short vectorised loops over each
  row do the gate maths (gates, then the cell update);
* backward, the loop carries dh and dc through time and stores every step's
  pre-activation gradients; the weight gradients are then one matrix product for the
  hidden columns and one for the input columns, over all steps.

Shapes: N batch, T time, D input features, H hidden units; time-major arrays are (T, N, ·).
"""

import numba
import numpy as np

from .layout import batch_major, rows, split_gate_gradients, stacked_blocks, time_major
from .masking import hold_rows, keep_rows, split_upstream
from .reductions import column_sums
from .scalar_math import JIT_OPTIONS, sigmoid, tanh

_GATES = ("W_f", "W_i", "W_o", "W_c")                  # the order of the 4H gate rows


@numba.njit(**JIT_OPTIONS)
def _forward_loop(xp, W_hT, hs, cs, gates, tcs, mask):
    """xp (T, N, 4H) holds [W_fx x_t + b_f, W_ix x_t + b_i, W_ox x_t + b_o, W_cx x_t + b_c].
    Fills hs, cs [1..T] (T+1, N, H) from h0, c0 at index 0, gates (T, N, 4H) = [f, i, o, c̃]
    and tcs (T, N, H) = tanh(c_t); mask (T, N) booleans or None (see masking).

    Each loop reads and writes different arrays (c_{t-1} is kept in its own buffer, not
    read from cs[t] while cs[t+1] is written), so LLVM can prove the iterations independent
    and vectorise them: about 9x faster than one loop doing everything.
    """
    T, N, H = tcs.shape
    a = np.empty((N, 4 * H), dtype=xp.dtype)
    c = cs[0].copy()                                       # c_{t-1}, updated in place
    for t in range(T):
        np.dot(hs[t], W_hT, a)                             # [W_fh; W_ih; W_oh; W_ch] h_{t-1}  (BLAS)
        g_t = gates[t]
        for n in range(N):
            # LSTM: f_t, i_t, o_t = σ(W_· · [h_{t-1}, x_t] + b_·)   (the first 3H columns)
            for j in range(3 * H):
                g_t[n, j] = sigmoid(a[n, j] + xp[t, n, j])
            # LSTM: c̃_t = tanh(W_c · [h_{t-1}, x_t] + b_c)        (the last H columns)
            for j in range(3 * H, 4 * H):
                g_t[n, j] = tanh(a[n, j] + xp[t, n, j])
            for j in range(H):
                f, i, o, g = g_t[n, j], g_t[n, H + j], g_t[n, 2 * H + j], g_t[n, 3 * H + j]
                # LSTM: c_t = f_t ∘ c_{t-1} + i_t ∘ c̃_t
                c[n, j] = f * c[n, j] + i * g
                tc = tanh(c[n, j])
                # LSTM: h_t = o_t ∘ tanh(c_t)
                hs[t + 1, n, j] = o * tc
                cs[t + 1, n, j] = c[n, j]
                tcs[t, n, j] = tc
        if mask is not None:
            # M1: h_t = m_t ∘ (o_t ∘ tanh(c_t)) + (1 − m_t) ∘ h_{t−1}, and the same for c_t
            keep_rows(mask[t], hs[t], hs[t + 1])
            keep_rows(mask[t], cs[t], cs[t + 1])
            keep_rows(mask[t], cs[t], c)


@numba.njit(**JIT_OPTIONS)
def _backward_loop(dh, cs, gates, tcs, W_h, da, mask, dh_pad):
    """Fills da (T, N, 4H) = dL/d(pre-activations of f, i, o, c̃) for every step;
    returns dL/dh0, dL/dc0 (N, H). dh is (N, T, H); with a mask (T, N), dh holds the real
    steps' gradient and dh_pad the padded steps' one."""
    T, N, H = tcs.shape
    one = cs.dtype.type(1.0)                               # 1 in the arrays' dtype (see scalar_math)
    dh_next = np.zeros((N, H), dtype=cs.dtype)             # gradients reaching step t from t+1
    dc_next = np.zeros((N, H), dtype=cs.dtype)
    held_h = np.zeros((N, H), dtype=cs.dtype)
    held_c = np.zeros((N, H), dtype=cs.dtype)
    no_upstream = np.zeros((N, H), dtype=cs.dtype)         # c_t has no gradient from outside
    for t in range(T - 1, -1, -1):
        if mask is not None:
            hold_rows(mask[t], dh_pad[:, t], dh_next, held_h)
            hold_rows(mask[t], no_upstream, dc_next, held_c)
        for n in range(N):
            for j in range(H):
                f, i = gates[t, n, j], gates[t, n, H + j]
                o, g = gates[t, n, 2 * H + j], gates[t, n, 3 * H + j]
                tc = tcs[t, n, j]
                dh_t = dh[n, t, j] + dh_next[n, j]
                # h_t = o_t ∘ tanh(c_t): to o_t, and to c_t through tanh' = 1 − tanh²
                do = dh_t * tc
                dc = dc_next[n, j] + dh_t * o * (one - tc * tc)
                # c_t = f_t ∘ c_{t-1} + i_t ∘ c̃_t, then through σ' = σ (1 − σ) and tanh'
                da[t, n, j] = dc * cs[t, n, j] * f * (one - f)
                da[t, n, H + j] = dc * g * i * (one - i)
                da[t, n, 2 * H + j] = do * o * (one - o)
                da[t, n, 3 * H + j] = dc * i * (one - g * g)
                dc_next[n, j] = dc * f
        np.dot(da[t], W_h, dh_next)                        # [W_fh; W_ih; W_oh; W_ch]ᵀ da   (BLAS)
        if mask is not None:
            # M1 differentiated: rows past their end hand ∂L/∂h_t, ∂L/∂c_t on to t − 1 unchanged
            keep_rows(mask[t], held_h, dh_next)
            keep_rows(mask[t], held_c, dc_next)
    return dh_next, dc_next


def lstm_forward_numba(x, h0, c0, p, mask=None):
    """The LSTM over a sequence. x (N, T, D), h0, c0 (N, H), p as ``lstm_param_shapes``,
    all one dtype (validated by ``lstm_forward``); mask (T, N) booleans or None (M1, see
    masking). Returns h (N, T, H), cache."""
    N, T, D = x.shape
    H = h0.shape[1]
    xs = time_major(x)
    b_x = np.concatenate([p["b" + k[1:]] for k in _GATES])
    xp = rows(xs) @ stacked_blocks(p, _GATES, slice(H, H + D)).T
    xp += b_x                                              # in place: no second (T·N, 4H) array
    xp = xp.reshape(T, N, 4 * H)
    hs = np.empty((T + 1, N, H), dtype=x.dtype)
    cs = np.empty((T + 1, N, H), dtype=x.dtype)
    hs[0], cs[0] = h0, c0
    gates = np.empty((T, N, 4 * H), dtype=x.dtype)
    tcs = np.empty((T, N, H), dtype=x.dtype)
    W_hT = np.ascontiguousarray(stacked_blocks(p, _GATES, slice(0, H)).T)
    _forward_loop(xp, W_hT, hs, cs, gates, tcs, mask)
    cache = {"backend": "numba", "shape": (N, T, D, H), "dtype": x.dtype, "params": p,
             "xs": xs, "hs": hs, "cs": cs, "gates": gates, "tcs": tcs}
    return batch_major(hs[1:]), cache


def lstm_backward_numba(dh, cache, need_input_grad=True, need_param_grads=True):
    """BPTT for the LSTM. dh (N, T, H).
    Returns dx (N, T, D), dh0 (N, H), dc0 (N, H), grads shaped as params; dx is None with
    ``need_input_grad=False`` and grads None with ``need_param_grads=False`` (their products
    after the loop are skipped; ``validation.backward_needs``)."""
    N, T, D, H = cache["shape"]
    p, xs, hs = cache["params"], cache["xs"], cache["hs"]
    da = np.empty((T, N, 4 * H), dtype=cache["dtype"])
    mask = cache.get("mask")
    dh, dh_pad = split_upstream(dh, mask)
    dh0, dc0 = _backward_loop(dh, cache["cs"], cache["gates"], cache["tcs"],
                              stacked_blocks(p, _GATES, slice(0, H)), da, mask, dh_pad)
    grads = dx = None
    if need_param_grads:
        # Σ_t da_tᵀ [h_{t-1}, x_t]: one product for the hidden columns, one for the input columns
        dW_h = rows(da).T @ rows(hs[:-1])
        dW_x = rows(da).T @ rows(xs)
        db = column_sums(rows(da))
        grads = split_gate_gradients(dW_h, dW_x, db, _GATES)
    if need_input_grad:
        dx = batch_major((rows(da) @ stacked_blocks(p, _GATES, slice(H, H + D))).reshape(T, N, D))
    return dx, dh0, dc0, grads
