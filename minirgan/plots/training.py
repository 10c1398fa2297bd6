"""The run folder's figures (written by ``minirgan.train.train``).

* ``samples.png``   real vs generated sequences, a few features each, in the data's units;
                    for the digits data, a grid of real and generated images (rows = time, C5).
* ``losses.png``    L_D and L_G per step (raw and smoothed).
* ``d_outputs.png`` mean σ(D(x)) on real and σ(D(G(z))) on generated batches per step; at the
                    GAN equilibrium both approach 1/2 (for lsgan/wgan the logit is a score and
                    σ of it only a trend indicator).
"""

import numpy as np

from .figure import axes_grid, save

LOSS_UNITS = "nats; a unitless score for lsgan and wgan"


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
    """Real (left) and generated (right) sequences (N, T, F) in the data's units, up to
    ``max_features`` rows of panels."""
    shown = list(range(min(real.shape[2], max_features)))
    fig, axes = axes_grid(len(shown), 2, 5, 2.4, sharey="row")
    for row, j in enumerate(shown):
        name = feature_names[j] if feature_names else f"feature {j}"
        for col, (data, title) in enumerate(((real, "real"), (fake, "generated"))):
            ax = axes[row, col]
            n = min(n_show, len(data))
            for i in range(n):
                ax.plot(data[i, :, j], lw=1.2)
            ax.set_title(f"{title}: {name}, {n} sequences", fontsize=9)
            ax.set_xlabel("time step t (steps)")
            ax.set_ylabel(f"{name} (data units)", fontsize=8)
    return save(fig, path, dpi=90)


def plot_images(real, fake, path, n_show=8):
    """Two rows of images (T rows × F columns each, values in [0, 1]): real on top, generated
    below (C5)."""
    n = min(n_show, len(real), len(fake))
    fig, axes = axes_grid(2, n, 1.2, 1.4)
    for i in range(n):
        for r, (data, label) in enumerate(((real, "real"), (fake, "generated"))):
            ax = axes[r, i]
            ax.imshow(data[i], cmap="gray_r", vmin=0.0, vmax=1.0)
            ax.set_xticks([])
            ax.set_yticks([])
            if i == 0:
                ax.set_ylabel(label, fontsize=9)
    fig.suptitle("digits as sequences of rows: a row per time step (C5); ink in [0, 1]", fontsize=9)
    return save(fig, path, dpi=90)


def plot_curves(history, series, path, ylabel, ylim=None, reference=None):
    """Per-step curves from the metrics records: raw (faint) and smoothed, one per (key, label)."""
    fig, axes = axes_grid(1, 1, 8, 3.5)
    ax = axes[0, 0]
    steps = [r["step"] for r in history]
    for key, label in series:
        values = [r[key] for r in history]
        line, = ax.plot(steps, values, lw=0.5, alpha=0.35)
        ax.plot(steps, smooth(values), lw=1.6, color=line.get_color(), label=label)
    if reference is not None:
        ax.axhline(reference, color="gray", lw=0.8, ls="--")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlabel("generator step (updates of G)")
    ax.set_ylabel(ylabel)
    ax.legend()
    return save(fig, path, dpi=90)


def plot_losses(history, path):
    """L_D and L_G per step (``history``: the records of metrics.jsonl)."""
    return plot_curves(history, (("loss_d", "L_D (discriminator)"), ("loss_g", "L_G (generator)")),
                       path, f"loss ({LOSS_UNITS})")


def plot_d_outputs(history, path):
    """Mean σ(D(x)) on real and σ(D(G(z))) on generated batches per step, with 1/2 marked."""
    return plot_curves(history, (("d_real", "mean σ(D(x)), real"),
                                 ("d_fake", "mean σ(D(G(z))), generated")),
                       path, "discriminator output (probability)", ylim=(0, 1), reference=0.5)


def write_training_figures(real, fake, history, paths, images=False, feature_names=None):
    """samples.png (``real``, ``fake``: (n, T, F) in the data's units; ``images`` draws them as
    images), and, if there is a ``history``, losses.png and d_outputs.png. ``paths``: the run
    folder's files by role (``minirgan.run.run_paths``). Returns ``paths``."""
    if images:
        plot_images(real, fake, paths["samples"], len(real))
    else:
        plot_sequences(real, fake, paths["samples"], feature_names)
    if history:
        plot_losses(history, paths["losses"])
        plot_d_outputs(history, paths["d_outputs"])
    return paths
