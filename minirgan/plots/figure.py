"""A figure with a grid of axes, and saving it: matplotlib's ``Figure`` without pyplot.

A ``matplotlib.figure.Figure`` made directly belongs to no pyplot window list and needs no
backend choice: ``savefig`` renders it with the canvas matching the file type (Agg for PNG),
and the figure is freed when it goes out of scope, so nothing needs closing.
"""

import os

from matplotlib.figure import Figure

from ..atomic import atomic_open


def axes_grid(rows, cols, width, height, **subplots):
    """(figure, axes as a (rows, cols) array); ``width``, ``height`` of one panel in inches."""
    fig = Figure(figsize=(width * cols, height * rows), layout="tight")
    axes = fig.subplots(rows, cols, squeeze=False, **subplots)
    return fig, axes


def save(fig, path, dpi=100):
    """Write ``fig`` to ``path`` (the format follows the extension), atomically: a figure cut
    short by Ctrl-C or a kill never replaces the previous one (``minirgan.atomic``)."""
    form = os.path.splitext(path)[1].lstrip(".").lower() or "png"
    with atomic_open(path, "wb") as f:
        fig.savefig(f, dpi=dpi, format=form)
    return path
