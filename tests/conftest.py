"""Shared fixtures: a seeded generator and random non-zero parameters for gradient checks."""

import numpy as np
import pytest


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


def random_params(init, D, H, rng, dtype=np.float64, **kw):
    """Every entry random and non-zero — biases included (numpy-ml's zero-bias bug hid this way)."""
    params = init(D, H, rng=rng, dtype=dtype, **kw)
    return {k: rng.uniform(-0.8, 0.8, size=v.shape).astype(dtype) for k, v in params.items()}
