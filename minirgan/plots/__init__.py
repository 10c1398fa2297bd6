"""Figures on matplotlib's object-oriented ``Figure`` API: no pyplot, no backend switch.

Each figure has a builder that returns matplotlib Figures (a list of pages for the per-feature
ones) and a ``plot_*`` / ``write_*`` function that writes PNGs; nothing here touches
matplotlib's global state, so importing minirgan never changes a notebook's or a user's
backend. Every feature is drawn (one panel each, paged when there are many), every axis is
labelled with its unit, and text from the data is never read as mathtext.

* :mod:`minirgan.plots.training`   the run folder's samples.png, losses.png, d_outputs.png
* :mod:`minirgan.plots.evaluation` pca.png (on the min-max scaled data), marginals.png,
                                   autocorrelation.png
* :mod:`minirgan.plots.conditional` a conditional image generator's grid, one row per class
* :mod:`minirgan.plots.pages`      small multiples: a panel per feature, pages, data text
* :mod:`minirgan.plots.figure`     the two helpers they share (a grid of axes, save)
"""

from .conditional import class_grid_figure, plot_class_grid
from .evaluation import (evaluation_figures, pca_projection, plot_autocorrelation, plot_marginals,
                         plot_pca, scaled_by_real, write_evaluation_figures)
from .training import (plot_curves, plot_d_outputs, plot_images, plot_losses, plot_sequences,
                       smooth, training_figures, write_training_figures)

__all__ = ["class_grid_figure", "plot_class_grid", "evaluation_figures", "pca_projection",
           "plot_autocorrelation", "plot_marginals", "plot_pca", "scaled_by_real",
           "write_evaluation_figures", "plot_curves", "plot_d_outputs", "plot_images",
           "plot_losses", "plot_sequences", "smooth", "training_figures", "write_training_figures"]
