"""The correlational score (Ni et al. 2020, as Diffusion-TS computes it): are the features
correlated with each other as in the real data?

Source: H. Ni, L. Szpruch, M. Wiese, S. Liao, B. Xiao, "Conditional Sig-Wasserstein GANs for
time series generation" (2020), whose cross-correlation loss Diffusion-TS (Yuan & Qiao, ICLR
2024) reports as the "correlational score". Computed as Diffusion-TS's evaluation does:

1. standardise each feature of a set x (N, T, F) with its mean and standard deviation over all
   sequences and steps (ddof 1, as ``torch.std``): z = (x − mean) / std;
2. lag-0 cross-correlation of every feature pair i ≥ j (the lower triangle, diagonal included):

       C_ij = (1 / N) Σ_n (1 / T) Σ_t z_{n,t,i} z_{n,t,j}

3. the score of one draw is Σ_{i≥j} |C_ij(fake) − C_ij(real)| / 10 (the /10 is the source's);
4. repeat on ``repeats`` (5) random subsets of N_real / repeats sequences of each set, drawn
   with replacement (as the source does), each standardised on its own.

0 means the same correlation structure; the diagonal terms cancel for subsets of equal size,
so F = 1 always scores 0. Lower is better; it sees no temporal structure (lag 0 only).
"""

import numpy as np

from ..datasets.checks import check_count
from .protocol import sequence_pair
from .result import ScoreResult

SCALE = 10.0          # the source divides the L1 distance by 10


def cross_correlation(x):
    """Lag-0 cross-correlations C_ij (i ≥ j, row-major lower triangle) of x (N, T, F): (F(F+1)/2,).

    A constant feature has no correlation: its standardised values are taken as 0.
    """
    x = np.asarray(x, dtype=np.float64)
    mean = x.mean(axis=(0, 1))
    std = x.std(axis=(0, 1), ddof=1) if x.shape[0] * x.shape[1] > 1 else np.zeros(x.shape[2])
    z = np.divide(x - mean, std, out=np.zeros_like(x), where=std > 0)
    rows, cols = np.tril_indices(x.shape[2])
    # C_ij = mean over sequences and steps of z_i z_j (the mean over t, then over n)
    return np.mean(z[..., rows] * z[..., cols], axis=(0, 1))


def correlational_score(real, fake, repeats=5, subset=None, rng=None):
    """Diffusion-TS's correlational score of ``fake`` (N_f, T, F) against ``real`` (N_r, T, F).

    ``subset`` sequences of each set per repeat (default N_r // repeats, at least 1), drawn
    with replacement. Returns a :class:`ScoreResult` over the repeats.
    """
    real, fake = sequence_pair(real, fake)
    repeats = check_count("repeats", repeats)
    subset = max(1, len(real) // repeats) if subset is None else check_count("subset", subset)
    rng = np.random.default_rng(rng)
    scores = []
    for _ in range(repeats):
        r = real[rng.integers(0, len(real), subset)]
        f = fake[rng.integers(0, len(fake), subset)]
        # Σ_{i≥j} |C_ij(fake) − C_ij(real)| / 10
        scores.append(float(np.abs(cross_correlation(f) - cross_correlation(r)).sum() / SCALE))
    return ScoreResult("correlational score", scores)
