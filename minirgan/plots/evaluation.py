"""The figures of ``minirgan evaluate``: where generated sequences lie against real ones.

* ``pca.png``             real and generated sequences on the real data's first two principal
                          components (NumPy SVD of the flattened sequences);
* ``marginals.png``       per-feature histograms of the values, real vs generated;
* ``autocorrelation.png`` per-feature mean autocorrelation curves, real vs generated.

The values are in the units ``minirgan.evaluate`` scored them in (the data's own, or min-max
scaled to [0, 1]); the caller passes that name as ``units`` for the axis labels.
"""

import numpy as np

from .figure import axes_grid, save

MAX_PANELS = 8            # features shown in the per-feature figures


def pca_projection(real, fake, components=2):
    """Project flattened sequences on the real data's principal components (NumPy SVD).

    Inputs: real (N_r, T, F), fake (N_f, T, F). Returns (real_pc (N_r, k), fake_pc (N_f, k),
    explained (k,) share of the real data's variance on each component).
    """
    a = real.reshape(len(real), -1)
    b = fake.reshape(len(fake), -1)
    mean = a.mean(axis=0)
    _, s, vt = np.linalg.svd(a - mean, full_matrices=False)
    k = min(components, vt.shape[0])
    explained = s[:k] ** 2 / max(np.sum(s ** 2), 1e-300)
    return (a - mean) @ vt[:k].T, (b - mean) @ vt[:k].T, explained


def plot_pca(real, fake, path, max_points=1000, units="data units"):
    """Scatter of real and generated sequences (N, T, F) on the real data's first two PCs."""
    real, fake = real[:max_points], fake[:max_points]
    rp, fp, explained = pca_projection(real, fake)
    fig, axes = axes_grid(1, 1, 5.5, 5)
    ax = axes[0, 0]
    if rp.shape[1] == 1:            # a single value per sequence: no second component
        rp, fp = np.c_[rp, np.zeros(len(rp))], np.c_[fp, np.zeros(len(fp))]
        explained = np.r_[explained, 0.0]
    ax.scatter(rp[:, 0], rp[:, 1], s=6, alpha=0.4, label="real", color="tab:blue")
    ax.scatter(fp[:, 0], fp[:, 1], s=6, alpha=0.4, label="generated", color="tab:red")
    ax.set_xlabel(f"PC 1 score ({units}; {100 * explained[0]:.0f}% of real variance)")
    ax.set_ylabel(f"PC 2 score ({units}; {100 * explained[1]:.0f}%)")
    ax.set_title("PCA of the flattened sequences")
    ax.legend()
    return save(fig, path)


def _feature_axes(F):
    """(figure, the first min(F, MAX_PANELS) axes of a grid of at most 4 columns)."""
    shown = min(F, MAX_PANELS)
    cols = min(shown, 4)
    rows = (shown + cols - 1) // cols
    fig, axes = axes_grid(rows, cols, 3.2, 2.6)
    for ax in axes.ravel()[shown:]:
        ax.axis("off")
    return fig, axes.ravel()[:shown]


def plot_marginals(real, fake, path, names=None, units="data units"):
    """Per-feature histograms of every value (all sequences and steps), real vs generated."""
    fig, axes = _feature_axes(real.shape[2])
    for j, ax in enumerate(axes):
        lo = min(real[..., j].min(), fake[..., j].min())
        hi = max(real[..., j].max(), fake[..., j].max())
        bins = np.linspace(lo, hi if hi > lo else lo + 1.0, 31)
        ax.hist(real[..., j].ravel(), bins=bins, density=True, alpha=0.5, label="real", color="tab:blue")
        ax.hist(fake[..., j].ravel(), bins=bins, density=True, alpha=0.5, label="generated", color="tab:red")
        ax.set_title(names[j] if names else f"feature {j}", fontsize=9)
        ax.set_xlabel(f"value ({units})", fontsize=8)
        ax.set_ylabel("density (1 / unit)", fontsize=8)
    axes[0].legend(fontsize=8)
    return save(fig, path)


def plot_autocorrelation(acf_real, acf_fake, path, names=None):
    """Per-feature mean autocorrelation r_k (K, F) against the lag k, real vs generated."""
    lags = np.arange(acf_real.shape[0])
    fig, axes = _feature_axes(acf_real.shape[1])
    for j, ax in enumerate(axes):
        ax.plot(lags, acf_real[:, j], "o-", label="real", color="tab:blue")
        ax.plot(lags, acf_fake[:, j], "s--", label="generated", color="tab:red")
        ax.set_title(names[j] if names else f"feature {j}", fontsize=9)
        ax.set_xlabel("lag k (time steps)", fontsize=8)
        ax.set_ylabel("autocorrelation r_k (no unit)", fontsize=8)
        ax.set_ylim(-1.05, 1.05)
    axes[0].legend(fontsize=8)
    return save(fig, path)


def write_evaluation_figures(real, fake, acf_real, acf_fake, paths, names=None, units="data units"):
    """pca.png, marginals.png, autocorrelation.png at ``paths`` ({"pca": ..., "marginals": ...,
    "autocorrelation": ...}). real (N_r, T, F), fake (N_f, T, F); acf_* (K, F) their mean
    autocorrelations. Returns ``paths``."""
    plot_pca(real, fake, paths["pca"], units=units)
    plot_marginals(real, fake, paths["marginals"], names, units=units)
    plot_autocorrelation(acf_real, acf_fake, paths["autocorrelation"], names)
    return paths
