"""The run folder's figures (written by ``minirgan.train.train``).

``training_figures`` builds them (matplotlib Figures, one list of pages per file) and
``write_training_figures`` writes them; the ``plot_*`` functions write one each.

* ``samples.png``   real vs generated sequences in the data's units, one panel per feature, every
                    feature (``samples-2.png`` … when there are more than 16, ``pages.py``);
                    for the digits data, a grid of real and generated images (rows = time, C5).
* ``losses.png``    L_D and L_G per step (raw and smoothed).
* ``d_outputs.png`` mean σ(D(x)) on real and σ(D(G(z))) on generated batches per step; at the
                    GAN equilibrium both approach 1/2 (for lsgan/wgan the logit is a score and
                    σ of it only a trend indicator).
"""

import numpy as np

from .figure import axes_grid, save
from .pages import feature_name, feature_pages, save_pages

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


def sequences_figures(real, fake, feature_names=None, n_show=4):
    """Figures (pages) of real (solid, blue) and generated (dashed, red) sequences (N, T, F) in
    the data's units: one panel per feature, ``n_show`` sequences of each kind."""
    n_real, n_fake = min(n_show, len(real)), min(n_show, len(fake))

    def draw(ax, j):
        for i in range(n_real):
            ax.plot(real[i, :, j], lw=1.1, color="tab:blue", label="real" if i == 0 else None)
        for i in range(n_fake):
            ax.plot(fake[i, :, j], lw=1.1, ls="--", color="tab:red",
                    label="generated" if i == 0 else None)
        ax.set_title(feature_name(feature_names, j), fontsize=9)
        ax.set_xlabel("time step t (steps)", fontsize=8)
        ax.set_ylabel("value (data units)", fontsize=8)

    return feature_pages(real.shape[2], draw,
                         f"{n_real} real (solid) and {n_fake} generated (dashed) sequences")


def images_figure(real, fake, n_show=8):
    """Two rows of images (T rows × F columns each, values in [0, 1]): real on top, generated
    below (C5)."""
    n = min(n_show, len(real), len(fake))
    fig, axes = axes_grid(2, n, 1.2, 1.5)
    for i in range(n):
        for r, (data, label) in enumerate(((real, "real"), (fake, "generated"))):
            ax = axes[r, i]
            ax.imshow(data[i], cmap="gray_r", vmin=0.0, vmax=1.0)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_xlabel("feature →", fontsize=6)
            ax.set_ylabel(f"{label}\n← time step t" if i == 0 else "← time step t", fontsize=6)
    fig.suptitle("digits as sequences of rows: a row per time step (C5); ink in [0, 1]", fontsize=9)
    return fig


def curves_figure(history, series, ylabel, ylim=None, reference=None):
    """Per-step curves from the metrics records: raw (faint) and smoothed, one per (key, label)."""
    fig, axes = axes_grid(1, 1, 8, 3.5)
    ax = axes[0, 0]
    for key, label in series:
        # a series is drawn over the steps whose records have it (the latent model's records
        # have L_R in its autoencoder phase, L_D and L_G after)
        steps = [r["step"] for r in history if key in r]
        if not steps:
            continue
        values = [r[key] for r in history if key in r]
        line, = ax.plot(steps, values, lw=0.5, alpha=0.35)
        ax.plot(steps, smooth(values), lw=1.6, color=line.get_color(), label=label)
    if reference is not None:
        ax.axhline(reference, color="gray", lw=0.8, ls="--")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlabel("generator step (updates of G)")
    ax.set_ylabel(ylabel)
    ax.legend()
    return fig


def losses_figure(history):
    """L_D and L_G per step (``history``: the records of metrics.jsonl)."""
    return curves_figure(history, (("loss_ae", "L_R (autoencoder, latent model)"),
                                   ("loss_d", "L_D (discriminator)"), ("loss_g", "L_G (generator)")),
                         f"loss ({LOSS_UNITS})")


def d_outputs_figure(history):
    """Mean σ(D(x)) on real and σ(D(G(z))) on generated batches per step, with 1/2 marked."""
    return curves_figure(history, (("d_real", "mean σ(D(x)), real"),
                                   ("d_fake", "mean σ(D(G(z))), generated")),
                         "discriminator output (probability)", ylim=(0, 1), reference=0.5)


def training_figures(real, fake, history, images=False, feature_names=None):
    """{role: [Figure, ...]}: "samples" (``real``, ``fake``: (n, T, F) in the data's units;
    ``images`` draws them as images) and, if there is a ``history``, "losses" and "d_outputs"."""
    figures = {"samples": [images_figure(real, fake, len(real))] if images
               else sequences_figures(real, fake, feature_names)}
    if history:
        figures.update(losses=[losses_figure(history)], d_outputs=[d_outputs_figure(history)])
    return figures


def write_training_figures(real, fake, history, paths, images=False, feature_names=None):
    """Write ``training_figures`` to the run folder's files by role (``paths``, as from
    ``minirgan.run.run_paths``; a figure of many pages adds files, ``pages.py``). Returns ``paths``."""
    for role, pages in training_figures(real, fake, history, images, feature_names).items():
        save_pages(pages, paths[role], dpi=90)
    return paths


def plot_sequences(real, fake, path, feature_names=None, n_show=4):
    """``sequences_figures`` written to ``path`` (and its later pages); returns the paths."""
    return save_pages(sequences_figures(real, fake, feature_names, n_show), path, dpi=90)


def plot_images(real, fake, path, n_show=8):
    """``images_figure`` written to ``path``."""
    return save(images_figure(real, fake, n_show), path, dpi=90)


def plot_curves(history, series, path, ylabel, ylim=None, reference=None):
    """``curves_figure`` written to ``path``."""
    return save(curves_figure(history, series, ylabel, ylim, reference), path, dpi=90)


def plot_losses(history, path):
    """``losses_figure`` written to ``path``."""
    return save(losses_figure(history), path, dpi=90)


def plot_d_outputs(history, path):
    """``d_outputs_figure`` written to ``path``."""
    return save(d_outputs_figure(history), path, dpi=90)
