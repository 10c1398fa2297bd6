"""The figures of ``minirgan evaluate``: where generated sequences lie against real ones.

* ``pca.png``             real and generated sequences on the real data's first two principal
                          components, computed on the min-max scaled data (each feature mapped
                          to [0, 1] by the real data's range, the same map for both sets), so
                          that a feature with large values (a volume column of about 1e6 beside
                          prices of about 100) does not make the whole picture;
* ``marginals.png``       per-feature histograms of the values, real vs generated;
* ``autocorrelation.png`` per-feature mean autocorrelation curves, real vs generated.

The per-feature figures draw every feature, a panel each, paged (``marginals-2.png`` …) when
there are more than 16 (``pages.py``). Their values are in the units the caller passes as
``units`` for the axis labels (``minirgan.evaluate`` passes the data's own).
``evaluation_figures`` builds the Figures, ``write_evaluation_figures`` writes them.
"""

import numpy as np

from .figure import axes_grid, save
from .pages import feature_name, feature_pages, save_pages

PCA_SCALING = "min-max scaled to [0, 1] by the real range"


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


def scaled_by_real(real, fake):
    """(real, fake) (N, T, F) with each feature mapped by the real data's [min, max] onto [0, 1]
    (a constant real feature to 0); what the PCA view is computed on."""
    lo = real.min(axis=(0, 1))
    span = real.max(axis=(0, 1)) - lo
    span = np.where(span > 0, span, 1.0)
    return (real - lo) / span, (fake - lo) / span


def pca_figure(real, fake, max_points=1000):
    """Scatter of real and generated sequences (N, T, F) on the first two principal components
    of the real data, both min-max scaled by the real range first (``scaled_by_real``)."""
    real, fake = scaled_by_real(real[:max_points], fake[:max_points])
    rp, fp, explained = pca_projection(real, fake)
    fig, axes = axes_grid(1, 1, 5.5, 5)
    ax = axes[0, 0]
    if rp.shape[1] == 1:            # a single value per sequence: no second component
        rp, fp = np.c_[rp, np.zeros(len(rp))], np.c_[fp, np.zeros(len(fp))]
        explained = np.r_[explained, 0.0]
    ax.scatter(rp[:, 0], rp[:, 1], s=6, alpha=0.4, label="real", color="tab:blue")
    ax.scatter(fp[:, 0], fp[:, 1], s=6, alpha=0.4, label="generated", color="tab:red")
    ax.set_xlabel(f"PC 1 score (scaled units; {100 * explained[0]:.0f}% of real variance)")
    ax.set_ylabel(f"PC 2 score (scaled units; {100 * explained[1]:.0f}%)")
    ax.set_title(f"PCA of the flattened sequences,\nevery feature {PCA_SCALING}", fontsize=10)
    ax.legend()
    return fig


def marginals_figures(real, fake, names=None, units="data units"):
    """Figures (pages): per-feature histograms of every value (all sequences and steps), real vs
    generated."""
    def draw(ax, j):
        lo = min(real[..., j].min(), fake[..., j].min())
        hi = max(real[..., j].max(), fake[..., j].max())
        bins = np.linspace(lo, hi if hi > lo else lo + 1.0, 31)
        for data, label, color in ((real, "real", "tab:blue"), (fake, "generated", "tab:red")):
            ax.hist(data[..., j].ravel(), bins=bins, density=True, alpha=0.5, label=label,
                    color=color, histtype="stepfilled")
        ax.set_title(feature_name(names, j), fontsize=9)
        ax.set_xlabel(f"value ({units})", fontsize=8)
        ax.set_ylabel("density (per unit of value)", fontsize=8)

    return feature_pages(real.shape[2], draw, "distribution of the values, real vs generated")


def autocorrelation_figures(acf_real, acf_fake, names=None):
    """Figures (pages): per-feature mean autocorrelation r_k (K, F) against the lag k, real vs
    generated."""
    lags = np.arange(acf_real.shape[0])

    def draw(ax, j):
        ax.plot(lags, acf_real[:, j], "o-", label="real", color="tab:blue")
        ax.plot(lags, acf_fake[:, j], "s--", label="generated", color="tab:red")
        ax.set_title(feature_name(names, j), fontsize=9)
        ax.set_xlabel("lag k (time steps)", fontsize=8)
        ax.set_ylabel("autocorrelation r_k (no unit)", fontsize=8)
        ax.set_ylim(-1.05, 1.05)

    return feature_pages(acf_real.shape[1], draw, "mean autocorrelation, real vs generated")


def evaluation_figures(real, fake, acf_real, acf_fake, names=None, units="data units"):
    """{role: [Figure, ...]} for "pca", "marginals", "autocorrelation". real (N_r, T, F), fake
    (N_f, T, F) in ``units``; acf_* (K, F) their mean autocorrelations; names: F feature names."""
    return {"pca": [pca_figure(real, fake)],
            "marginals": marginals_figures(real, fake, names, units),
            "autocorrelation": autocorrelation_figures(acf_real, acf_fake, names)}


def write_evaluation_figures(real, fake, acf_real, acf_fake, paths, names=None, units="data units"):
    """Write ``evaluation_figures`` to ``paths`` ({"pca": ..., "marginals": ...,
    "autocorrelation": ...}; a figure of many pages adds files, ``pages.py``). Returns ``paths``."""
    for role, pages in evaluation_figures(real, fake, acf_real, acf_fake, names, units).items():
        save_pages(pages, paths[role])
    return paths


def plot_pca(real, fake, path, max_points=1000):
    """``pca_figure`` written to ``path``."""
    return save(pca_figure(real, fake, max_points), path)


def plot_marginals(real, fake, path, names=None, units="data units"):
    """``marginals_figures`` written to ``path`` (and its later pages); returns the paths."""
    return save_pages(marginals_figures(real, fake, names, units), path)


def plot_autocorrelation(acf_real, acf_fake, path, names=None):
    """``autocorrelation_figures`` written to ``path`` (and its later pages); returns the paths."""
    return save_pages(autocorrelation_figures(acf_real, acf_fake, names), path)
