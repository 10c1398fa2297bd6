"""Evaluate a trained run: the metrics of ``minirgan.metrics`` in ``metrics.json``, and figures.

``evaluate_run(run_dir)`` loads the run's generator from its checkpoint, regenerates the run's
training data (same seed, so the same sequences), draws N samples and writes into the folder:

* ``metrics.json``       discriminative and predictive scores (TimeGAN's protocols; mean, std
                         and every repeat), MMD², autocorrelation distance, diversity ratio;
* ``pca.png``            real and generated sequences projected on the real data's first two
                         principal components (NumPy SVD of the flattened sequences);
* ``marginals.png``      per-feature histograms of the values, real vs generated;
* ``autocorrelation.png`` per-feature mean autocorrelation curves, real vs generated.

Units: TimeGAN computes its scores on data in [0, 1] (its predictor ends in a sigmoid). Data
that already lie in [0, 1], like TimeGAN's sines, are evaluated in their own units, so the
numbers compare with the paper's; other data are min-max scaled to [0, 1] with the real data's
per-feature bounds first (both sets with the same map). ``metrics.json`` says which was used.
"""

import json
import os
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
import numpy as np  # noqa: E402

from .metrics import (autocorrelation, autocorrelation_distance, discriminative_score,  # noqa: E402
                      diversity_ratio, mmd2, predictive_score)
from .metrics.protocol import random_batch, sequence_pair  # noqa: E402

EVALUATION_FILES = {"metrics": "metrics.json", "pca": "pca.png", "marginals": "marginals.png",
                    "autocorrelation": "autocorrelation.png"}

# The full protocols (TimeGAN) and the --fast settings (quick look; not comparable to papers).
PROTOCOL = {"repeats": 10, "disc_iterations": 2000, "pred_iterations": 5000}
FAST = {"repeats": 1, "disc_iterations": 500, "pred_iterations": 1000}
MMD_SAMPLES = 2000        # MMD² is O(N²): at most this many sequences of each set
MAX_PANELS = 8            # features shown in the per-feature figures


# --------------------------------------------------------------------------- numbers

def to_unit_interval(real, fake):
    """(real, fake, units): both as they are if real lies in [0, 1], else both min-max scaled
    with real's per-feature bounds. ``units`` is "data" or "min-max scaled"."""
    real, fake = sequence_pair(real, fake)
    if real.min() >= 0.0 and real.max() <= 1.0:
        return real, fake, "data"
    lo = real.min(axis=(0, 1))
    span = np.maximum(real.max(axis=(0, 1)) - lo, 1e-12)
    return (real - lo) / span, (fake - lo) / span, "min-max scaled"


def evaluate_samples(real, fake, repeats=None, fast=False, rng=None, backend=None, progress=False):
    """Every metric of generated ``fake`` (N_f, T, F) against ``real`` (N_r, T, F), as a dict.

    ``repeats`` overrides the number of repeats of the two post-hoc scores (default 10, or 1
    with ``fast``); ``fast`` also shortens their training (500 and 1,000 iterations instead of
    the protocols' 2,000 and 5,000). Returns a JSON-ready dict (see ``docs/metrics.md``).
    """
    settings = dict(FAST if fast else PROTOCOL)
    if repeats is not None:
        settings["repeats"] = repeats
    rng = np.random.default_rng(rng)
    real, fake, units = to_unit_interval(real, fake)
    t0 = time.perf_counter()
    disc = discriminative_score(real, fake, repeats=settings["repeats"],
                                iterations=settings["disc_iterations"], rng=rng, backend=backend,
                                progress=progress)
    pred = predictive_score(fake, real, repeats=settings["repeats"],
                            iterations=settings["pred_iterations"], rng=rng, backend=backend,
                            progress=progress)
    few_real = random_batch(real, MMD_SAMPLES, rng)
    few_fake = random_batch(fake, MMD_SAMPLES, rng)
    return {"n_real": int(len(real)), "n_generated": int(len(fake)), "units": units,
            "protocol": "fast" if fast else "TimeGAN", **settings,
            "discriminative_score": disc.to_dict(), "predictive_score": pred.to_dict(),
            "mmd2": mmd2(few_real, few_fake),
            "acf_distance": autocorrelation_distance(real, fake),
            "diversity": diversity_ratio(real, fake, rng=rng),
            "seconds": time.perf_counter() - t0}


def summary_lines(metrics):
    """A short human-readable summary of ``evaluate_samples``' dict."""
    d, p = metrics["discriminative_score"], metrics["predictive_score"]
    return [f"discriminative score  {d['mean']:.4f} ± {d['std']:.4f}   (0 = indistinguishable, 0.5 = separable)",
            f"predictive score      {p['mean']:.4f} ± {p['std']:.4f}   (MAE, train on generated, test on real)",
            f"MMD²                  {metrics['mmd2']:.5f}           (0 = same distribution)",
            f"autocorrelation dist. {metrics['acf_distance']:.4f}            (0 = same temporal structure)",
            f"diversity ratio       {metrics['diversity']:.3f}             (≈1 healthy, ≪1 mode collapse)",
            f"({metrics['protocol']} protocol, {metrics['repeats']} repeats, {metrics['n_real']} real and "
            f"{metrics['n_generated']} generated sequences, {metrics['units']} units)"]


# --------------------------------------------------------------------------- figures

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


def plot_pca(real, fake, path, max_points=1000):
    """Scatter of real and generated sequences on the real data's first two PCs."""
    real, fake = real[:max_points], fake[:max_points]
    rp, fp, explained = pca_projection(real, fake)
    fig, ax = plt.subplots(figsize=(5.5, 5))
    if rp.shape[1] == 1:            # a single value per sequence: no second component
        rp, fp = np.c_[rp, np.zeros(len(rp))], np.c_[fp, np.zeros(len(fp))]
        explained = np.r_[explained, 0.0]
    ax.scatter(rp[:, 0], rp[:, 1], s=6, alpha=0.4, label="real", color="tab:blue")
    ax.scatter(fp[:, 0], fp[:, 1], s=6, alpha=0.4, label="generated", color="tab:red")
    ax.set_xlabel(f"PC 1 ({100 * explained[0]:.0f}% of real variance)")
    ax.set_ylabel(f"PC 2 ({100 * explained[1]:.0f}%)")
    ax.set_title("PCA of the flattened sequences")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _feature_grid(F):
    shown = min(F, MAX_PANELS)
    cols = min(shown, 4)
    rows = (shown + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.6 * rows), squeeze=False)
    for ax in axes.ravel()[shown:]:
        ax.axis("off")
    return fig, axes.ravel()[:shown]


def plot_marginals(real, fake, path, names=None):
    """Per-feature histograms of every value (all sequences and steps), real vs generated."""
    fig, axes = _feature_grid(real.shape[2])
    for j, ax in enumerate(axes):
        lo = min(real[..., j].min(), fake[..., j].min())
        hi = max(real[..., j].max(), fake[..., j].max())
        bins = np.linspace(lo, hi if hi > lo else lo + 1.0, 31)
        ax.hist(real[..., j].ravel(), bins=bins, density=True, alpha=0.5, label="real", color="tab:blue")
        ax.hist(fake[..., j].ravel(), bins=bins, density=True, alpha=0.5, label="generated", color="tab:red")
        ax.set_title(names[j] if names else f"feature {j}", fontsize=9)
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_autocorrelation(real, fake, path, names=None):
    """Per-feature mean autocorrelation r_k against the lag k, real vs generated."""
    acf_real, acf_fake = autocorrelation(real), autocorrelation(fake)
    lags = np.arange(acf_real.shape[0])
    fig, axes = _feature_grid(real.shape[2])
    for j, ax in enumerate(axes):
        ax.plot(lags, acf_real[:, j], "o-", label="real", color="tab:blue")
        ax.plot(lags, acf_fake[:, j], "s--", label="generated", color="tab:red")
        ax.set_title(names[j] if names else f"feature {j}", fontsize=9)
        ax.set_xlabel("lag k")
        ax.set_ylim(-1.05, 1.05)
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_figures(real, fake, out_dir, names=None):
    """pca.png, marginals.png and autocorrelation.png in ``out_dir``; returns their paths."""
    paths = {k: os.path.join(out_dir, v) for k, v in EVALUATION_FILES.items() if k != "metrics"}
    plot_pca(real, fake, paths["pca"])
    plot_marginals(real, fake, paths["marginals"], names)
    plot_autocorrelation(real, fake, paths["autocorrelation"], names)
    return paths


# --------------------------------------------------------------------------- a run folder

def run_real_data(run_dir):
    """The run's training data in the data's units, regenerated exactly as ``train`` made it
    (same config, same seed), and the data set's info dict."""
    from .checkpoint import load_checkpoint, run_paths
    from .config import TrainConfig
    from .train import load_training_data

    saved = load_checkpoint(run_paths(run_dir)["checkpoint"])
    config = TrainConfig.from_dict(saved["config"])
    data, scaler, info = load_training_data(config, np.random.default_rng(config.seed))
    return scaler.inverse_transform(data), info


def evaluate_run(run_dir, n=None, repeats=None, fast=False, seed=0, backend=None, progress=True,
                 figures=True):
    """Evaluate a run folder: writes metrics.json (and the figures); returns the metrics dict.

    n generated sequences (default: as many as the real data set has), drawn with ``seed``;
    repeats, fast, backend: as in :func:`evaluate_samples`.
    """
    from .commands.sample import draw_samples, load_generator

    G, scaler, _ = load_generator(run_dir)
    real, info = run_real_data(run_dir)
    n = len(real) if n is None else n
    if not (isinstance(n, (int, np.integer)) and n >= 2):
        raise ValueError(f"n must be an integer >= 2 (generated sequences to evaluate), got {n!r}")
    fake = draw_samples(G, scaler, n, seed)
    metrics = evaluate_samples(real, fake, repeats=repeats, fast=fast, rng=seed, backend=backend,
                               progress=progress)
    metrics["run_dir"] = os.path.abspath(run_dir)
    with open(os.path.join(run_dir, EVALUATION_FILES["metrics"]), "w") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")
    if figures:
        write_figures(real, fake, run_dir, info.get("feature_names"))
    return metrics
