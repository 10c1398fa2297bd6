"""The correlational score (Ni et al. 2020, as Diffusion-TS computes it) on cases with known answers."""

import numpy as np
import pytest

from minirgan.metrics import correlational_score, cross_correlation


def independent(n, T=8, F=2, seed=0):
    return np.random.default_rng(seed).normal(size=(n, T, F))


def test_cross_correlation_of_a_feature_and_its_negative():
    x = independent(50, F=1)
    pair = np.concatenate([x, -x], axis=2)
    NT = 50 * 8
    # standardised with ddof 1, so mean z² = (NT − 1) / NT; lower triangle (0,0), (1,0), (1,1)
    expected = np.array([1.0, -1.0, 1.0]) * (NT - 1) / NT
    assert np.allclose(cross_correlation(pair), expected, rtol=0, atol=1e-12)


def test_identical_sets_of_one_repeated_sequence_score_zero():
    x = np.repeat(independent(1, F=3), 40, axis=0)
    result = correlational_score(x, x.copy(), rng=0)
    assert len(result.scores) == 5 and result.mean == 0.0


def test_affine_shift_and_scale_do_not_change_the_score():
    real, fake = independent(200, F=3, seed=1), independent(200, F=3, seed=2)
    shifted = 3.0 * fake + 5.0
    assert np.allclose(correlational_score(real, shifted, rng=4).scores,
                       correlational_score(real, fake, rng=4).scores, rtol=1e-10, atol=1e-12)


def test_perfectly_correlated_fake_against_independent_real_scores_a_tenth():
    real = independent(5000, F=2, seed=3)
    x1 = independent(5000, F=1, seed=4)
    fake = np.concatenate([x1, x1], axis=2)            # C_10 = 1 where the data have 0
    score = correlational_score(real, fake, rng=0).mean
    assert abs(score - 0.1) < 0.005                     # |1 − 0| / 10, diagonals cancel


def test_collapsed_set_keeps_the_correlation_of_its_one_sequence():
    real = independent(400, F=2, seed=5)
    one = np.repeat(real[:1], 400, axis=0)
    expected = np.abs(cross_correlation(one) - cross_correlation(real)).sum() / 10
    got = correlational_score(real, one, repeats=1, subset=len(real), rng=0).mean
    assert got > 0.0 and abs(got - expected) < 0.05     # subsets are drawn with replacement


def test_one_feature_always_scores_zero():
    result = correlational_score(independent(30, F=1), independent(30, F=1, seed=9) + 2, rng=1)
    assert max(result.scores) < 1e-15                  # C_00 = (NT − 1) / NT in both sets


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="share"):
        correlational_score(independent(10, F=2), independent(10, F=3))
    with pytest.raises(ValueError, match="repeats"):
        correlational_score(independent(10), independent(10), repeats=0)
