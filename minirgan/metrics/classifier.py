"""The post-hoc sequence classifier of the discriminative score: GRU → last state → dense → logit.

TimeGAN's discriminative score trains this small network to tell real sequences from generated
ones. It is built from minirgan's own pieces, each with its equation:

    h_1..h_T = GRU(x_1..x_T)            (E11–E15, standard GRU, h_0 = 0)
    l = W_hy h_T + b_y                   (E2, affine, O = 1: one logit per sequence)

and is trained with binary cross-entropy from the logit (E5 as a loss: label 1 real, 0 fake).

Parameters live in one flat dict: the GRU's ``W_z b_z W_u b_u W_c b_c`` and the dense layer's
``W_hy b_y`` (the names do not collide), so one :class:`minirgan.optim.Adam` updates them all.
Shapes: N batch, T time, F features, H hidden.
"""

import numpy as np

from ..dense import dense_backward, dense_forward, init_dense_params
from ..gru import gru_backward, gru_forward, gru_param_shapes, init_gru_params

DENSE_KEYS = ("W_hy", "b_y")


def default_hidden(features):
    """TimeGAN's hidden size for the post-hoc models: ``max(1, F // 2)``."""
    return max(1, int(features) // 2)


def init_classifier(features, hidden, rng):
    """Parameters {GRU (E11–E15): W_z, W_u, W_c (H, H+F), b_z, b_u, b_c (H,); dense: W_hy (1, H), b_y (1,)}."""
    rng = np.random.default_rng(rng)
    params = init_gru_params(features, hidden, rng)
    params.update(init_dense_params(hidden, 1, rng))
    return params


def split_params(params, features):
    """(GRU parameters, dense parameters) of a flat dict holding both."""
    hidden = params["W_z"].shape[0]
    gru = {k: params[k] for k in gru_param_shapes(features, hidden)}
    dense = {k: params[k] for k in DENSE_KEYS}
    return gru, dense


def classifier_forward(x, params, backend=None):
    """Logits of the post-hoc classifier.

    Inputs:  x (N, T, F); params from ``init_classifier``; backend for the GRU.
    Returns: logits (N,), cache for ``classifier_backward``.
    """
    gru, dense = split_params(params, x.shape[2])
    # E11–E15 over the whole sequence, from h_0 = 0
    h, gru_cache = gru_forward(x, None, gru, backend=backend)
    # E2 with O = 1: l = W_hy h_T + b_y, read from the last state only
    logits, dense_cache = dense_forward(h[:, -1], dense)
    return logits[:, 0], (gru_cache, dense_cache, h.shape)


def classifier_backward(dlogits, cache):
    """Backward of ``classifier_forward``.

    Inputs:  dlogits (N,) upstream gradient on the logits; the cache.
    Returns: dx (N, T, F), grads with the keys of params.
    """
    gru_cache, dense_cache, h_shape = cache
    dh_last, grads = dense_backward(np.asarray(dlogits)[:, None], dense_cache)
    # only h_T reaches the logit: the upstream gradient on h_1..h_{T-1} is zero
    dh = np.zeros(h_shape, dtype=dh_last.dtype)
    dh[:, -1] = dh_last
    dx, _, gru_grads = gru_backward(dh, gru_cache)
    grads.update(gru_grads)
    return dx, grads
