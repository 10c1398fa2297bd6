"""The GRU of S3 §3.1 (E11–E15) in numba: forward pass and backprop through time.

Same maths and names as ``minirgan.gru`` (the readable NumPy reference): ``z`` is the
seed's *reset* gate (E11), ``u`` its *update* gate (E12), ``W_c`` the candidate weight
of E14; every weight is H x (H + D) acting on ``[h_{t-1}, x_t]``, so its first H columns
(``W_·h``) multiply h_{t-1} and the last D (``W_·x``) multiply x_t.

Organised for speed:

* the x-parts of all gates for all steps, ``W_·x x_t + b_·``, are one matrix product
  before the time loop;
* in the compiled time loop, BLAS computes the recurrent products and fused loops do
  the gate maths. The standard form (``reset_after=False``, E14 with its erratum) needs
  two products per step — ``[W_zh; W_uh] h_{t-1}`` for the gates, then ``W_ch (z_t ∘ h_{t-1})``
  once z_t is known; the framework form (``reset_after=True``) needs one, ``[W_zh; W_uh; W_ch] h_{t-1}``;
* backward, the loop carries the gradient through time and stores every step's
  pre-activation gradients; weight gradients are then one matrix product each.

Shapes: N batch, T time, D input features, H hidden units; time-major arrays are (T, N, ·).
"""

import numba
import numpy as np

from .layout import batch_major, rows, split_gate_gradients, stacked_blocks, time_major
from .masking import hold_rows, keep_rows, split_upstream
from .reductions import column_sums
from .scalar_math import JIT_OPTIONS, sigmoid, tanh


# ----------------------------------------------------------------------------- reset_after=False

@numba.njit(**JIT_OPTIONS)
def _forward_loop_standard(xp, W_zuhT, W_chT, hs, z, u, r, c, mask):
    """xp (T, N, 3H) holds [W_zx x_t + b_z, W_ux x_t + b_u, W_cx x_t + b_c].
    Fills hs[1..T] (T+1, N, H) from hs[0] = h0 and the gates z, u, r, c (T, N, H);
    mask (T, N) booleans or None (see masking)."""
    T, N, H = z.shape
    one = xp.dtype.type(1.0)                               # 1 in the arrays' dtype (see scalar_math)
    a_zu = np.empty((N, 2 * H), dtype=xp.dtype)
    a_c = np.empty((N, H), dtype=xp.dtype)
    # h_{t-1} in its own buffer, updated in place: reading hs[t] while writing hs[t+1]
    # would keep LLVM from vectorising the loops (it cannot tell the rows apart)
    h_prev = hs[0].copy()
    for t in range(T):
        # step t's (N, ·) blocks as 2-D views, and each value kept in a local once computed
        # instead of read back from the array just written: the same operations in the same
        # order (bitwise the same results), about 15 % faster (docs/performance.md)
        xp_t, z_t, u_t, r_t, c_t = xp[t], z[t], u[t], r[t], c[t]
        np.dot(h_prev, W_zuhT, a_zu)                       # [W_zh; W_uh] h_{t-1}   (BLAS)
        for n in range(N):
            for j in range(H):
                # E11: z_t = σ(W_z · [h_{t-1}, x_t] + b_z)
                z_nj = sigmoid(a_zu[n, j] + xp_t[n, j])
                # E12: u_t = σ(W_u · [h_{t-1}, x_t] + b_u)
                u_t[n, j] = sigmoid(a_zu[n, H + j] + xp_t[n, H + j])
                z_t[n, j] = z_nj
                # E13: r_t = h_{t-1} ∘ z_t
                r_t[n, j] = h_prev[n, j] * z_nj
        np.dot(r_t, W_chT, a_c)                            # W_ch r_t   (BLAS)
        for n in range(N):
            for j in range(H):
                # E14 (erratum applied): h̃_t = tanh(W_c · [r_t, x_t] + b_c)
                c_nj = tanh(a_c[n, j] + xp_t[n, 2 * H + j])
                c_t[n, j] = c_nj
                # E15: h_t = (1 − u_t) ∘ h_{t−1} + u_t ∘ h̃_t
                u_nj = u_t[n, j]
                h_nj = (one - u_nj) * h_prev[n, j] + u_nj * c_nj
                h_prev[n, j] = h_nj
                hs[t + 1, n, j] = h_nj
        if mask is not None:
            # M1: h_t = m_t ∘ (E15's h_t) + (1 − m_t) ∘ h_{t−1}   (hs[t] holds h_{t−1})
            keep_rows(mask[t], hs[t], hs[t + 1])
            keep_rows(mask[t], hs[t], h_prev)


@numba.njit(**JIT_OPTIONS)
def _forward_loop_standard_narrow(xp, W_zuhT, W_chT, hs, z, u, r, c, hs_1d, z_1d, u_1d, r_1d, c_1d):
    """The loop above for a narrow state (``is_narrow``), bitwise the same results.

    The row loops above vectorise along j, the H units of a row; with H = 2 (the post-hoc
    models of the discriminative and predictive scores) a row is shorter than a SIMD register
    and σ and tanh run one value at a time. Here they run over each step's whole (N·H) block
    as one flat stretch. ``*_1d`` are flat views of hs, z, u, r, c: numba vectorises loops over
    slices of 1-D arguments, not over views reshaped inside the kernel (measured)."""
    T, N, H = z.shape
    M = N * H
    one = xp.dtype.type(1.0)
    a_zu = np.empty((N, 2 * H), dtype=xp.dtype)
    a_c = np.empty((N, H), dtype=xp.dtype)
    h_prev = np.empty(M, dtype=xp.dtype)                  # h_{t-1}, flat, in its own buffer
    for t in range(T):
        xp_t, z_t, u_t, r_t, c_t = xp[t], z[t], u[t], r[t], c[t]
        step, next_step = slice(t * M, (t + 1) * M), slice((t + 1) * M, (t + 2) * M)
        z_s, u_s, r_s, c_s, h_s = z_1d[step], u_1d[step], r_1d[step], c_1d[step], hs_1d[next_step]
        h_prev[:] = hs_1d[step]
        np.dot(hs[t], W_zuhT, a_zu)                        # [W_zh; W_uh] h_{t-1}   (BLAS)
        for n in range(N):                                 # pre-activations into z_t, u_t
            for j in range(H):
                z_t[n, j] = a_zu[n, j] + xp_t[n, j]
                u_t[n, j] = a_zu[n, H + j] + xp_t[n, H + j]
        for i in range(M):
            # E11: z_t = σ(W_z · [h_{t-1}, x_t] + b_z)
            z_i = sigmoid(z_s[i])
            z_s[i] = z_i
            # E12: u_t = σ(W_u · [h_{t-1}, x_t] + b_u)
            u_s[i] = sigmoid(u_s[i])
            # E13: r_t = h_{t-1} ∘ z_t
            r_s[i] = h_prev[i] * z_i
        np.dot(r_t, W_chT, a_c)                            # W_ch r_t   (BLAS)
        for n in range(N):                                 # pre-activation into c_t
            for j in range(H):
                c_t[n, j] = a_c[n, j] + xp_t[n, 2 * H + j]
        for i in range(M):
            # E14 (erratum applied): h̃_t = tanh(W_c · [r_t, x_t] + b_c)
            c_i = tanh(c_s[i])
            c_s[i] = c_i
            # E15: h_t = (1 − u_t) ∘ h_{t−1} + u_t ∘ h̃_t
            u_i = u_s[i]
            h_s[i] = (one - u_i) * h_prev[i] + u_i * c_i


@numba.njit(**JIT_OPTIONS)
def _backward_loop_standard(dh, hs, z, u, c, W_ch, W_zuh, da_zu, da_c, mask, dh_pad):
    """Fills da_zu (T, N, 2H) = dL/d[a_z, a_u] and da_c (T, N, H) = dL/da_c for every
    step (a_· the pre-activations); returns dL/dh0 (N, H). dh is (N, T, H); with a mask
    (T, N), dh holds the real steps' gradient and dh_pad the padded steps' one."""
    T, N, H = z.shape
    one = hs.dtype.type(1.0)
    dh_next = np.zeros((N, H), dtype=hs.dtype)             # gradient reaching h_t from step t+1
    dh_prev = np.empty((N, H), dtype=hs.dtype)
    dr = np.empty((N, H), dtype=hs.dtype)
    held = np.zeros((N, H), dtype=hs.dtype)
    for t in range(T - 1, -1, -1):
        if mask is not None:
            hold_rows(mask[t], dh_pad[:, t], dh_next, held)
        h_prev = hs[t]
        for n in range(N):
            for j in range(H):
                g = dh[n, t, j] + dh_next[n, j]
                u_t, c_t = u[t, n, j], c[t, n, j]
                # E15 differentiated with respect to h_{t-1}, u_t and h̃_t
                dh_prev[n, j] = g * (one - u_t)
                du = g * (c_t - h_prev[n, j])
                dc = g * u_t
                # through tanh of E14 (tanh' = 1 − h̃²) and σ of E12 (σ' = u (1 − u))
                da_c[t, n, j] = dc * (one - c_t * c_t)
                da_zu[t, n, H + j] = du * u_t * (one - u_t)
        np.dot(da_c[t], W_ch, dr)                          # dL/dr_t = W_chᵀ da_c   (BLAS)
        for n in range(N):
            for j in range(H):
                z_t = z[t, n, j]
                # E13 differentiated: r_t = h_{t-1} ∘ z_t
                dh_prev[n, j] += dr[n, j] * z_t
                # through σ of E11
                da_zu[t, n, j] = dr[n, j] * h_prev[n, j] * z_t * (one - z_t)
        np.dot(da_zu[t], W_zuh, dh_next)                   # [W_zh; W_uh]ᵀ [da_z, da_u]   (BLAS)
        for n in range(N):
            for j in range(H):
                dh_next[n, j] += dh_prev[n, j]
        if mask is not None:
            # M1 differentiated: rows past their end hand ∂L/∂h_t on to h_{t−1} unchanged
            keep_rows(mask[t], held, dh_next)
    return dh_next


# ----------------------------------------------------------------------------- reset_after=True

@numba.njit(**JIT_OPTIONS)
def _forward_loop_after(xp, W_hT, b_ch, hs, z, u, hn, c, mask):
    """Framework form. xp (T, N, 3H) as in the standard form; fills hs, z, u, c and
    hn (T, N, H) = W_ch h_{t-1} + b_ch; mask (T, N) booleans or None (see masking)."""
    T, N, H = z.shape
    one = xp.dtype.type(1.0)
    a_h = np.empty((N, 3 * H), dtype=xp.dtype)
    h_prev = hs[0].copy()                                  # h_{t-1}, updated in place (see above)
    for t in range(T):
        np.dot(h_prev, W_hT, a_h)                          # [W_zh; W_uh; W_ch] h_{t-1}   (BLAS)
        for n in range(N):
            for j in range(H):
                # E11: z_t = σ(W_z · [h_{t-1}, x_t] + b_z)
                z_t = sigmoid(a_h[n, j] + xp[t, n, j])
                # E12: u_t = σ(W_u · [h_{t-1}, x_t] + b_u)
                u_t = sigmoid(a_h[n, H + j] + xp[t, n, H + j])
                hn_t = a_h[n, 2 * H + j] + b_ch[j]
                # framework form: h̃_t = tanh(W_cx x_t + b_c + z_t ∘ (W_ch h_{t-1} + b_ch))
                c_t = tanh(xp[t, n, 2 * H + j] + z_t * hn_t)
                # E15: h_t = (1 − u_t) ∘ h_{t−1} + u_t ∘ h̃_t
                h_prev[n, j] = (one - u_t) * h_prev[n, j] + u_t * c_t
                hs[t + 1, n, j] = h_prev[n, j]
                z[t, n, j], u[t, n, j], hn[t, n, j], c[t, n, j] = z_t, u_t, hn_t, c_t
        if mask is not None:
            # M1: h_t = m_t ∘ (E15's h_t) + (1 − m_t) ∘ h_{t−1}   (hs[t] holds h_{t−1})
            keep_rows(mask[t], hs[t], hs[t + 1])
            keep_rows(mask[t], hs[t], h_prev)


@numba.njit(**JIT_OPTIONS)
def _backward_loop_after(dh, hs, z, u, hn, c, W_h, da_h, da_x, mask, dh_pad):
    """Fills da_h (T, N, 3H) = dL/d[a_z, a_u, hn] (what multiplies h_{t-1}) and
    da_x (T, N, 3H) = dL/d[a_z, a_u, a_c] (what multiplies x_t); returns dL/dh0.
    mask and dh_pad as in _backward_loop_standard."""
    T, N, H = z.shape
    one = hs.dtype.type(1.0)
    dh_next = np.zeros((N, H), dtype=hs.dtype)
    dh_prev = np.empty((N, H), dtype=hs.dtype)
    held = np.zeros((N, H), dtype=hs.dtype)
    for t in range(T - 1, -1, -1):
        if mask is not None:
            hold_rows(mask[t], dh_pad[:, t], dh_next, held)
        h_prev = hs[t]
        for n in range(N):
            for j in range(H):
                g = dh[n, t, j] + dh_next[n, j]
                z_t, u_t, c_t = z[t, n, j], u[t, n, j], c[t, n, j]
                # E15 differentiated with respect to h_{t-1}, u_t and h̃_t
                dh_prev[n, j] = g * (one - u_t)
                du = g * (c_t - h_prev[n, j])
                # through tanh of h̃_t = tanh(a_c), a_c = W_cx x_t + b_c + z_t ∘ hn_t
                da_c = g * u_t * (one - c_t * c_t)
                # through σ of E11 (dL/dz = da_c ∘ hn) and of E12
                da_z = da_c * hn[t, n, j] * z_t * (one - z_t)
                da_u = du * u_t * (one - u_t)
                da_h[t, n, j] = da_z
                da_h[t, n, H + j] = da_u
                da_h[t, n, 2 * H + j] = da_c * z_t         # dL/dhn_t
                da_x[t, n, j] = da_z
                da_x[t, n, H + j] = da_u
                da_x[t, n, 2 * H + j] = da_c
        np.dot(da_h[t], W_h, dh_next)                      # [W_zh; W_uh; W_ch]ᵀ da_h   (BLAS)
        for n in range(N):
            for j in range(H):
                dh_next[n, j] += dh_prev[n, j]
        if mask is not None:
            # M1 differentiated: rows past their end hand ∂L/∂h_t on to h_{t−1} unchanged
            keep_rows(mask[t], held, dh_next)
    return dh_next


# ----------------------------------------------------------------------------- wrappers

_GATES = ("W_z", "W_u", "W_c")
# Rows of h shorter than this many bytes (H < 8 in float64, H < 16 in float32: two AVX2
# registers) make the standard GRU's forward run its gate maths over flat (N·H) blocks
# (_forward_loop_standard_narrow); measured by benchmarks/narrow_gru.py, docs/performance.md.
NARROW_ROW_BYTES = 64


def is_narrow(H, dtype):
    """Whether a state of H units of ``dtype`` takes the narrow forward loop."""
    return H * np.dtype(dtype).itemsize < NARROW_ROW_BYTES


def gru_forward_numba(x, h0, p, reset_after, mask=None):
    """The GRU over a sequence. x (N, T, D), h0 (N, H), p as ``minirgan.gru.gru_param_shapes``,
    all one dtype (validated by ``gru_forward``); mask (T, N) booleans or None (M1, see
    masking). Returns h (N, T, H), cache."""
    N, T, D = x.shape
    H = h0.shape[1]
    xs = time_major(x)
    hidden, inputs = slice(0, H), slice(H, H + D)
    # x-parts of E11, E12, E14 for every step at once: [W_zx; W_ux; W_cx] x_t + [b_z, b_u, b_c]
    b_x = np.concatenate([p["b_z"], p["b_u"], p["b_c"]])
    xp = rows(xs) @ stacked_blocks(p, _GATES, inputs).T
    xp += b_x                                              # in place: no second (T·N, 3H) array
    xp = xp.reshape(T, N, 3 * H)
    hs = np.empty((T + 1, N, H), dtype=x.dtype)
    hs[0] = h0
    z, u, r_or_hn, c = (np.empty((T, N, H), dtype=x.dtype) for _ in range(4))
    if reset_after:
        W_hT = np.ascontiguousarray(stacked_blocks(p, _GATES, hidden).T)
        _forward_loop_after(xp, W_hT, p["b_ch"], hs, z, u, r_or_hn, c, mask)
    else:
        W_zuhT = np.ascontiguousarray(stacked_blocks(p, _GATES[:2], hidden).T)
        W_chT = np.ascontiguousarray(p["W_c"][:, hidden].T)
        if is_narrow(H, x.dtype) and mask is None:         # (a masked pass takes the row loops)
            flat = (a.reshape(-1) for a in (hs, z, u, r_or_hn, c))     # views, no copies
            _forward_loop_standard_narrow(xp, W_zuhT, W_chT, hs, z, u, r_or_hn, c, *flat)
        else:
            _forward_loop_standard(xp, W_zuhT, W_chT, hs, z, u, r_or_hn, c, mask)
    cache = {"backend": "numba", "shape": (N, T, D, H), "dtype": x.dtype, "params": p,
             "reset_after": reset_after, "xs": xs, "hs": hs, "z": z, "u": u, "c": c,
             ("hn" if reset_after else "r"): r_or_hn}
    return batch_major(hs[1:]), cache


def gru_backward_numba(dh, cache, need_input_grad=True, need_param_grads=True):
    """BPTT for the GRU. dh (N, T, H). Returns dx (N, T, D), dh0 (N, H), grads shaped as params;
    dx is None with ``need_input_grad=False`` and grads None with ``need_param_grads=False``
    (their products after the loop are skipped; ``validation.backward_needs``)."""
    N, T, D, H = cache["shape"]
    p, xs, hs = cache["params"], cache["xs"], cache["hs"]
    hidden, inputs = slice(0, H), slice(H, H + D)
    mask = cache.get("mask")
    dh, dh_pad = split_upstream(dh, mask)
    dtype = cache["dtype"]
    grads = None
    if cache["reset_after"]:
        da_h = np.empty((T, N, 3 * H), dtype=dtype)
        da_x = np.empty((T, N, 3 * H), dtype=dtype)
        dh0 = _backward_loop_after(dh, hs, cache["z"], cache["u"], cache["hn"], cache["c"],
                                   stacked_blocks(p, _GATES, hidden), da_h, da_x, mask, dh_pad)
        if need_param_grads:
            # Σ_t da_hᵀ h_{t-1} (3H, H) and Σ_t da_xᵀ x_t (3H, D), one product each
            dW_h = rows(da_h).T @ rows(hs[:-1])
            dW_x = rows(da_x).T @ rows(xs)
            grads = split_gate_gradients(dW_h, dW_x, column_sums(rows(da_x)), _GATES)
            grads["b_ch"] = column_sums(rows(da_h)[:, 2 * H:])
    else:
        da_zu = np.empty((T, N, 2 * H), dtype=dtype)
        da_c = np.empty((T, N, H), dtype=dtype)
        dh0 = _backward_loop_standard(dh, hs, cache["z"], cache["u"], cache["c"],
                                      np.ascontiguousarray(p["W_c"][:, hidden]),
                                      stacked_blocks(p, _GATES[:2], hidden), da_zu, da_c, mask, dh_pad)
        da_x = np.concatenate([da_zu, da_c], axis=2)
        if need_param_grads:
            # W_z, W_u act on h_{t-1}; W_c's hidden part acts on r_t (E14)
            dW_h = np.concatenate([rows(da_zu).T @ rows(hs[:-1]), rows(da_c).T @ rows(cache["r"])])
            dW_x = rows(da_x).T @ rows(xs)
            grads = split_gate_gradients(dW_h, dW_x, column_sums(rows(da_x)), _GATES)
    dx = None
    if need_input_grad:
        dx = batch_major((rows(da_x) @ stacked_blocks(p, _GATES, inputs)).reshape(T, N, D))
    return dx, dh0, grads
