"""The condition c of a conditional G or D, concatenated to every step's input (CGAN, RCGAN).

A condition is one vector per sequence, c (N, C): the one-hot of a class (C = K) or a vector of
static attributes. Conditional models read it at every time step beside their usual input:

    u_t = [z_t, c]   for the generator        u_t = [x_t, c]   for the discriminator

so the recurrent cell's input weights grow by C columns (W_xh is H × (D + C)) and nothing else
changes: each step's gate pre-activations gain a term W_c c that shifts them per class. The
backward pass splits the input gradient back: the first D columns go to z (or x), the last C to c
(summed over t, since the same c is read at every step).

A conditional generator may instead (or also) start its recurrence from the condition: where c
enters is ``condition_at`` (``CONDITION_ENTRIES``):

    "input" (the default)   u_t = [z_t, c] at every step, the initial states are zeros;
    "state"                 u_t = z_t, and every recurrent layer l starts from
                            h_0^l = tanh(W_h0^l c + b_h0^l)   (an LSTM's c_0^l likewise, below);
    "both"                  u_t = [z_t, c] and the initial states from c.

The initial-state embedding is written once here (``init_state_embedding``,
``initial_states``, ``initial_states_backward``): one affine map and a tanh per state of the
cell, per layer. For an LSTM both of its states start from c, each with its own weights
(h_0 = tanh(W_h0 c + b_h0), c_0 = tanh(W_c0 c + b_c0)): c_0 is the state the forget gate keeps,
so leaving it at zero would hand the class only to h_0, which the first step's output gate
already overwrites. Shapes: N batch, T time, D input, C condition, H hidden.
"""

import numpy as np

from ..activations import activation_backward, tanh
from ..dense import dense_backward, dense_forward, init_dense_params
from ..validation import as_float_array
from .params import prefixed, unprefixed

# where a conditional generator reads its condition: every step's input, its initial state, both
CONDITION_ENTRIES = ("input", "state", "both")


def check_condition_dim(condition_dim):
    """C as an int >= 0 (0: an unconditional model), or a ValueError naming it."""
    if not (isinstance(condition_dim, (int, np.integer)) and not isinstance(condition_dim, bool)
            and condition_dim >= 0):
        raise ValueError(f"condition_dim must be an integer >= 0, got {condition_dim!r}")
    return int(condition_dim)


def check_condition_at(condition_at, condition_dim):
    """``condition_at`` if it is one of CONDITION_ENTRIES and fits C (a condition in the state
    needs a condition, C > 0), else a ValueError naming it."""
    if condition_at not in CONDITION_ENTRIES:
        raise ValueError(f"condition_at must be one of {CONDITION_ENTRIES}, got {condition_at!r}")
    if condition_at != "input" and condition_dim == 0:
        raise ValueError(f"condition_at={condition_at!r} sets the initial state from the condition, "
                         f"so the model needs one (condition_dim > 0, got 0)")
    return condition_at


def reads_input(condition_at):
    """Whether c is concatenated to every step's input ("input", "both")."""
    return condition_at in ("input", "both")


def sets_state(condition_at):
    """Whether the initial states are computed from c ("state", "both")."""
    return condition_at in ("state", "both")


def checked_condition(condition, condition_dim, N, dtype):
    """The condition c as an (N, C) array of ``dtype``; None for an unconditional model (C = 0).
    A missing, unexpected or misshapen condition is a ValueError saying which."""
    if condition_dim == 0:
        if condition is not None:
            raise ValueError("condition given to a model built without one (condition_dim=0)")
        return None
    if condition is None:
        raise ValueError(f"this model is conditional: pass condition, an array (N, {condition_dim})")
    c = as_float_array("condition", condition)
    if c.shape != (N, condition_dim):
        raise ValueError(f"condition must have shape (N, C) = ({N}, {condition_dim}), got {c.shape}")
    return c.astype(dtype, copy=False)


def with_condition(u, condition, condition_dim, dtype):
    """u (N, T, D) and c (N, C) -> [u_t, c] at every step, (N, T, D + C); u itself if C = 0."""
    N, T, _ = u.shape
    c = checked_condition(condition, condition_dim, N, dtype)
    if c is None:
        return u
    # u_t = [u_t, c]: the same c at every step t
    return np.concatenate([u, np.broadcast_to(c[:, None, :], (N, T, condition_dim))], axis=2)


def split_condition_grad(du, condition_dim):
    """Backward of ``with_condition``: du (N, T, D + C) -> (d input (N, T, D), dc (N, C) = Σ_t)."""
    if condition_dim == 0:
        return du, None
    return du[..., :-condition_dim], du[..., -condition_dim:].sum(axis=1)


# ---------------------------------------------------------------- the condition in the initial state

def embedding_prefix(layer):
    """The flat-dict prefix of layer l's initial-state embedding: "init0", "init1", …"""
    return f"init{layer}"


def init_state_embedding(layers, condition_dim, hidden, states, rng, dtype=np.float64):
    """Fresh weights of the initial-state embedding of ``layers`` recurrent layers, flat and
    prefixed: per layer l and per state s of the cell (``Cell.states``: ("h",) or ("h", "c")),
    ``init{l}.W_{s}0`` (H, C), Glorot-uniform as a dense layer's, and ``init{l}.b_{s}0`` (H,),
    zeros. Drawn from ``rng`` in the order layer by layer, state by state."""
    params = {}
    for l in range(layers):
        for s in states:
            dense = init_dense_params(condition_dim, hidden, rng, dtype)
            params.update(prefixed(embedding_prefix(l), {f"W_{s}0": dense["W_hy"], f"b_{s}0": dense["b_y"]}))
    return params


def initial_states(c, params, layers, states):
    """c (N, C) and the embedding's params -> per layer a state tuple (each (N, H), in the order
    of ``states``), the initial states the recurrent stack starts from; and the cache."""
    out, caches = [], []
    for l in range(layers):
        p = unprefixed(embedding_prefix(l), params)
        layer_states, layer_caches = [], []
        for s in states:
            # Not one of the seeds' equations: CGAN's conditioning (Mirza & Osindero 2014), which
            # RCGAN (Esteban et al. 2017) applies at every step's input, applied to the state:
            # h_0 = tanh(W_h0 c + b_h0)   (an LSTM's c_0 = tanh(W_c0 c + b_c0) likewise)
            a, dense_cache = dense_forward(c, {"W_hy": p[f"W_{s}0"], "b_y": p[f"b_{s}0"]})
            s0 = tanh(a)
            layer_states.append(s0)
            layer_caches.append((s0, dense_cache))
        out.append(tuple(layer_states))
        caches.append(layer_caches)
    return out, (caches, tuple(states))


def initial_states_backward(dstates0, cache):
    """Backward of ``initial_states``: per layer the gradients on its initial states (tuples like
    the states) -> (dc (N, C), summed over layers and states; grads, flat and prefixed like the
    params)."""
    caches, states = cache
    grads, dc = {}, 0.0
    for l, (layer_caches, layer_dstates) in enumerate(zip(caches, dstates0)):
        for s, (s0, dense_cache), ds0 in zip(states, layer_caches, layer_dstates):
            # h_0 = tanh(a) differentiated: dL/da = dL/dh_0 ∘ (1 − h_0²)
            da = activation_backward("tanh", ds0, None, s0)
            # a = W_h0 c + b_h0 differentiated: dL/dc = W_h0ᵀ da, dL/dW_h0 = Σ_n da cᵀ, dL/db_h0 = Σ_n da
            dc_s, g = dense_backward(da, dense_cache)
            dc = dc + dc_s
            grads.update(prefixed(embedding_prefix(l), {f"W_{s}0": g["W_hy"], f"b_{s}0": g["b_y"]}))
    return dc, grads


def mismatched(condition, rng):
    """For one-hot rows c (N, K), one-hot rows of a *different* class, drawn uniformly among the
    K − 1 others: the "real sequence, wrong condition" pairs of a matching-aware D."""
    c = np.asarray(condition)
    N, K = c.shape
    shift = rng.integers(1, K, size=N)               # 1..K−1: never the class itself
    return one_hot((c.argmax(axis=1) + shift) % K, K, dtype=c.dtype)


def one_hot(classes, n_classes, dtype=np.float64):
    """classes (N,) integers in 0..K−1 -> one-hot rows (N, K)."""
    classes = np.asarray(classes)
    if classes.ndim != 1 or classes.dtype.kind not in "iu" or (
            classes.size and (classes.min() < 0 or classes.max() >= n_classes)):
        raise ValueError(f"classes must be a 1-D array of integers in 0..{n_classes - 1}, got "
                         f"shape {classes.shape} dtype {classes.dtype}")
    out = np.zeros((len(classes), n_classes), dtype=dtype)
    out[np.arange(len(classes)), classes] = 1.0
    return out
