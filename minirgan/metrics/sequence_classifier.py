"""A K-class classifier of sequences, built from minirgan's own recurrent model.

    h_1..h_T = GRU(x_1..x_T)            (E11–E15, h_0 = 0)
    l = W_hy h_T + b_y                   (E2, affine, O = K: one logit per class)
    p = softmax(l)                       trained with the mean cross-entropy −log p_y

It is ``models.Discriminator(readout="last", outputs=K)``: the discriminator's network with K
logits instead of one (no second GRU in the library). Trained with Adam on random batches. The
digit judge (``digit_judge.py``) and TSTR (``tstr.py``) both use it.
Shapes: N sequences, T time steps, F features, K classes.
"""

import numpy as np

from ..datasets.checks import check_count
from ..datasets.sampling import batch_indices
from ..losses import softmax_cross_entropy
from ..models import Discriminator
from ..optim import Adam
from ..activations import softmax
from ..validation import sequence_input
from .protocol import outputs_in_chunks


def class_labels(name, labels, N, n_classes):
    """``labels`` as (N,) int64 in 0..n_classes−1, or a ValueError naming ``name``."""
    y = np.asarray(labels)
    if y.shape != (N,) or y.dtype.kind not in "iu":
        raise ValueError(f"{name} must be ({N},) integers (one class per sequence), got shape "
                         f"{y.shape} dtype {y.dtype}")
    if N and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"{name} must lie in 0..{n_classes - 1}, got {y.min()}..{y.max()}")
    return y.astype(np.int64)


def fit_sequence_classifier(x, labels, n_classes, hidden=32, iterations=600, batch_size=64,
                            lr=1e-2, rng=None, backend=None, lengths=None):
    """Train a K-class recurrent classifier on labelled sequences.

    Inputs:
        x (N, T, F) sequences; labels (N,) integers in 0..K−1; n_classes K (≥ 2).
        hidden H of the GRU; iterations Adam steps (lr, β1 0.9, β2 0.999), each on
        ``batch_size`` sequences (``batch_indices``, the training loop's draw); rng seed or Generator (weights and
        batches); backend for the GRU; lengths (N,): x is a padded batch, the classifier reads
        each sequence's real steps only (its last real state, M1).

    Returns the trained ``Discriminator`` (call :func:`class_probabilities` on it).
    """
    x = sequence_input("x", x)
    n_classes = check_count("n_classes", n_classes, minimum=2)
    y = class_labels("labels", labels, len(x), n_classes)
    iterations = check_count("iterations", iterations)
    batch_size = check_count("batch_size", batch_size)
    rng = np.random.default_rng(rng)
    model = Discriminator(x.shape[2], hidden=check_count("hidden", hidden), readout="last",
                          outputs=n_classes, rng=rng, backend=backend)
    opt = Adam(lr=lr, beta1=0.9, beta2=0.999)
    for _ in range(iterations):
        idx = batch_indices(len(x), batch_size, rng)
        logits, cache = model.forward(x[idx], lengths=None if lengths is None else lengths[idx])
        _, dlogits = softmax_cross_entropy(logits, y[idx])
        _, grads = model.backward(dlogits, cache, need_input_grad=False)
        opt.step(model.params, grads)
    return model


def class_probabilities(model, x, lengths=None):
    """softmax of the classifier's logits: x (N, T, F) [lengths (N,)] -> p (N, K), rows summing to 1."""
    x = sequence_input("x", x)
    if len(x) == 0:
        return np.zeros((0, model.outputs))
    return softmax(outputs_in_chunks(model, x, lengths), axis=1)


def accuracy(model, x, labels, lengths=None):
    """Fraction of the sequences x (N, T, F) [lengths (N,)] whose most probable class is their label (N,)."""
    p = class_probabilities(model, x, lengths)
    y = class_labels("labels", labels, len(p), p.shape[1])
    return float(np.mean(p.argmax(axis=1) == y))
