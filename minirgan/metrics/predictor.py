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

Parameters: one flat dict with the GRU's and the dense layer's arrays, as in ``classifier``.
Shapes: N batch, T time, F features, H hidden.
"""

import numpy as np

from ..activations import sigmoid, sigmoid_grad
from ..dense import dense_backward, dense_forward
from ..gru import gru_backward, gru_forward
from .classifier import init_classifier, split_params


def prediction_task(x):
    """Split sequences (N, T, F) into predictor inputs (N, T-1, max(F-1, 1)) and targets (N, T-1)."""
    F = x.shape[2]
    inputs = x[:, :-1, :-1] if F > 1 else x[:, :-1, :]
    return inputs, x[:, 1:, -1]


def init_predictor(inputs, hidden, rng):
    """Parameters {GRU: W_z, W_u, W_c (H, H+D), b_z, b_u, b_c (H,); dense: W_hy (1, H), b_y (1,)}, D = inputs.

    The same network shape as the classifier's, so its initialiser is reused.
    """
    return init_classifier(inputs, hidden, rng)


def predictor_forward(u, params, backend=None):
    """Per-step predictions of the predictor.

    Inputs:  u (N, T', D) predictor inputs (from ``prediction_task``); params; backend.
    Returns: y_hat (N, T') in (0, 1), cache for ``predictor_backward``.
    """
    gru, dense = split_params(params, u.shape[2])
    # E11–E15 over the input sequence, from h_0 = 0
    h, gru_cache = gru_forward(u, None, gru, backend=backend)
    # E2 per step: a_t = W_hy h_t + b_y
    a, dense_cache = dense_forward(h, dense)
    # E2 with g = σ: ŷ_t = σ(a_t)
    y_hat = sigmoid(a[..., 0])
    return y_hat, (gru_cache, dense_cache, y_hat)


def predictor_backward(dy_hat, cache):
    """Backward of ``predictor_forward``.

    Inputs:  dy_hat (N, T') upstream gradient on the predictions; the cache.
    Returns: du (N, T', D), grads with the keys of params.
    """
    gru_cache, dense_cache, y_hat = cache
    # E2's sigmoid differentiated: σ' = ŷ (1 − ŷ)
    da = (np.asarray(dy_hat) * sigmoid_grad(y_hat))[..., None]
    dh, grads = dense_backward(da, dense_cache)
    du, _, gru_grads = gru_backward(dh, gru_cache)
    grads.update(gru_grads)
    return du, grads


def mae_loss(y_hat, y):
    """Mean absolute error and its (sub)gradient: (mean |ŷ − y|, sign(ŷ − y) / count).

    TimeGAN trains its predictor on this loss (``absolute_difference``); at ŷ = y the
    subgradient 0 is used.
    """
    diff = y_hat - y
    return float(np.mean(np.abs(diff))), np.sign(diff) / diff.size
