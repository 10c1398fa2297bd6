"""Assignment `losses`: GAN losses from the discriminator's logits, with their gradients.

D's last layer gives a logit l; D(x) = σ(l). Losses are written from logits because
log σ(l) = −softplus(−l) and log(1 − σ(l)) = −softplus(l) stay finite for any l, where
computing σ first rounds to log(0) = −inf for |l| of a few dozen. ``np.logaddexp(0, a)`` is
softplus(a) without overflow. Every loss is a mean over its batch; l_x are D's logits on real
data, l_G on generated data (any shape, each its own size).

    E5   (D, "nonsaturating" and "minimax"):  −mean log σ(l_x) − mean log(1 − σ(l_G))
    C6   (G, "nonsaturating"):                −mean log σ(l_G)
    E4   (G, "minimax"):                       mean log(1 − σ(l_G))
    LSGAN (D): ½ mean (l_x − 1)² + ½ mean l_G²     (G): ½ mean (l_G − 1)²
    WGAN  (critic): mean l_G − mean l_x            (G): −mean l_G

Check your work:  minirgan assignment check losses .
"""

import numpy as np

KINDS = ("nonsaturating", "minimax", "lsgan", "wgan")


def sigmoid(a):
    """σ(a) = 1 / (1 + e^{−a}), written so that it never overflows."""
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def discriminator_loss(real_logits, fake_logits, kind="nonsaturating"):
    """Write this. Returns (loss: float, d_real shaped like real_logits, d_fake like fake_logits)."""
    lr, lf = np.asarray(real_logits, float), np.asarray(fake_logits, float)
    n_r, n_f = lr.size, lf.size
    # BEGIN SOLUTION
    if kind in ("nonsaturating", "minimax"):
        # E5 from logits: mean softplus(−l_x) + mean softplus(l_G)
        loss = np.mean(np.logaddexp(0, -lr)) + np.mean(np.logaddexp(0, lf))
        return float(loss), (sigmoid(lr) - 1.0) / n_r, sigmoid(lf) / n_f
    if kind == "lsgan":
        loss = 0.5 * np.mean((lr - 1.0) ** 2) + 0.5 * np.mean(lf ** 2)
        return float(loss), (lr - 1.0) / n_r, lf / n_f
    if kind == "wgan":
        loss = np.mean(lf) - np.mean(lr)
        return float(loss), np.full_like(lr, -1.0 / n_r), np.full_like(lf, 1.0 / n_f)
    raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    # END SOLUTION


def generator_loss(fake_logits, kind="nonsaturating"):
    """Write this. Returns (loss: float, d_fake shaped like fake_logits)."""
    lf = np.asarray(fake_logits, float)
    n = lf.size
    # BEGIN SOLUTION
    if kind == "nonsaturating":
        # C6: mean softplus(−l_G); its gradient σ(l) − 1 stays near −1/n when D rejects G
        return float(np.mean(np.logaddexp(0, -lf))), (sigmoid(lf) - 1.0) / n
    if kind == "minimax":
        # E4: −mean softplus(l_G); its gradient −σ(l) vanishes as D(G(z)) → 0
        return float(-np.mean(np.logaddexp(0, lf))), -sigmoid(lf) / n
    if kind == "lsgan":
        return float(0.5 * np.mean((lf - 1.0) ** 2)), (lf - 1.0) / n
    if kind == "wgan":
        return float(-np.mean(lf)), np.full_like(lf, -1.0 / n)
    raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    # END SOLUTION
