"""The post-hoc one-step-ahead predictor of the predictive score: GRU → per-step dense → sigmoid.

TimeGAN's predictive score ("train on synthetic, test on real") fits this network to predict
the last feature one step ahead from the other features:

    inputs  u_t = x_t[:F-1]                 for t = 1..T-1
    h_1..h_{T-1} = GRU(u_1..u_{T-1})        (E11–E15, standard GRU, h_0 = 0)
    ŷ_t = σ(W_hy h_t + b_y)                 (E2 with g = sigmoid, O = 1)
    target  y_t = x_{t+1}[F-1]

so the data are expected in [0, 1] (min-max scaled), the sigmoid's range. With a single
feature (F = 1) there are no "other features"; the predictor then reads the feature's own past,
u_t = x_t (a documented extension; TimeGAN's protocol needs F ≥ 2).

The network is built from the models' pieces: a :class:`~minirgan.models.RecurrentStack` of one
GRU layer and E2's dense layer, with the models' flat parameter dict ({"rnn0.W_z": …,
"out.W_hy": …}), so the GRU runs on the numba kernels when that backend is selected.
The context-FID encoder (``context_encoder.py``) is the same network with O = F outputs.
Shapes: N batch, T' = T − 1 time, D = max(F − 1, 1) inputs, H hidden, O outputs.
"""

import numpy as np

from ..activations import sigmoid, sigmoid_grad
from ..dense import dense_backward, dense_forward, init_dense_params
from ..models import RecurrentStack
from ..models.params import prefixed, unprefixed
from ..ragged import real_steps
from ..validation import backward_needs, sequence_input, upstream_gradient


def prediction_task(x):
    """Split sequences (N, T, F) into predictor inputs (N, T-1, max(F-1, 1)) and targets (N, T-1, 1)."""
    F = x.shape[2]
    inputs = x[:, :-1, :-1] if F > 1 else x[:, :-1, :]
    return inputs, x[:, 1:, -1:]


class Predictor:
    """u (N, T', D) → one GRU layer → per step ŷ_t = σ(W_hy h_t + b_y), ŷ (N, T', O) in (0, 1).

    Parameters: inputs D, hidden H, outputs O (1 for the predictive score; F for the context-FID
    encoder, which predicts every feature); rng seed or Generator for the initial weights (the
    GRU's, then the dense layer's, as every model draws them); backend "numpy", "numba" or None.
    """

    def __init__(self, inputs, hidden, outputs=1, rng=None, backend=None):
        self.backend = backend
        self.stack = RecurrentStack("gru", inputs, hidden)
        rng = np.random.default_rng(rng)
        self.params = self.stack.init_params(rng)
        self.params.update(prefixed("out", init_dense_params(hidden, outputs, rng)))

    def forward(self, u, lengths=None):
        """u (N, T', D) -> predictions ŷ (N, T', O), cache. ``lengths`` (N,): u is a padded
        batch (the GRU carries each state past its row's end, M1)."""
        u = sequence_input("u", u)
        if u.shape[2] != self.stack.input_size:
            raise ValueError(f"u must have shape (N, T', D) with D = {self.stack.input_size}, "
                             f"got {u.shape}")
        # E11–E15 over the input sequence, from h_0 = 0
        h, stack_cache = self.stack.forward(u, self.params, backend=self.backend, lengths=lengths)
        # E2 per step: a_t = W_hy h_t + b_y
        a, dense_cache = dense_forward(h, unprefixed("out", self.params))
        # E2 with g = σ: ŷ_t = σ(a_t)
        y_hat = sigmoid(a)
        return y_hat, (stack_cache, dense_cache, y_hat)

    def backward(self, dy_hat, cache, need_input_grad=True):
        """dy_hat (N, T', O) upstream gradient on ŷ -> du (N, T', D), grads (keys of ``params``).

        Training needs only the grads: ``need_input_grad=False`` skips du (None)."""
        need_input_grad, _ = backward_needs(need_input_grad, True)
        stack_cache, dense_cache, y_hat = cache
        dy_hat = upstream_gradient("dy_hat", dy_hat, y_hat.shape, y_hat.dtype)
        # E2's sigmoid differentiated: σ' = ŷ (1 − ŷ)
        da = dy_hat * sigmoid_grad(y_hat)
        dh, out_grads = dense_backward(da, dense_cache)
        du, grads = self.stack.backward(dh, stack_cache, need_input_grad)
        grads.update(prefixed("out", out_grads))
        return du, grads


def mae_loss(y_hat, y):
    """Mean absolute error and its (sub)gradient: (mean |ŷ − y|, sign(ŷ − y) / count).

    TimeGAN trains its predictor on this loss (``absolute_difference``); at ŷ = y the
    subgradient 0 is used.
    """
    diff = y_hat - y
    return float(np.mean(np.abs(diff))), np.sign(diff) / diff.size


def target_lengths(lengths):
    """The lengths (N,) of the prediction task's rows (T' = T − 1 steps) from the sequences'
    lengths (N,): L_n − 1 inputs and targets, at least 1 (a sequence of one step has no target;
    ``masked_mae_loss`` leaves its one padded row out)."""
    return np.maximum(np.asarray(lengths) - 1, 1)


def masked_mae_loss(y_hat, y, lengths):
    """``mae_loss`` over the real targets of a padded batch only (``target_lengths``):
    (Σ m |ŷ − y| / Σ m, m ∘ sign(ŷ − y) / Σ m), Σ m counted over the (N, T − 1) targets."""
    m = real_steps(target_lengths(lengths), y.shape[0], y.shape[1])[:, :, None]
    m = m * (np.asarray(lengths) > 1)[:, None, None]
    count = max(float(m.sum()) * y.shape[2], 1.0)
    diff = y_hat - y
    # mean over the real targets only (M2's mean across the batch)
    return float(np.sum(m * np.abs(diff)) / count), m * np.sign(diff) / count
