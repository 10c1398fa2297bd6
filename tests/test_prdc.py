"""Precision, recall, density and coverage (Naeem et al. 2020) on cases with known answers."""

import numpy as np
import pytest

from minirgan.metrics import kth_neighbour_distance, prdc
from minirgan.metrics import manifold


def cloud(n, seed, T=4, F=2):
    return np.random.default_rng(seed).uniform(size=(n, T, F))


def brute_force(real, fake, k):
    """The four numbers from full distance matrices and sorting (a second oracle)."""
    x, y = real.reshape(len(real), -1), fake.reshape(len(fake), -1)
    dxx = np.linalg.norm(x[:, None] - x[None], axis=2)
    dyy = np.linalg.norm(y[:, None] - y[None], axis=2)
    dxy = np.linalg.norm(x[:, None] - y[None], axis=2)
    rx, ry = np.sort(dxx, axis=1)[:, k], np.sort(dyy, axis=1)[:, k]
    inside = dxy < rx[:, None]
    return {"precision": inside.any(axis=0).mean(), "recall": (dxy < ry[None, :]).any(axis=1).mean(),
            "density": inside.sum() / (k * len(y)), "coverage": (dxy.min(axis=1) < rx).mean()}


def test_kth_neighbour_distance_on_a_line():
    points = np.arange(6.0).reshape(6, 1, 1)
    assert np.array_equal(kth_neighbour_distance(points.reshape(6, 1), 1), np.ones(6))
    assert np.array_equal(kth_neighbour_distance(points.reshape(6, 1), 2), [2, 1, 1, 1, 1, 2])


def test_identical_sets_score_one_everywhere():
    x = cloud(300, 0)
    result = prdc(x, x.copy())
    assert [result[m] for m in ("precision", "recall", "density", "coverage")] == [1.0, 1.0, 1.0, 1.0]


def test_a_far_shifted_set_scores_zero_everywhere():
    x = cloud(200, 1)
    result = prdc(x, x + 10.0)
    assert [result[m] for m in ("precision", "recall", "density", "coverage")] == [0.0, 0.0, 0.0, 0.0]


def test_a_collapsed_set_is_precise_but_covers_almost_nothing():
    real = cloud(300, 2)
    collapsed = np.repeat(real[:1], 300, axis=0)
    result = prdc(real, collapsed)
    assert result["precision"] == 1.0 and result["recall"] == 0.0   # r_k of identical fakes is 0
    assert result["coverage"] < 0.05
    assert result == {**result, **brute_force(real, collapsed, 5)}


def test_matches_the_brute_force_oracle_across_blocks(monkeypatch):
    monkeypatch.setattr(manifold, "_BLOCK", 37)
    real, fake = cloud(150, 3), 0.8 * cloud(120, 4)
    result = prdc(real, fake, k=3)
    expected = brute_force(real, fake, 3)
    assert all(abs(result[m] - expected[m]) < 1e-12 for m in expected)
    assert 0.0 < result["coverage"] < 1.0 and result["n_fake"] == 120


def test_max_samples_subsamples_each_set():
    result = prdc(cloud(80, 5), cloud(90, 6), max_samples=50, rng=0)
    assert result["n_real"] == 50 and result["n_fake"] == 50


def test_too_few_sequences_for_k():
    with pytest.raises(ValueError, match="more than k = 5"):
        prdc(cloud(5, 0), cloud(20, 1))
