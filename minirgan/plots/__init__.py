"""Figures on matplotlib's object-oriented ``Figure`` API: no pyplot, no backend switch.

Every function takes arrays (and a path) and writes one PNG; nothing here touches
matplotlib's global state, so importing minirgan never changes a notebook's or a user's
backend. Every axis is labelled, with its unit.

* :mod:`minirgan.plots.training`   the run folder's samples.png, losses.png, d_outputs.png
* :mod:`minirgan.plots.evaluation` pca.png, marginals.png, autocorrelation.png
* :mod:`minirgan.plots.conditional` a conditional image generator's grid, one row per class
* :mod:`minirgan.plots.figure`     the two helpers they share (a grid of axes, save)
"""

from .conditional import class_grid_figure, plot_class_grid
from .evaluation import (pca_projection, plot_autocorrelation, plot_marginals, plot_pca,
                         write_evaluation_figures)
from .training import (plot_curves, plot_d_outputs, plot_images, plot_losses, plot_sequences,
                       smooth, write_training_figures)

__all__ = ["class_grid_figure", "plot_class_grid", "pca_projection", "plot_autocorrelation", "plot_marginals", "plot_pca",
           "write_evaluation_figures", "plot_curves", "plot_d_outputs", "plot_images",
           "plot_losses", "plot_sequences", "smooth", "write_training_figures"]
