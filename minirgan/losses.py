"""GAN losses computed from the discriminator's logits, with their gradients (E3–E8, C6, S4 FAQ).

The discriminator ends in a dense layer whose raw output ``l`` is a *logit*; D(x) = σ(l) is the
probability that x is real. Every loss here takes logits, never probabilities, because
``log σ(l)`` and ``log(1 − σ(l))`` computed through σ overflow or round to log(0) = −inf for
|l| of a few dozen. Written with the softplus ``softplus(a) = log(1 + e^a)`` they are exact:

    log σ(l)      = −softplus(−l)
    log(1 − σ(l)) = −softplus(l)

and ``np.logaddexp(0, a)`` evaluates softplus without overflow, so logits of ±1000 give finite
losses and gradients with no NumPy warnings.

Every loss function returns the loss (a Python float, a mean) together with the gradient of that
loss with respect to each logit array, shaped like the input. Logits may have any shape: (N,),
(N, 1), or (N, T) per-step scores (E10) — the mean runs over every entry. The real and the
generated batch may differ in size; each term is a mean over its own batch.

Loss kinds (``LOSSES``), each a pair (discriminator loss, generator loss), both *minimised*:

* "nonsaturating" (default): D minimises BCE, −mean log D(x) − mean log(1 − D(G(z))) (E5);
  G minimises −mean log D(G(z)) (C6).
* "minimax": the same D loss (E5); G minimises mean log(1 − D(G(z))) (E4, saturating).
* "lsgan" (S4 FAQ): D minimises ½ mean (l_x − 1)² + ½ mean l_G²; G minimises ½ mean (l_G − 1)².
* "wgan" (S4 FAQ): the critic minimises mean l_G − mean l_x; G minimises −mean l_G.

(l_x = logits on real data, l_G = logits on generated data.) For "lsgan" and "wgan" the logit is
used as a raw score, not passed through σ. WGAN's critic must be kept Lipschitz: clip its
weights after every update with :func:`minirgan.optim.clip_weights`.

Why the seeds' own forms are not offered
----------------------------------------
* **E3** ``min_G max_D V = E log D(x) + E log(1 − D(G(z)))`` is the game; D maximises V, so D's
  loss to minimise is −V = binary cross-entropy with label 1 on real and 0 on generated data
  (**E5**).
* **E6** (S3 §3.2) ``L_D = −E log D(x) + E log(1 − D(G(z)))`` has the second sign flipped.
  Minimising it rewards D for *raising* D(G(z)) towards 1: both terms push D's output up on every
  input, so D learns to call everything real and tells the generator nothing. It is not a
  different trade-off but a broken objective, hence not an option; the tests show its gradient
  on the generated logits points the wrong way.
* **E7** (S3 §3.2) ``L_G = −E log(1 − D(G(z)))`` is E4 with the sign flipped. Minimising it drives
  D(G(z)) → 0: the generator would work to make its samples look *more* fake. Not an option; the
  tests show the loss falling as D(G(z)) → 0.
* **E8** (S2 §3.2.1) writes L_G and L_D as the same expression as E3 without saying who minimises
  and who maximises; read as E4 (G minimises V) and E5 (D maximises V), it is this module's
  "minimax" kind.
* **C6**: the seeds' code (S1, S2) trains G towards label 1, i.e. minimises −E log D(G(z)), the
  non-saturating loss. It has the same fixed point as E4 but a strong gradient when D confidently
  rejects the samples (D(G(z)) → 0), exactly where E4's gradient vanishes — early in training.

Non-finite logits (a diverged network) give a NaN or inf loss without warnings or exceptions, so
the training loop can stop with a clear message of its own.
"""

import numpy as np

from .activations import sigmoid
from .validation import as_float_array

LOSSES = ("nonsaturating", "minimax", "lsgan", "wgan")


def softplus(a):
    """softplus(a) = log(1 + e^a), overflow-free via ``np.logaddexp(0, a)``; dtype kept."""
    a = as_float_array("a", a)
    return np.logaddexp(0, a)


def log_sigmoid(a):
    """log σ(a) = −softplus(−a), exact for any finite a (no log(0) for large negative a)."""
    a = as_float_array("a", a)
    return -np.logaddexp(0, -a)


def _check_kind(kind):
    if kind not in LOSSES:
        raise ValueError(f"kind must be one of {LOSSES}, got {kind!r}")


def _logits(name, logits):
    """Logits as a non-empty floating array of any shape."""
    arr = as_float_array(name, logits)
    if arr.size == 0:
        raise ValueError(f"{name} must hold at least one logit, got shape {arr.shape}")
    return arr


def _quiet_if_nonfinite(*arrays):
    """errstate that silences NaN/inf arithmetic only when the inputs already hold NaN or inf."""
    if all(np.isfinite(a).all() for a in arrays):
        return np.errstate()
    return np.errstate(invalid="ignore", over="ignore")


def discriminator_loss(real_logits, fake_logits, kind="nonsaturating", label_smoothing=0.0):
    """The discriminator's (or WGAN critic's) loss and its gradients with respect to both logit arrays.

    Inputs:
        real_logits: D's logits on real data x, any shape, e.g. (N,), (N, 1) or (N, T).
        fake_logits: D's logits on generated data G(z), any shape (its own batch size).
        kind: one of ``LOSSES``. "nonsaturating" and "minimax" share D's loss (E5).
        label_smoothing: s in [0, 1), one-sided: the real target becomes 1 − s (BCE and LSGAN);
            generated data keeps target 0. Not defined for "wgan" (must be 0).

    Returns: (loss: float, d_real_logits shaped like real_logits, d_fake_logits shaped like
    fake_logits).
    """
    _check_kind(kind)
    lr = _logits("real_logits", real_logits)
    lf = _logits("fake_logits", fake_logits)
    s = float(label_smoothing)
    if not 0.0 <= s < 1.0:
        raise ValueError(f"label_smoothing must be in [0, 1), got {label_smoothing!r}")
    if kind == "wgan" and s != 0.0:
        raise ValueError("label_smoothing must be 0 for kind='wgan': the critic has no labels")
    n_r, n_f = lr.size, lf.size
    target = 1.0 - s

    with _quiet_if_nonfinite(lr, lf):
        if kind in ("nonsaturating", "minimax"):
            # E5 as a loss: −mean[t log σ(l_x) + (1−t) log(1−σ(l_x))] − mean log(1 − σ(l_G)),
            # with log σ(l) = −softplus(−l) and log(1 − σ(l)) = −softplus(l); t = 1 − s.
            loss = (np.mean(target * np.logaddexp(0, -lr) + (1.0 - target) * np.logaddexp(0, lr))
                    + np.mean(np.logaddexp(0, lf)))
            # d/dl of BCE with target t is σ(l) − t; each term is a mean over its own batch.
            d_real = (sigmoid(lr) - target) / n_r
            d_fake = sigmoid(lf) / n_f
        elif kind == "lsgan":
            # LSGAN (S4 FAQ): ½ mean (l_x − t)² + ½ mean l_G², logits used as raw scores.
            loss = 0.5 * np.mean((lr - target) ** 2) + 0.5 * np.mean(lf ** 2)
            d_real = (lr - target) / n_r
            d_fake = lf / n_f
        else:
            # WGAN critic (S4 FAQ): mean l_G − mean l_x (minimised, so it maximises the gap).
            loss = np.mean(lf) - np.mean(lr)
            d_real = np.full_like(lr, -1.0 / n_r)
            d_fake = np.full_like(lf, 1.0 / n_f)
    return float(loss), d_real.astype(lr.dtype, copy=False), d_fake.astype(lf.dtype, copy=False)


def generator_loss(fake_logits, kind="nonsaturating"):
    """The generator's loss and its gradient with respect to D's logits on generated data.

    Inputs:
        fake_logits: D's logits on G(z), any shape, e.g. (N,), (N, 1) or (N, T).
        kind: one of ``LOSSES``:
            "nonsaturating" (default, C6): −mean log D(G(z)) = mean softplus(−l);
            "minimax" (E4): mean log(1 − D(G(z))) = −mean softplus(l), saturating;
            "lsgan": ½ mean (l − 1)²;  "wgan": −mean l.

    Returns: (loss: float, d_fake_logits shaped like fake_logits). The generator's parameters get
    their gradients by backpropagating d_fake_logits through D (which is not updated) into G.
    """
    _check_kind(kind)
    lf = _logits("fake_logits", fake_logits)
    n = lf.size
    with _quiet_if_nonfinite(lf):
        if kind == "nonsaturating":
            # C6: L_G = −mean log σ(l) = mean softplus(−l)
            loss = np.mean(np.logaddexp(0, -lf))
            # d/dl softplus(−l) = −σ(−l) = σ(l) − 1: about −1/n when D rejects the samples.
            d_fake = (sigmoid(lf) - 1.0) / n
        elif kind == "minimax":
            # E4: L_G = mean log(1 − σ(l)) = −mean softplus(l)
            loss = -np.mean(np.logaddexp(0, lf))
            # d/dl −softplus(l) = −σ(l): vanishes as D(G(z)) = σ(l) → 0 (saturation).
            d_fake = -sigmoid(lf) / n
        elif kind == "lsgan":
            # LSGAN: ½ mean (l − 1)², G wants its scores at the real target 1.
            loss = 0.5 * np.mean((lf - 1.0) ** 2)
            d_fake = (lf - 1.0) / n
        else:
            # WGAN: L_G = −mean l, G raises the critic's score of its samples.
            loss = -np.mean(lf)
            d_fake = np.full_like(lf, -1.0 / n)
    return float(loss), d_fake.astype(lf.dtype, copy=False)


def softmax_cross_entropy(logits, labels):
    """Mean cross-entropy of a K-class classifier from its logits, and its gradient.

    Inputs:  logits (N, K); labels (N,) integers in 0..K−1.
    Returns: (loss: float, dlogits (N, K)).

    −log softmax(l)_y = logsumexp(l) − l_y, with the max subtracted first so exp never
    overflows; d/dl = (softmax(l) − onehot(y)) / N for the mean over N.
    """
    l = _logits("logits", logits)
    if l.ndim != 2:
        raise ValueError(f"logits must have shape (N, K), got {l.shape}")
    y = np.asarray(labels)
    if y.shape != (l.shape[0],) or y.dtype.kind not in "iu" or (y.size and (y.min() < 0 or y.max() >= l.shape[1])):
        raise ValueError(f"labels must be {l.shape[0]} integers in 0..{l.shape[1] - 1}, got "
                         f"shape {y.shape} dtype {y.dtype}")
    N = l.shape[0]
    shifted = l - l.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(shifted).sum(axis=1))
    # −log p_y = logsumexp(l) − l_y   (both shifted by the same max)
    loss = np.mean(log_norm - shifted[np.arange(N), y])
    # d/dl of the mean: (softmax(l) − onehot(y)) / N
    d = np.exp(shifted - log_norm[:, None])
    d[np.arange(N), y] -= 1.0
    return float(loss), (d / N).astype(l.dtype, copy=False)
