"""The run folder's figures (matplotlib, Agg backend: no screen needed).

* ``samples.png``   real vs generated sequences, a few features each, in the data's units;
                    for the digits data, a grid of real and generated images (rows = time, C5).
* ``losses.png``    L_D and L_G per step (raw and smoothed).
* ``d_outputs.png`` mean σ(D(x)) on real and σ(D(G(z))) on generated batches per step; at the
                    GAN equilibrium both approach 1/2 (for lsgan/wgan the logit is a score and
                    σ of it only a trend indicator).
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
import numpy as np  # noqa: E402

from .checkpoint import run_paths  # noqa: E402


def smooth(values, window=25):
    """Trailing moving average (same length; the first points average what exists so far)."""
    v = np.asarray(values, dtype=np.float64)
    if v.size == 0:
        return v
    c = np.cumsum(np.insert(v, 0, 0.0))
    idx = np.arange(1, v.size + 1)
    lo = np.maximum(0, idx - window)
    return (c[idx] - c[lo]) / (idx - lo)


def plot_sequences(real, fake, path, feature_names=None, n_show=4, max_features=3):
    """Real (left) and generated (right) sequences (N, T, F), up to ``max_features`` panels each."""
    F = real.shape[2]
    shown = list(range(min(F, max_features)))
    fig, axes = plt.subplots(len(shown), 2, figsize=(10, 2.4 * len(shown)), squeeze=False,
                             sharey="row")
    for row, j in enumerate(shown):
        name = feature_names[j] if feature_names else f"feature {j}"
        for col, (data, title) in enumerate(((real, "real"), (fake, "generated"))):
            ax = axes[row, col]
            n = min(n_show, len(data))
            for i in range(n):
                ax.plot(data[i, :, j], lw=1.2)
            ax.set_title(f"{title}: {name}, {n} sequences", fontsize=9)
            ax.set_xlabel("time step t")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot_images(real, fake, path, n_show=8):
    """Two rows of images (T rows × F columns each): real on top, generated below (C5)."""
    n = min(n_show, len(real), len(fake))
    fig, axes = plt.subplots(2, n, figsize=(1.2 * n, 2.8), squeeze=False)
    for i in range(n):
        for r, (data, label) in enumerate(((real, "real"), (fake, "generated"))):
            ax = axes[r, i]
            ax.imshow(data[i], cmap="gray_r", vmin=0.0, vmax=1.0)
            ax.set_xticks([])
            ax.set_yticks([])
            if i == 0:
                ax.set_ylabel(label, fontsize=9)
    fig.suptitle("digits as sequences of rows: a row per time step (C5)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot_curves(history, series, path, ylabel, ylim=None, reference=None):
    """Per-step curves from the metrics records: raw (faint) and smoothed, one per (key, label)."""
    fig, ax = plt.subplots(figsize=(8, 3.5))
    steps = [r["step"] for r in history]
    for key, label in series:
        values = [r[key] for r in history]
        line, = ax.plot(steps, values, lw=0.5, alpha=0.35)
        ax.plot(steps, smooth(values), lw=1.6, color=line.get_color(), label=label)
    if reference is not None:
        ax.axhline(reference, color="gray", lw=0.8, ls="--")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlabel("generator step")
    ax.set_ylabel(ylabel)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot_losses(history, path):
    plot_curves(history, (("loss_d", "L_D (discriminator)"), ("loss_g", "L_G (generator)")),
                path, "loss")


def plot_d_outputs(history, path):
    plot_curves(history, (("d_real", "mean σ(D(x)), real"), ("d_fake", "mean σ(D(G(z))), generated")),
                path, "discriminator output", ylim=(0, 1), reference=0.5)


def write_figures(state, history, out_dir, n_show=8):
    """samples.png, losses.png and d_outputs.png for a run (see the module docstring).

    Samples are drawn with their own generator seeded from the run's seed, so drawing the
    figures never changes the training run's random stream."""
    paths = run_paths(out_dir)
    rng = np.random.default_rng((state.config.seed, 1))
    real = state.scaler.inverse_transform(state.data[rng.choice(len(state.data), n_show, replace=False)])
    fake = state.scaler.inverse_transform(state.G.sample(n_show, rng))
    if state.info.get("name") == "digits":
        plot_images(real, fake, paths["samples"], n_show)
    else:
        plot_sequences(real, fake, paths["samples"], state.info.get("feature_names"))
    if history:
        plot_losses(history, paths["losses"])
        plot_d_outputs(history, paths["d_outputs"])
    return paths
