"""The remember-one-bit task of tutorials 4 and 12 (C1): a recurrent classifier must carry the
sign of its first input across T − 1 steps of noise.

Shared by the tutorials so both measure the same task with the same training loop. The model is
``minirgan.models.Discriminator`` with a last-state readout (a sequence classifier), trained with
E5's binary cross-entropy (class 1 plays "real", class 0 "generated") by Adam or SGD.
"""

import numpy as np

from minirgan.losses import discriminator_loss
from minirgan.models import Discriminator
from minirgan.optim import SGD, Adam, clip_by_global_norm, global_norm


def memory_batch(rng, N, T, noise=1.0):
    """x (N, T, 1): x_1 = ±1 (the bit to remember), then noise; y (N,) in {0, 1}."""
    y = rng.integers(0, 2, N)
    x = noise * rng.standard_normal((N, T, 1))
    x[:, 0, 0] = 2.0 * y - 1.0
    return x, y


def labelled_bce(logits, y):
    """E5's binary cross-entropy as a classification loss: class 1 plays "real", class 0
    "generated". Returns (loss, d loss / d logits)."""
    loss, d_pos, d_neg = discriminator_loss(logits[y == 1], logits[y == 0])
    dlogits = np.empty_like(logits)
    dlogits[y == 1], dlogits[y == 0] = d_pos, d_neg
    return loss, dlogits


def memory_model(cell, seed, H=16, backend="numpy", init=None):
    """A fresh one-layer classifier; ``init(params)`` may change its initial weights in place."""
    model = Discriminator(1, hidden=H, cell=cell, readout="last", rng=seed, backend=backend)
    if init is not None:
        init(model.params)
    return model


def train_memory(cell, T, iterations, seed, H=16, N=64, optimizer="adam", lr=1e-2, clip=None,
                 init=None, backend="numba"):
    """Train on the memory task at lag T; returns (test accuracy on 1,000 fresh sequences, history
    with the loss and the gradient norm before clipping of every iteration). The numba kernels
    by default: they compute the NumPy reference's numbers, several times faster."""
    rng = np.random.default_rng(seed)
    model = memory_model(cell, seed, H, backend, init)
    opt = Adam(lr=lr, beta1=0.9) if optimizer == "adam" else SGD(lr=lr, momentum=0.9)
    history = {"loss": [], "grad_norm": []}
    for _ in range(iterations):
        x, y = memory_batch(rng, N, T)
        logits, cache = model.forward(x)
        loss, dlogits = labelled_bce(logits, y)
        _, grads = model.backward(dlogits, cache)
        if clip is not None:                          # C2: rescale all gradients together
            grads, norm = clip_by_global_norm(grads, clip)
        else:
            norm = global_norm(grads)
        history["loss"].append(loss)
        history["grad_norm"].append(norm)
        if not np.isfinite(loss):
            break
        opt.step(model.params, grads)
    x, y = memory_batch(np.random.default_rng(12345), 1000, T)
    accuracy = float(np.mean((model.forward(x)[0] > 0) == (y == 1)))
    return accuracy, history
