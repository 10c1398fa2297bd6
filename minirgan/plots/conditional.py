"""The figure of a conditional image generator: a grid with one row per class (C5).

Row k shows ``n_per_row`` images generated for class k; the row is labelled with the class's
label and, if given, the fraction of that class's images the digit judge recognised as it.
"""

import numpy as np

from .figure import axes_grid, save


def class_grid_figure(images, labels, classes, n_per_row=10, recognised=None, title=None):
    """A Figure: one row per label of ``classes``, the first ``n_per_row`` images of that label.

    Inputs: images (N, T, F) with values in [0, 1] (ink 1); labels (N,) the label of each image;
    classes the labels in row order; recognised (K,) optional fractions shown beside each row.
    """
    images, labels = np.asarray(images), np.asarray(labels)
    fig, axes = axes_grid(len(classes), n_per_row, 0.55, 0.6)
    for r, label in enumerate(classes):
        mine = images[labels == label][:n_per_row]
        for j in range(n_per_row):
            ax = axes[r, j]
            if j < len(mine):
                ax.imshow(mine[j], cmap="gray_r", vmin=0.0, vmax=1.0)
            ax.set_xticks([])
            ax.set_yticks([])
        text = f"{label}" if recognised is None else f"{label}: {100 * recognised[r]:.0f}%"
        axes[r, 0].set_ylabel(text, fontsize=8, rotation=0, ha="right", va="center")
    fig.suptitle(title or "generated for each class (row label: asked class"
                 + ("; % recognised as it)" if recognised is not None else ")"), fontsize=9)
    fig.supxlabel("image columns = features; image rows = time steps t (C5)", fontsize=8)
    return fig


def plot_class_grid(images, labels, classes, path, **kw):
    """``class_grid_figure`` written to ``path``."""
    return save(class_grid_figure(images, labels, classes, **kw), path, dpi=90)
