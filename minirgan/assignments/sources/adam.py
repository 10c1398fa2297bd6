"""Assignment `adam`: one step of Adam (Kingma & Ba 2015), the optimiser of A4.

At step t (counting from 1), for a parameter w with gradient g:
    m ← β1 m + (1 − β1) g             v ← β2 v + (1 − β2) g²
    m̂ = m / (1 − β1^t)                v̂ = v / (1 − β2^t)
    w ← w − lr · m̂ / (√v̂ + ε)
A4's GAN settings: lr = 2e-4, β1 = 0.5, β2 = 0.999; ε = 1e-8.

Check your work:  minirgan assignment check adam .
"""

import numpy as np


def adam_step(w, g, m, v, t, lr=2e-4, beta1=0.5, beta2=0.999, eps=1e-8):
    """Write this. w, g, m, v: arrays of one shape; t: the step number (1, 2, ...).

    Returns the new (w, m, v) as new arrays; do not modify the arguments.
    """
    # BEGIN SOLUTION
    m = beta1 * m + (1.0 - beta1) * g
    v = beta2 * v + (1.0 - beta2) * g * g
    m_hat = m / (1.0 - beta1 ** t)
    v_hat = v / (1.0 - beta2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
    # END SOLUTION
