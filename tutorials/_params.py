"""Shared settings for the tutorials: fast mode, figure style, and a size picker.

The test suite runs every notebook top to bottom with ``MINIRGAN_FAST=1``; the
notebooks then shrink their problem sizes with :func:`pick` so each finishes in
seconds. Run them yourself without the variable to get the full-size results
(the figures committed with the notebooks come from such a full run).
"""

import os
import warnings

import matplotlib

# tqdm's notebook bars need ipywidgets; the plain text bar is fine here, without the warning.
warnings.filterwarnings("ignore", message="IProgress not found")

FAST = os.environ.get("MINIRGAN_FAST", "0") == "1"


def pick(full, fast):
    """``fast`` when the tutorials run in fast mode (MINIRGAN_FAST=1), else ``full``."""
    return fast if FAST else full


def setup_figures():
    """Modest, readable inline figures (small files for the docs site). minirgan never
    changes matplotlib's backend, so a notebook keeps its own (inline) figures."""
    matplotlib.rcParams.update({"figure.dpi": 72, "savefig.dpi": 72, "figure.figsize": (7.0, 3.6),
                                "axes.grid": True, "grid.alpha": 0.3, "font.size": 10})


def banner():
    """One line saying which mode the notebook runs in."""
    return f"mode: {'FAST (MINIRGAN_FAST=1, reduced sizes)' if FAST else 'full'}"
