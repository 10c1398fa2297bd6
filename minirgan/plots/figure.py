"""A figure with a grid of axes, and saving it: matplotlib's ``Figure`` without pyplot.

A ``matplotlib.figure.Figure`` made directly belongs to no pyplot window list and needs no
backend choice: ``savefig`` renders it with the canvas matching the file type (Agg for PNG),
and the figure is freed when it goes out of scope, so nothing needs closing.
"""

from matplotlib.figure import Figure


def axes_grid(rows, cols, width, height, **subplots):
    """(figure, axes as a (rows, cols) array); ``width``, ``height`` of one panel in inches."""
    fig = Figure(figsize=(width * cols, height * rows), layout="tight")
    axes = fig.subplots(rows, cols, squeeze=False, **subplots)
    return fig, axes


def save(fig, path, dpi=100):
    """Write ``fig`` to ``path`` (the format follows the extension)."""
    fig.savefig(path, dpi=dpi)
    return path
