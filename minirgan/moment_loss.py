"""A moment-matching loss for the generator, as TimeGAN adds to its adversarial loss.

TimeGAN (Yoon et al., 2019) trains its generator on the adversarial loss *plus* the distance
between the first two moments of a generated and a real batch, per time step and feature:

    L_M = mean_{t,f} |σ̂_{t,f} − σ_{t,f}| + mean_{t,f} |μ̂_{t,f} − μ_{t,f}|

with μ and σ = sqrt(var + ε) the batch mean and standard deviation over the N sequences
(hats: generated). It counters the generator's tendency to cover too little of the data
(mode collapse, C3) directly, while the discriminator takes care of everything moments miss
(correlations, shapes). minirgan measured it on the sines (docs/benchmark_sines.md). The
real batch is data, so only the generated batch gets a gradient.

The same loss on the *steps* Δx_t = x_t − x_{t−1} (t = 2..T) of both batches (not in TimeGAN,
nor the seeds; ``TrainConfig.step_moment_loss``):

    L_Δ = L_M(Δx̂, Δx),    dL_Δ/dx̂_t = g_t − g_{t+1}   (g_t = dL_M/dΔx̂_t; g_1 = g_{T+1} = 0)

Moments per step say nothing about how a sequence moves from one step to the next, and on the
stocks the default generator zig-zags: its day-to-day changes were 3–7 times the real ones,
with a lag-1 autocorrelation of −0.7 where the real one is near 0 (docs/benchmarks.md).
Matching the mean and spread of the changes themselves targets exactly that.
With lengths (padded batches, docs/masking.md) the moments at step t are taken over the
sequences that are real at t only (M2's mean, across the batch instead of along time):

    μ_{t,f} = Σ_n m_{n,t} x_{n,t,f} / K_t,   σ²_{t,f} = Σ_n m_{n,t} (x_{n,t,f} − μ_{t,f})² / K_t

(K_t = Σ_n m_{n,t}), and L_M averages over the steps real in both batches; a padded entry gets
no gradient. Without lengths the code is the unmasked one above, unchanged.
Shapes: N batch, T time, F features.
"""

import numpy as np

from .validation import check_paired_lengths, lengths_mask

EPS = 1e-6


def moment_loss(fake, real, fake_lengths=None, real_lengths=None):
    """TimeGAN's moment loss L_M and its gradient with respect to the generated batch.

    Inputs:  fake (N, T, F) generated batch; real (M, T, F) real batch (same T, F);
             fake_lengths (N,), real_lengths (M,): padded batches (both or neither).
    Returns: (L_M as a float, d_fake (N, T, F)). At |σ̂ − σ| = 0 or |μ̂ − μ| = 0 the
    subgradient 0 is used.
    """
    fake = np.asarray(fake)
    real = np.asarray(real)
    if fake.ndim != 3 or real.shape[1:] != fake.shape[1:]:
        raise ValueError(f"fake and real must be (N, T, F) batches with the same T and F, got "
                         f"{fake.shape} and {real.shape}")
    check_paired_lengths(fake_lengths, real_lengths, "batches")
    if fake_lengths is not None:
        T = fake.shape[1]
        return _masked_moment_loss(fake, real, lengths_mask(fake_lengths, len(fake), T).T,
                                   lengths_mask(real_lengths, len(real), T).T)
    n, size = fake.shape[0], fake[0].size
    mu_fake, mu_real = fake.mean(axis=0), real.mean(axis=0)
    sd_fake = np.sqrt(fake.var(axis=0) + EPS)
    sd_real = np.sqrt(real.var(axis=0) + EPS)
    loss = np.mean(np.abs(sd_fake - sd_real)) + np.mean(np.abs(mu_fake - mu_real))
    # d|σ̂ − σ|/dσ̂ = sign; dσ̂/dx̂_n = (x̂_n − μ̂) / (N σ̂)   (the mean's own term sums to zero)
    d_sd = np.sign(sd_fake - sd_real) / size
    # d|μ̂ − μ|/dμ̂ = sign; dμ̂/dx̂_n = 1 / N
    d_mu = np.sign(mu_fake - mu_real) / size
    d_fake = (d_sd * (fake - mu_fake) / sd_fake + d_mu) / n
    return float(loss), d_fake.astype(fake.dtype, copy=False)


def _masked_moment_loss(fake, real, m_fake, m_real):
    """L_M over the real entries only: fake (N, T, F), real (M, T, F), their step masks
    m_fake (N, T), m_real (M, T) booleans, or cell masks (N, T, F), (M, T, F) (missing values,
    M7 of docs/missing.md). Entries (t, f) real in no sequence of either batch are left out.
    Returns (L_M, d_fake)."""
    cells = lambda m, like: (m if m.ndim == 3 else m[:, :, None]).astype(like.dtype)
    mf, mr = cells(m_fake, fake), cells(m_real, real)
    both = np.broadcast_to((mf.any(axis=0) & mr.any(axis=0)), fake.shape[1:])   # (T, F) seen in both
    if not both.any():
        return 0.0, np.zeros_like(fake)
    k_fake = np.maximum(mf.sum(axis=0), 1)                       # K̂_t (T, 1) or K̂_{t,f} (T, F)
    k_real = np.maximum(mr.sum(axis=0), 1)
    # M2 across the batch: μ_t = Σ_n m_{n,t} x_{n,t} / K_t, σ²_t = Σ_n m_{n,t} (x_{n,t} − μ_t)² / K_t
    mu_fake, mu_real = (mf * fake).sum(axis=0) / k_fake, (mr * real).sum(axis=0) / k_real
    sd_fake = np.sqrt((mf * (fake - mu_fake) ** 2).sum(axis=0) / k_fake + EPS)
    sd_real = np.sqrt((mr * (real - mu_real) ** 2).sum(axis=0) / k_real + EPS)
    size = both.sum()                                            # the (t, f) entries averaged
    loss = (np.sum(np.where(both, np.abs(sd_fake - sd_real), 0.0))
            + np.sum(np.where(both, np.abs(mu_fake - mu_real), 0.0))) / size
    # as above, with 1/N replaced by m_{n,t}/K̂_t: dσ̂_t/dx̂_{n,t} = m_{n,t} (x̂_{n,t} − μ̂_t) / (K̂_t σ̂_t)
    d_sd = np.where(both, np.sign(sd_fake - sd_real), 0.0) / size
    d_mu = np.where(both, np.sign(mu_fake - mu_real), 0.0) / size
    d_fake = mf * (d_sd * (fake - mu_fake) / sd_fake + d_mu) / k_fake
    return float(loss), d_fake.astype(fake.dtype, copy=False)


def step_moment_loss(fake, real, fake_lengths=None, real_lengths=None):
    """L_Δ: the moment loss of the steps Δx_t = x_t − x_{t−1}, and its gradient w.r.t. fake.

    Inputs:  fake (N, T, F) generated batch; real (M, T, F) real batch; T ≥ 2;
             fake_lengths, real_lengths as in ``moment_loss`` (a step Δx_t is real when x_t
             is: its row's length minus one steps).
    Returns: (L_Δ as a float, d_fake (N, T, F)).
    """
    fake, real = np.asarray(fake), np.asarray(real)
    if fake.ndim != 3 or fake.shape[1] < 2:
        raise ValueError(f"the step moment loss needs (N, T, F) batches with T >= 2 steps, got {fake.shape}")
    check_paired_lengths(fake_lengths, real_lengths, "batches")
    if fake_lengths is None:
        loss, d_steps = moment_loss(np.diff(fake, axis=1), np.diff(real, axis=1))
    else:
        T = fake.shape[1]
        # Δx_t (t = 2..T) is real when step t is: the mask's columns 2..T
        loss, d_steps = _masked_moment_loss(np.diff(fake, axis=1), np.diff(real, axis=1),
                                            lengths_mask(fake_lengths, len(fake), T).T[:, 1:],
                                            lengths_mask(real_lengths, len(real), T).T[:, 1:])
    return loss, steps_backward(d_steps, fake)


def steps_backward(d_steps, fake):
    """∂L/∂x̂ (N, T, F) from d_steps (N, T−1, F) = ∂L/∂Δx̂ of the steps Δx̂_t = x̂_t − x̂_{t−1}."""
    # Δx̂_t = x̂_t − x̂_{t−1}: x̂_t gets +g_t from its own step and −g_{t+1} from the next one
    d_fake = np.zeros_like(fake)
    d_fake[:, 1:] += d_steps
    d_fake[:, :-1] -= d_steps
    return d_fake
