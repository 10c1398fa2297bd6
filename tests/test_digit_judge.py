"""The digit judge: its ceiling on real held-out digits, chance on noise, and a collapsed set."""

import numpy as np
import pytest

from minirgan.metrics.digit_judge import digit_judge


@pytest.fixture(scope="module")
def judge():
    return digit_judge("uci-digits")


def test_ceiling_on_real_held_out_handwriting(judge):
    assert judge.x_test.shape == (597, 8, 8)
    assert judge.ceiling > 0.95                              # measured 0.990
    score = judge.score_conditional(judge.x_test, judge.y_test)
    assert score.overall == judge.ceiling
    assert np.array_equal(score.ceiling, judge.per_class_ceiling)
    un = judge.score_unconditional(judge.x_test)
    assert un.covered == 10 and un.min_share > 0.05 and un.tv_to_uniform < 0.1


def test_noise_is_recognised_at_chance(judge):
    rng = np.random.default_rng(0)
    noise = rng.random((3000, 8, 8))
    asked = rng.integers(0, 10, size=3000)
    score = judge.score_conditional(noise, asked)
    assert abs(score.overall - 0.1) < 0.03                   # asked classes independent of the images


def test_a_collapsed_set_is_caught(judge):
    recognised = judge.probabilities(judge.x_test).argmax(axis=1) == judge.y_test
    one_three = judge.x_test[(judge.y_test == 3) & recognised][:1]      # a 3 the judge reads as 3
    collapsed = np.repeat(one_three, 500, axis=0)
    un = judge.score_unconditional(collapsed)
    assert un.covered == 1 and un.shares[3] == 1.0 and un.tv_to_uniform == pytest.approx(0.9)
    asked = np.arange(500) % 10
    score = judge.score_conditional(collapsed, asked)
    assert score.recognised[3] == 1.0 and np.nansum(score.recognised) == 1.0
    assert score.overall == pytest.approx(0.1)
    assert "recognised" in str(score) and "classes seen 1/10" in str(un)


def test_font_digit_judge_recognises_fresh_renders():
    from minirgan.data import digit_sequences
    judge = digit_judge("digits")
    assert judge.ceiling > 0.97
    x, y = digit_sequences(300, rng=123)
    assert judge.score_conditional(x, y).overall > 0.97


def test_bad_shapes_and_sets_are_named(judge):
    with pytest.raises(ValueError, match="images must have shape"):
        judge.probabilities(np.zeros((2, 16, 16)))
    with pytest.raises(ValueError, match="asked"):
        judge.score_conditional(judge.x_test[:3], np.array([0, 1, 10]))
    with pytest.raises(ValueError, match="dataset"):
        digit_judge("mnist")
