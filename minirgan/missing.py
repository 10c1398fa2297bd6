"""Missing values (``--missing mask``, docs/missing.md): what D reads and what the moments skip.

Training data with missing cells are kept as NaN until the run starts; the observation mask
m (N, T, F) is 1 where a value was observed and 0 where it is missing. G always produces
complete sequences. Two equations of the project's own (M6, M7 of docs/equations.md):

M6, D's input with the mask as extra channels. Each sequence reaches D as

    u = [x ∘ m, m]          (N, T, 2F)

A real sequence wears its own mask. A generated one is complete, and shown with an all-ones
mask D would tell it from real data by the mask alone (and D's gradient would then teach G
nothing about the values). So each generated sequence wears the mask of a real sequence drawn
at random (:func:`draw_masks`), and the same cells of G's output are hidden (set to 0): real
and generated inputs then carry masks of one distribution, and D can judge only the observed
values. Differentiated: ∂L/∂x̂ = (∂L/∂u)[..., :F] ∘ m (a hidden cell gets no gradient from this
batch; other batches draw other masks, so every cell of G is trained).

M7, the moment losses over observed cells. The real batch's per-(t, f) mean and variance are
taken over the sequences that observed (t, f):

    μ_{t,f} = Σ_n m_{n,t,f} x_{n,t,f} / Σ_n m_{n,t,f},   σ²_{t,f} likewise about μ_{t,f}

and L_M averages over the (t, f) some real sequence of the batch observed (the others drop out). G's batch is complete, so its moments, and the gradient of
L_M with respect to it, are those of ``moment_loss.py``. For the steps Δx_t = x_t − x_{t−1}
(L_Δ) a step is observed when both its ends are: m^Δ_t = m_t ∘ m_{t−1}.
Shapes: N batch, T time, F features.
"""

import numpy as np

from .datasets.sampling import batch_indices
from .moment_loss import _masked_moment_loss, moment_loss, step_moment_loss, steps_backward

MODES = ("mask",)        # the values of TrainConfig.missing besides None (refuse missing cells)


def observation_mask(data):
    """(filled data, mask): ``data`` (N, T, F) with NaN at missing values → the same array with
    0.0 there, and m (N, T, F) of data's dtype, 1.0 where observed."""
    data = np.asarray(data)
    observed = ~np.isnan(data)
    return np.where(observed, data, 0.0).astype(data.dtype, copy=False), observed.astype(data.dtype)


def draw_masks(masks, n, rng):
    """n masks (n, T, F) drawn at random from the real ones (``masks`` (N, T, F)), for the
    generated sequences of a batch (M6)."""
    return masks[batch_indices(len(masks), n, rng)]


def observed_input(x, mask):
    """M6 forward: x (N, T, F), m (N, T, F) → u = [x ∘ m, m] (N, T, 2F)."""
    # M6: u = [x ∘ m, m]   (a missing cell reads 0 and its mask channel says so)
    return np.concatenate([np.where(mask > 0, x, 0.0).astype(x.dtype, copy=False),
                           mask.astype(x.dtype, copy=False)], axis=2)


def observed_input_backward(du, mask):
    """M6 differentiated: du (N, T, 2F) = ∂L/∂u → ∂L/∂x = du[..., :F] ∘ m (N, T, F)."""
    F = mask.shape[2]
    # M6': ∂L/∂x = (∂L/∂u)_{:F} ∘ m   (the mask channels are data: no gradient leaves them)
    return du[..., :F] * mask


def masked_moment_loss(fake, real, mask):
    """M7: L_M with the real batch's moments over its observed cells, and ∂L_M/∂fake.

    Inputs:  fake (N, T, F) generated, complete; real (M, T, F) real batch (any value, NaN
             too, where missing); mask (M, T, F) 1 where real is observed.
    Returns: (L_M as a float, d_fake (N, T, F)); subgradient 0 at |σ̂ − σ| = 0 or |μ̂ − μ| = 0.
    The masked moments are moment_loss.py's (the padded batches' M2 across the batch), here
    with a mask per cell instead of per step.
    """
    fake, real, mask = np.asarray(fake), np.asarray(real), np.asarray(mask)
    if fake.ndim != 3 or real.shape[1:] != fake.shape[1:] or mask.shape != real.shape:
        raise ValueError(f"fake, real and mask must be (N, T, F) with the same T and F (mask as real), got "
                         f"{fake.shape}, {real.shape} and {mask.shape}")
    # M7: μ_{t,f} = Σ_n m x / Σ_n m, σ²_{t,f} likewise, over the observed cells (G's are all observed)
    return _masked_moment_loss(fake, np.where(mask > 0, real, 0.0), np.ones(fake.shape, bool), mask > 0)


def masked_step_moment_loss(fake, real, mask):
    """M7 on the steps: L_Δ with a real step observed where both its ends are (m_t ∘ m_{t−1}).

    Inputs as :func:`masked_moment_loss`, T ≥ 2. Returns (L_Δ as a float, d_fake (N, T, F))."""
    fake, real, mask = np.asarray(fake), np.asarray(real), np.asarray(mask)
    if fake.ndim != 3 or fake.shape[1] < 2:
        raise ValueError(f"the step moment loss needs (N, T, F) batches with T >= 2 steps, got {fake.shape}")
    steps_real = np.diff(np.where(mask > 0, real, 0.0), axis=1)
    loss, d_steps = masked_moment_loss(np.diff(fake, axis=1), steps_real, mask[:, 1:] * mask[:, :-1])
    return loss, steps_backward(d_steps, fake)


# ---------------------------------------------------------------- the training step's seam

def shown(x, mask):
    """What D reads of a batch x (N, T, F): x itself without missing values (mask None), else
    M6's [x ∘ m, m]."""
    return x if mask is None else observed_input(x, mask)


def shown_backward(du, mask):
    """∂L/∂x from ∂L/∂(what D read): du itself (mask None), else M6 differentiated."""
    return du if mask is None else observed_input_backward(du, mask)


def moments(fake, real, lengths, mask, steps=False):
    """(L_M or L_Δ, ∂/∂fake) against the real batch: moment_loss.py's (mask None; both batches
    of the same ``lengths``, or None), else M7's."""
    if mask is None:
        return (step_moment_loss if steps else moment_loss)(fake, real, lengths, lengths)
    if lengths is not None:
        raise ValueError("missing values in sequences of different lengths are not supported yet")
    return (masked_step_moment_loss if steps else masked_moment_loss)(fake, real, mask)
