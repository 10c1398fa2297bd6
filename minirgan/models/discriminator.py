"""The recurrent discriminator D: a sequence x_1..x_T in, one logit per sequence out.

x (N, T, F) → stacked recurrent layers → states h_1..h_T → a dense layer → logit l (N,).
D(x) = σ(l) is the probability that x is real; the losses take the logit itself, so
nothing saturates or overflows (see ``minirgan.losses``). Three readouts:

``"last"`` (A1, A2)            l = W_hy h_T + b_y, the last state sums up the sequence.
``"mean"``                    l = W_hy mean_t(h_t) + b_y, every step counts equally.
``"per_step"`` (default; E10) l_t = W_hy h_t + b_y scores each step (each state has seen
                              the window of inputs up to t, as E10's g(y_{t−1}, …, y_{t−n})),
                              and l = mean_t l_t averages the per-step logits.

With ``outputs=K > 1`` the same network is a K-class sequence classifier: the head gives K
logits per sequence (N, K) instead of one (the post-hoc digit judge and TSTR of
``minirgan.metrics`` use it so; the readouts apply to each of the K logits alike).

Conditional (``condition_dim = C > 0``): D reads the condition c (N, C) beside each step's input,
u_t = [x_t, c] (``condition.py``), so it judges "is x a real sequence *of class c*".

Parameters live in one flat dict ``params`` ({"rnn0.W_z": …, "out.W_hy": …}); ``backward``
returns gradients with the same keys and the gradient on the input, which is how the
generator's loss reaches the generator (step 8 of ``minirgan.train.train_step``). A caller that
uses only one of the two says so (``need_input_grad=False`` for D's own update,
``need_param_grads=False`` in the generator's step) and the other is not computed.
Shapes: N batch, T time, F features, H hidden.
"""

import numpy as np

from ..ragged import mean_over_real_steps, spread_over_real_steps, time_weights
from ..dense import dense_backward, dense_forward, init_dense_params
from ..validation import backward_needs, check_count, sequence_input, upstream_gradient
from . import defaults
from .condition import check_condition_dim, split_condition_grad, with_condition
from .params import prefixed, unprefixed
from .stack import RecurrentStack

READOUTS = ("last", "mean", "per_step")


class Discriminator:
    """Recurrent discriminator (critic for WGAN); see the module docstring for the readouts.

    Parameters (defaults: ``minirgan.models.defaults``, the same as ``TrainConfig``'s)
    ----------
    features : F of the sequences it scores.  hidden : H (default 32).  layers : L; dropout
    between them (A0).  cell : "gru" (default), "lstm" or "rnn".  readout : "per_step"
    (default, E10), "last" or "mean".  activation : f of E1 for the rnn cell ("tanh" or "relu").
    rng : seed or Generator for the initial weights; dtype : float64 (default) or float32;
    backend : "numpy", "numba" or None (package default).
    outputs : O logits per sequence: 1 (default, logits (N,)) or K > 1 (a classifier, (N, K)).
    condition_dim : C, the size of the condition c read at every step (0, the default:
        unconditional).
    """

    def __init__(self, features, hidden=defaults.HIDDEN, layers=defaults.LAYERS, cell=defaults.CELL,
                 readout=defaults.READOUT, dropout=defaults.DROPOUT, rng=None, dtype=np.float64,
                 backend=None, outputs=1, condition_dim=0, activation=defaults.ACTIVATION):
        if readout not in READOUTS:
            raise ValueError(f"readout must be one of {READOUTS}, got {readout!r}")
        self.features, self.readout, self.backend = int(features), readout, backend
        self.outputs = check_count("outputs", outputs)
        self.condition_dim = check_condition_dim(condition_dim)
        self.dtype = np.dtype(dtype)
        self.stack = RecurrentStack(cell, features + self.condition_dim, hidden, layers, dropout, activation)
        rng = np.random.default_rng(rng)
        self.params = self.stack.init_params(rng, self.dtype)
        self.params.update(prefixed("out", init_dense_params(hidden, self.outputs, rng, self.dtype)))

    def forward(self, x, training=False, rng=None, condition=None, lengths=None):
        """x (N, T, F) [, condition c (N, C)] -> logits (N,) (or (N, K) when outputs = K > 1), cache. ``training`` turns dropout on (needs ``rng``).

        ``lengths`` (N,) makes x a padded batch (row n is x[n, :lengths[n]]): only the real
        steps are scored. The stack carries each state past its row's end (M1), so "last" reads
        h_{L_n}; "mean" and "per_step" average over the real steps only (M2, ``ragged.py``)."""
        x = sequence_input("x", x)
        if x.shape[2] != self.features:
            raise ValueError(f"x must have shape (N, T, F) with F = {self.features}, got {x.shape}")
        x = x.astype(self.dtype, copy=False)
        # conditional: u_t = [x_t, c] at every step (condition.py); x itself when C = 0
        x = with_condition(x, condition, self.condition_dim, self.dtype)
        h, stack_cache = self.stack.forward(x, self.params, training, rng, self.backend,
                                            lengths=lengths)
        N, T = x.shape[:2]
        w = None if lengths is None else time_weights(lengths, N, T, self.dtype)   # m_t / L_n
        if self.readout == "last":
            summary = h[:, -1]                       # h_T  (N, H); = h_{L_n} when padded (M1)
        elif self.readout == "mean" and w is not None:
            summary = mean_over_real_steps(h, w)     # M2: Σ_t m_t h_t / L_n  (N, H)
        elif self.readout == "mean":
            summary = h.mean(axis=1)                 # (1/T) Σ_t h_t  (N, H)
        else:
            summary = h                              # every h_t  (N, T, H)
        # E2 as the head: l = W_hy s + b_y   (s = h_T, mean_t h_t, or each h_t)
        logits, dense_cache = dense_forward(summary, unprefixed("out", self.params))
        if self.outputs == 1:
            logits = logits[..., 0]
        if self.readout == "per_step" and w is not None:
            # E10 with M2: score each step, then average the logits of the real steps only
            logits = mean_over_real_steps(logits, w)
        elif self.readout == "per_step":
            # E10: score each step, then average the per-step logits
            logits = logits.mean(axis=1)
        return logits, (stack_cache, dense_cache, h.shape, w)

    def backward(self, dlogits, cache, need_input_grad=True, need_param_grads=True):
        """dlogits (N,) (or (N, K) when outputs = K > 1) -> dx (N, T, F), grads (keys of ``params``).

        ``need_input_grad=False`` skips dx, ``need_param_grads=False`` the grads (each then
        None; ``validation.backward_needs``): the rest is computed exactly as with both."""
        need_input_grad, need_param_grads = backward_needs(need_input_grad, need_param_grads)
        stack_cache, dense_cache, h_shape, w = cache
        N, T, H = h_shape
        shape = (N,) if self.outputs == 1 else (N, self.outputs)
        dlogits = upstream_gradient("dlogits", dlogits, shape, self.dtype).reshape(N, self.outputs)
        if self.readout == "per_step" and w is not None:
            dl = spread_over_real_steps(dlogits, w)               # M2 differentiated
        elif self.readout == "per_step":
            dl = np.repeat(dlogits[:, None], T, axis=1) / T       # mean over t, differentiated
        else:
            dl = dlogits
        dsummary, out_grads = dense_backward(dl, dense_cache, need_param_grads=need_param_grads)
        if self.readout == "last":
            dh = np.zeros(h_shape, dtype=self.dtype)
            dh[:, -1] = dsummary
        elif self.readout == "mean" and w is not None:
            dh = spread_over_real_steps(dsummary, w)              # M2 differentiated
        elif self.readout == "mean":
            dh = np.repeat(dsummary[:, None, :], T, axis=1) / T
        else:
            dh = dsummary
        du, grads = self.stack.backward(dh, stack_cache, need_input_grad, need_param_grads)
        if need_param_grads:
            grads.update(prefixed("out", out_grads))
        return (split_condition_grad(du, self.condition_dim)[0] if need_input_grad else None), grads
