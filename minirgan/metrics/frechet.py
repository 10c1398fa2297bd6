"""The Fréchet distance between two Gaussians fitted to two sets of vectors (the "F" of FID).

Source: D. C. Dowson and B. V. Landau (1982) for the distance between Gaussians; Heusel et al.
(2017) for its use on embeddings (FID). With a = N_a vectors and b = N_b vectors of d numbers,
μ their means and Σ their covariances (ddof 1):

    FD = ‖μ_a − μ_b‖² + Tr(Σ_a + Σ_b − 2 (Σ_a Σ_b)^{1/2})

Tr((Σ_a Σ_b)^{1/2}) is computed as Σ_k √λ_k with λ_k the eigenvalues of the symmetric PSD
matrix Σ_a^{1/2} Σ_b Σ_a^{1/2} (same spectrum as Σ_a Σ_b), so no non-symmetric square root
and no complex parts. Rounding can leave −1e−15 for equal sets: the result is clipped at 0.
"""

import numpy as np


def _sqrt_psd(s):
    """The symmetric square root of a symmetric PSD matrix (eigenvalues clipped at 0)."""
    w, v = np.linalg.eigh(s)
    return (v * np.sqrt(np.clip(w, 0.0, None))) @ v.T


def frechet_distance(a, b):
    """Fréchet distance between Gaussians fitted to the rows of a (N_a, d) and b (N_b, d)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1]:
        raise ValueError(f"a and b must be (N, d) arrays with the same d, got {a.shape} and {b.shape}")
    if len(a) < 2 or len(b) < 2:
        raise ValueError(f"a and b need at least 2 rows each for a covariance, got {len(a)} and {len(b)}")
    mu_a, mu_b = a.mean(axis=0), b.mean(axis=0)
    cov_a = np.atleast_2d(np.cov(a, rowvar=False))
    cov_b = np.atleast_2d(np.cov(b, rowvar=False))
    root_a = _sqrt_psd(cov_a)
    # Tr((Σ_a Σ_b)^{1/2}) = Σ √eig(Σ_a^{1/2} Σ_b Σ_a^{1/2})
    cross = np.sqrt(np.clip(np.linalg.eigvalsh(root_a @ cov_b @ root_a), 0.0, None)).sum()
    # FD = ‖μ_a − μ_b‖² + Tr(Σ_a) + Tr(Σ_b) − 2 Tr((Σ_a Σ_b)^{1/2})
    fd = np.sum((mu_a - mu_b) ** 2) + np.trace(cov_a) + np.trace(cov_b) - 2.0 * cross
    return float(max(fd, 0.0))
