"""The GRU of S3 §3.1 (E11–E15), NumPy reference: one step, then sequences built from steps.

Names follow the seed: ``z`` is what S3 calls the *reset* gate (E11), ``u`` the
*update* gate (E12). Every weight acts on the concatenation ``[h_{t-1}, x_t]``,
h first, so ``W_z``, ``W_u`` and the candidate weight ``W_c`` (E14's ``W``) are
H x (H + D). Column-vector convention; the batched code computes ``hx @ W.T``.

Two placements of the reset gate:

* ``reset_after=False`` (default) — the standard GRU of Cho et al. (2014), which is
  E14 with its erratum applied: the bracket holds ``r_t = z_t ∘ h_{t-1}`` (E13)
  once, not ``r_t ∘ h_{t-1}`` (which would multiply by h_{t-1} twice)::

      h̃_t = tanh(W_c · [z_t ∘ h_{t-1}, x_t] + b_c)

* ``reset_after=True`` — the framework form (PyTorch, cuDNN, Keras ``reset_after``),
  reset applied after the recurrent product, with one extra recurrent bias ``b_ch``::

      h̃_t = tanh(W_cx x_t + b_c + z_t ∘ (W_ch h_{t-1} + b_ch)),   W_c = [W_ch | W_cx]

Mapping to ``torch.nn.GRU`` (gate rows in PyTorch's order r, z, n; use reset_after=True)::

      W_z = [W_hr | W_ir]      b_z = b_ir + b_hr        (PyTorch's r is our z)
      W_u = -[W_hz | W_iz]     b_u = -(b_iz + b_hz)     (PyTorch's z equals 1 - u)
      W_c = [W_hn | W_in]      b_c = b_in,  b_ch = b_hn

The step math is below; the checks, the time loop and the numba switch that turn it into
the public functions come from :class:`minirgan.recurrence.Cell` (``GRU`` at the bottom).

Shapes: N batch, T time, D input features, H hidden units.
"""

import numpy as np

from . import activations as act
from .recurrence import Cell, init_uniform, numba_kernel


def gru_param_shapes(D, H, reset_after=False):
    """The shape of every GRU parameter, by name (``b_ch`` only with reset_after)."""
    shapes = {"W_z": (H, H + D), "b_z": (H,), "W_u": (H, H + D), "b_u": (H,),
              "W_c": (H, H + D), "b_c": (H,)}
    if reset_after:
        shapes["b_ch"] = (H,)
    return shapes


def init_gru_params(D, H, rng=None, dtype=np.float64, reset_after=False):
    """GRU parameters drawn U(-1/sqrt(H), 1/sqrt(H)) as PyTorch does; zero biases."""
    shapes = lambda D, H: gru_param_shapes(D, H, reset_after)
    return init_uniform(shapes, D, H, rng, dtype, "init_gru_params")


# ----------------------------------------------------------------------------- the math of one step

def _step_forward(x_t, states, p, reset_after):
    (h_prev,) = states
    H = h_prev.shape[1]
    hx = np.concatenate([h_prev, x_t], axis=1)                 # [h_{t-1}, x_t]  (N, H+D)
    # E11: z_t = σ(W_z · [h_{t-1}, x_t] + b_z)
    z = act.sigmoid(hx @ p["W_z"].T + p["b_z"])
    # E12: u_t = σ(W_u · [h_{t-1}, x_t] + b_u)
    u = act.sigmoid(hx @ p["W_u"].T + p["b_u"])
    if reset_after:
        # framework form: h̃_t = tanh(W_cx x_t + b_c + z_t ∘ (W_ch h_{t-1} + b_ch))
        hn = h_prev @ p["W_c"][:, :H].T + p["b_ch"]
        c = np.tanh(x_t @ p["W_c"][:, H:].T + p["b_c"] + z * hn)
        rx = hn                                                 # kept for backward
    else:
        # E13: r_t = h_{t-1} ∘ z_t
        r = h_prev * z
        rx = np.concatenate([r, x_t], axis=1)
        # E14 (erratum applied): h̃_t = tanh(W_c · [r_t, x_t] + b_c)
        c = np.tanh(rx @ p["W_c"].T + p["b_c"])
    # E15: h_t = (1 − u_t) ∘ h_{t−1} + u_t ∘ h̃_t
    h = (1.0 - u) * h_prev + u * c
    return (h,), (hx, z, u, rx, c, h)


def _step_backward(dstates, step_cache, p, reset_after):
    (dh,) = dstates
    hx, z, u, rx, c, h = step_cache
    H = z.shape[1]
    h_prev, x_t = hx[:, :H], hx[:, H:]
    # E15 differentiated with respect to h_{t-1}, u_t and h̃_t
    dh_prev = dh * (1.0 - u)
    du = dh * (c - h_prev)
    dc = dh * u
    # through tanh of E14: tanh' = 1 - h̃^2
    dac = dc * act.tanh_grad(c)
    if reset_after:
        hn = rx
        dz = dac * hn
        dhn = dac * z
        dW_c = np.concatenate([dhn.T @ h_prev, dac.T @ x_t], axis=1)
        dh_prev = dh_prev + dhn @ p["W_c"][:, :H]
        dx = dac @ p["W_c"][:, H:]
        extra = {"b_ch": dhn.sum(axis=0)}
    else:
        dW_c = dac.T @ rx
        drx = dac @ p["W_c"]
        dr, dx = drx[:, :H], drx[:, H:]
        # E13 differentiated: r = h_{t-1} ∘ z
        dh_prev = dh_prev + dr * z
        dz = dr * h_prev
        extra = {}
    # through the sigmoids of E11 and E12: σ' = σ (1 − σ)
    daz = dz * act.sigmoid_grad(z)
    dau = du * act.sigmoid_grad(u)
    dhx = daz @ p["W_z"] + dau @ p["W_u"]
    dh_prev = dh_prev + dhx[:, :H]
    dx = dx + dhx[:, H:]
    grads = {"W_z": daz.T @ hx, "b_z": daz.sum(axis=0), "W_u": dau.T @ hx, "b_u": dau.sum(axis=0),
             "W_c": dW_c, "b_c": dac.sum(axis=0), **extra}
    return dx, (dh_prev,), grads


# The GRU as every layer above sees it (minirgan.cells lists it): reset_after picks the
# placement of the reset gate (False: E14 corrected, the default; True: the framework form).
GRU = Cell(
    name="gru", states=("h",), options={"reset_after": (False, True)},
    param_shapes=gru_param_shapes, init=init_gru_params,
    step_forward=_step_forward, step_backward=_step_backward,
    numba_forward=numba_kernel("gru_kernels", "gru_forward_numba"),
    numba_backward=numba_kernel("gru_kernels", "gru_backward_numba"),
)


# ----------------------------------------------------------------------------- the public functions

def gru_step_forward(x_t, h_prev, params, reset_after=False):
    """One GRU step (E11–E15).

    Inputs:  x_t (N, D), h_prev (N, H) or None for zeros, params {W_z, W_u, W_c (H, H+D);
             b_z, b_u, b_c (H,); b_ch (H,) with reset_after}.
    Returns: h_next (N, H), cache for ``gru_step_backward``.
    """
    (h,), cache = GRU.step(x_t, (h_prev,), params, reset_after=reset_after)
    return h, cache


def gru_step_backward(dh_next, cache):
    """Backward of one GRU step.

    Inputs:  dh_next (N, H); cache from ``gru_step_forward``.
    Returns: dx_t (N, D), dh_prev (N, H), grads shaped as params.
    """
    dx, (dh_prev,), grads = GRU.step_back((dh_next,), cache)
    return dx, dh_prev, grads


def gru_forward(x, h0, params, reset_after=False, backend=None, lengths=None):
    """The GRU over a whole sequence, built from the step of ``gru_step_forward``.

    Inputs:  x (N, T, D); h0 (N, H) or None for zeros; params as in ``gru_param_shapes``;
             reset_after False (standard, E14 corrected) or True (PyTorch/Keras form);
             backend "numpy", "numba" or None (the package default);
             lengths (N,) integers in 1..T for a padded batch, or None (all T steps).
    Returns: h (N, T, H) every hidden state; cache for ``gru_backward``.
    With ``lengths``, the masked update M1 carries each h past its sequence's end unchanged
    (docs/masking.md).
    """
    return GRU.forward(x, (h0,), params, backend, lengths, reset_after=reset_after)


def gru_backward(dh, cache):
    """Backprop through time for the GRU.

    Inputs:  dh (N, T, H) upstream gradient on every hidden state; cache from ``gru_forward``.
    Returns: dx (N, T, D), dh0 (N, H), grads shaped as params.
    After a forward with ``lengths``, dx is zero on the padded steps.
    Neither ``dh`` nor the cache is modified.
    """
    dx, (dh0,), grads = GRU.backward(dh, cache)
    return dx, dh0, grads
