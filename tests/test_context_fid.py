"""The Fréchet distance and context-FID (minirgan's GRU encoder) on cases with known answers."""

import numpy as np
import pytest

from minirgan.data import load_dataset
from minirgan.metrics import ContextEncoder, context_fid, frechet_distance


def gaussian(n, d, seed):
    return np.random.default_rng(seed).normal(size=(n, d)) @ np.diag(np.arange(1.0, d + 1))


def test_frechet_distance_of_a_set_with_itself_is_zero():
    a = gaussian(200, 4, 0)
    assert frechet_distance(a, a.copy()) < 1e-10


def test_a_shift_adds_its_squared_length():
    a, c = gaussian(300, 3, 1), np.array([0.5, -1.0, 2.0])
    assert np.isclose(frechet_distance(a, a + c), np.sum(c ** 2), rtol=1e-8)


def test_one_dimension_is_mean_and_std_difference_squared():
    a = np.array([[-1.0], [1.0]])             # mean 0, std 1.414 (ddof 1)
    b = 3.0 * a + 2.0                          # mean 2, std 4.243
    assert np.isclose(frechet_distance(a, b), 2.0 ** 2 + (np.sqrt(2) * 3 - np.sqrt(2)) ** 2, rtol=1e-12)


def test_a_collapsed_set_costs_its_mean_offset_plus_the_real_spread():
    a = gaussian(400, 3, 2)
    v = np.array([0.1, 0.2, 0.3])
    collapsed = np.tile(v, (50, 1))
    expected = np.sum((a.mean(axis=0) - v) ** 2) + np.trace(np.cov(a, rowvar=False))
    assert np.isclose(frechet_distance(a, collapsed), expected, rtol=1e-8)


def test_frechet_distance_rejects_bad_shapes():
    with pytest.raises(ValueError, match="same d"):
        frechet_distance(np.ones((3, 2)), np.ones((3, 4)))
    with pytest.raises(ValueError, match="at least 2 rows"):
        frechet_distance(np.ones((1, 2)), np.ones((3, 2)))


@pytest.fixture(scope="module")
def sines_and_encoder():
    real, _, _ = load_dataset("sines", n=2000, rng=0)
    encoder = ContextEncoder(real.shape[2], hidden=16).fit(real, iterations=500, batch_size=64, rng=0)
    return real, encoder


def test_the_encoder_learns_and_embeds(sines_and_encoder):
    real, encoder = sines_and_encoder
    assert encoder.losses[-20:].mean() < 0.1 * encoder.losses[:20].mean()
    assert encoder.embed(real[:7]).shape == (7, 16)
    assert context_fid(real, real.copy(), encoders=[encoder]).mean < 1e-10
    with pytest.raises(ValueError, match="not trained"):
        ContextEncoder(5).embed(real)


def test_context_fid_ranks_real_good_collapsed_and_shuffled(sines_and_encoder):
    real, encoder = sines_and_encoder
    held_out, _, _ = load_dataset("sines", n=2000, rng=1)
    rng = np.random.default_rng(0)
    good = np.clip(held_out + rng.normal(0.0, 0.1, held_out.shape), 0.0, 1.0)   # real + noise
    collapsed = np.repeat(held_out[:5], 400, axis=0)                           # 5 distinct sequences
    shuffled = np.stack([x[rng.permutation(x.shape[0])] for x in held_out])    # steps permuted
    fid = {name: context_fid(real, x, encoders=[encoder]).mean
           for name, x in [("real", held_out), ("good", good), ("collapsed", collapsed),
                           ("shuffled", shuffled)]}
    assert fid["real"] < fid["good"] < fid["collapsed"] and fid["good"] < fid["shuffled"], fid
