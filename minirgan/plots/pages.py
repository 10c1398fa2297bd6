"""Small multiples: one panel per feature, every feature drawn, paged when there are many.

A per-feature figure of F features is cut into pages of at most ``FEATURES_PER_PAGE`` panels
(4 columns); page 1 is written to the figure's own path (``marginals.png``), page k to
``marginals-k.png``. A page left from an earlier, wider data set in the same folder is removed
when the figure is written again, so the files on disk are always one figure's pages.

Text that comes from the data (column names) is shown as it is: ``plain`` escapes the dollar
signs that would otherwise make matplotlib read it as mathtext (a column named
``price_$_usd_$`` would fail to render).
"""

import glob
import os
import re

from matplotlib.ticker import MaxNLocator

from .figure import axes_grid, save

FEATURES_PER_PAGE = 16
COLUMNS = 4


def plain(text):
    """``text`` drawn literally: each ``$`` escaped so matplotlib never parses it as mathtext."""
    return str(text).replace("$", r"\$")


def feature_name(names, j):
    """The label of feature j (0-based): its name from the data, escaped, or "feature j"."""
    return plain(names[j]) if names is not None else f"feature {j}"


def readable_ticks(ax):
    """At most 5 ticks an axis, and a shared ×10^k beside the axis for values of 10^4 and more
    (or below 10^-3), so the tick labels of a small panel never run into each other."""
    ax.xaxis.set_major_locator(MaxNLocator(5))
    ax.yaxis.set_major_locator(MaxNLocator(5))
    ax.ticklabel_format(style="sci", scilimits=(-3, 4))


def feature_pages(F, draw, title, panel=(3.2, 2.6)):
    """Figures with one panel per feature, ``FEATURES_PER_PAGE`` features a page.

    draw(ax, j) draws feature j (0-based) on ``ax`` with labelled lines and labels both of its
    axes; the first panel of each page carries the legend. ``title`` is the figure's title, to
    which each page adds which features it shows. Returns a list of Figures.
    """
    pages = []
    starts = range(0, F, FEATURES_PER_PAGE)
    for number, first in enumerate(starts, start=1):
        shown = range(first, min(first + FEATURES_PER_PAGE, F))
        cols = min(len(shown), COLUMNS)
        rows = -(-len(shown) // cols)
        fig, axes = axes_grid(rows, cols, *panel)
        for ax, j in zip(axes.ravel(), shown):
            draw(ax, j)
            readable_ticks(ax)
        for ax in axes.ravel()[len(shown):]:
            fig.delaxes(ax)
        axes[0, 0].legend(fontsize=7)
        which = (f"features {shown[0]}–{shown[-1]} of {F} (page {number} of {len(starts)})"
                 if len(starts) > 1 else f"{F} feature{'s' if F > 1 else ''}")
        fig.suptitle(f"{title}; {which}", fontsize=10)
        pages.append(fig)
    return pages


def page_path(path, number):
    """Where page ``number`` (1-based) of the figure at ``path`` goes: page 1 at ``path``."""
    if number == 1:
        return path
    stem, ext = os.path.splitext(path)
    return f"{stem}-{number}{ext}"


def save_pages(figures, path, dpi=100):
    """Write each Figure of ``figures`` as a page of ``path``; remove pages beyond the last left
    by an earlier figure there. Returns the paths written."""
    written = [save(fig, page_path(path, k), dpi=dpi) for k, fig in enumerate(figures, start=1)]
    stem, ext = os.path.splitext(path)
    later = re.compile(re.escape(stem) + r"-(\d+)" + re.escape(ext) + "$")
    for old in glob.glob(glob.escape(stem) + "-*" + glob.escape(ext)):
        match = later.match(old)
        if match and int(match.group(1)) > len(figures):
            os.remove(old)
    return written
