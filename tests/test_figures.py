"""Figures a practitioner reads right (issue 24 §4; issue 23 Rule 4 for the column names).

Every figure is built for a 1-, 5- and 40-feature data set: a per-feature figure has one panel
per feature, over as many pages as it needs; every panel has an x and a y label; every figure
renders, with column names that matplotlib would read as mathtext drawn as they are.
"""

import math
import os

import numpy as np
import pytest
from matplotlib import cbook
from matplotlib.backends.backend_agg import FigureCanvasAgg

from minirgan.plots import evaluation_figures, training_figures, write_evaluation_figures
from minirgan.plots.evaluation import pca_projection, scaled_by_real
from minirgan.plots import pages as plot_pages
from minirgan.plots.pages import FEATURES_PER_PAGE
from minirgan.plots.training import images_figure

# Column names as a user's CSV may have them; the first two are mathtext to matplotlib.
AWKWARD = ["price_$_usd_$", r"$\frac$", "volume", "a_b^c", "50% off"]
HISTORY = [{"step": s, "loss_d": 1.4 - 0.01 * s, "loss_g": 0.7, "d_real": 0.6, "d_fake": 0.4}
           for s in range(1, 31)]


def data_set(F, n=12, T=7, seed=0):
    """(real, fake, names): n sequences (n, T, F) each, features on very different scales."""
    rng = np.random.default_rng(seed)
    scale = 4.0 * 10.0 ** (np.arange(F) % 7)                 # 4 ... 4e6: prices beside volumes
    real = rng.uniform(size=(n, T, F)) * scale
    fake = rng.uniform(size=(n, T, F)) * scale
    names = [AWKWARD[j] if j < len(AWKWARD) else f"column {j}" for j in range(F)]
    return real, fake, names


def all_figures(F):
    real, fake, names = data_set(F)
    acf = np.linspace(1.0, -0.2, 5)[:, None] * np.ones(F)
    figures = training_figures(real, fake, HISTORY, feature_names=names)
    figures.update(evaluation_figures(real, fake, acf, 0.9 * acf, names))
    return figures


def overlapping_tick_labels(fig):
    """Draw ``fig``; [(axis title, label, label)] for tick labels of one axis that overlap."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer, found = canvas.get_renderer(), []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            labels = [t for t in axis.get_ticklabels() if t.get_visible() and t.get_text()]
            boxes = [t.get_window_extent(renderer) for t in labels]
            found += [(ax.get_title(), labels[i].get_text(), labels[i + 1].get_text())
                      for i in range(len(boxes) - 1) if boxes[i].overlaps(boxes[i + 1])]
    return found


def texts(ax):
    return [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()] + [t.get_text() for t in ax.texts]


@pytest.mark.parametrize("F", [1, 5, 40])
def test_every_feature_has_a_panel_over_as_many_pages_as_needed(F):
    figures = all_figures(F)
    pages = math.ceil(F / FEATURES_PER_PAGE)
    for role in ("samples", "marginals", "autocorrelation"):
        assert len(figures[role]) == pages, role
        assert [len(fig.axes) for fig in figures[role]] == [
            min(FEATURES_PER_PAGE, F - k * FEATURES_PER_PAGE) for k in range(pages)], role
        titles = [ax.get_title() for fig in figures[role] for ax in fig.axes]
        assert len(set(titles)) == F, role                        # each feature once
    for role in ("pca", "losses", "d_outputs"):
        assert [len(fig.axes) for fig in figures[role]] == [1], role


@pytest.mark.parametrize("F", [1, 5, 40])
def test_every_axis_is_labelled_and_every_figure_renders(F):
    """Every page is checked; the first page of each figure (the one with the awkward names) is
    also drawn (a 16-panel page takes seconds on a busy machine)."""
    for role, pages in all_figures(F).items():
        for fig in pages:
            for ax in fig.axes:
                assert ax.get_xlabel().strip() and ax.get_ylabel().strip(), (role, ax.get_title())
                for text in texts(ax):
                    assert not cbook.is_math_text(text), (role, text)
        assert not overlapping_tick_labels(pages[0]), role         # drawing: mathtext would raise


def test_the_digit_images_are_labelled_too():
    real, fake, _ = data_set(4, n=3, T=5)
    fig = images_figure(real / real.max(), fake / fake.max(), n_show=3)
    assert len(fig.axes) == 6
    assert all(ax.get_xlabel() and ax.get_ylabel() for ax in fig.axes)


def test_pca_is_computed_on_the_scaled_data_and_says_so():
    """A feature of about 1e6 beside one of about 1 must not be the whole picture."""
    rng = np.random.default_rng(3)
    real = np.stack([1e6 * rng.uniform(size=(400, 1)), rng.uniform(size=(400, 1))], axis=-1)
    fake = real[::-1].copy()
    _, _, raw = pca_projection(real, fake)
    _, _, scaled = pca_projection(*scaled_by_real(real, fake))
    assert raw[0] > 0.999 and scaled[0] < 0.65
    fig = evaluation_figures(real, fake, np.ones((3, 2)), np.ones((3, 2)))["pca"][0]
    ax = fig.axes[0]
    assert f"{100 * scaled[0]:.0f}%" in ax.get_xlabel() and "scaled" in ax.get_xlabel()
    assert "min-max scaled" in ax.get_title()


def test_pages_of_an_earlier_wider_data_set_are_removed(tmp_path, monkeypatch):
    monkeypatch.setattr(plot_pages, "FEATURES_PER_PAGE", 2)             # small pages, quick to draw
    paths = {role: str(tmp_path / f"{role}.png") for role in ("pca", "marginals", "autocorrelation")}
    for F, expected_pages in ((5, 3), (2, 1)):
        real, fake, names = data_set(F, n=4, T=3)
        acf = np.ones((2, F))
        write_evaluation_figures(real, fake, acf, acf, paths, names)
        assert sorted(os.listdir(tmp_path)) == sorted(
            ["pca.png"] + [f"{role}{'' if k == 1 else f'-{k}'}.png"
                           for role in ("marginals", "autocorrelation")
                           for k in range(1, expected_pages + 1)])
