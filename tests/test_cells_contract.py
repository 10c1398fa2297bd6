"""What every cell function promises beyond its math: backward is repeatable and pure,
length-1 sequences and batches of one work, and dtypes follow the inputs."""

import copy

import numpy as np
import pytest

import minirgan as mr
from conftest import random_params


def _run(cell, x, rng, dtype=np.float64):
    """Forward a cell; return (h, backward closure taking dh)."""
    N, T, D = x.shape
    H = 4
    h0 = rng.standard_normal((N, H)).astype(dtype)
    if cell == "rnn":
        p = random_params(mr.init_rnn_params, D, H, rng, dtype)
        h, cache = mr.rnn_forward(x, h0, p)
        return h, cache, mr.rnn_backward
    if cell == "gru":
        p = random_params(mr.init_gru_params, D, H, rng, dtype)
        h, cache = mr.gru_forward(x, h0, p)
        return h, cache, mr.gru_backward
    p = random_params(mr.init_lstm_params, D, H, rng, dtype)
    h, cache = mr.lstm_forward(x, h0, rng.standard_normal((N, H)).astype(dtype), p)
    return h, cache, mr.lstm_backward


def _flatten(result):
    out = []
    for r in result:
        out += [r[k] for k in sorted(r)] if isinstance(r, dict) else [r]
    return out


CELL_NAMES = ["rnn", "gru", "lstm"]


@pytest.fixture(params=["numpy", "numba"])
def backend(request):
    """Run a contract test on each backend via the package default."""
    previous = mr.get_backend()
    mr.set_backend(request.param)
    yield request.param
    mr.set_backend(previous)


@pytest.mark.parametrize("cell", CELL_NAMES)
def test_backward_twice_is_identical_and_pure(cell, rng, backend):
    x = rng.standard_normal((3, 5, 2))
    h, cache, backward = _run(cell, x, rng)
    dh = rng.standard_normal(h.shape)
    dh_before, cache_before = dh.copy(), copy.deepcopy(cache)
    first = _flatten(backward(dh, cache))
    second = _flatten(backward(dh, cache))
    assert all(np.array_equal(a, b) for a, b in zip(first, second))
    assert np.array_equal(dh, dh_before)
    after, before = _arrays_in(cache), _arrays_in(cache_before)
    assert len(after) == len(before) > 0
    assert all(np.array_equal(a, b) for a, b in zip(after, before))


def _arrays_in(obj):
    """Every ndarray inside a (nested) cache, in a stable order — whatever the backend's layout."""
    if isinstance(obj, np.ndarray):
        return [obj]
    if isinstance(obj, dict):
        return [a for k in sorted(obj, key=str) for a in _arrays_in(obj[k])]
    if isinstance(obj, (list, tuple)):
        return [a for item in obj for a in _arrays_in(item)]
    return []


@pytest.mark.parametrize("cell", CELL_NAMES)
@pytest.mark.parametrize("shape", [(1, 5, 3), (3, 1, 3), (1, 1, 1)])
def test_length_one_and_batch_of_one(cell, shape, rng, backend):
    x = rng.standard_normal(shape)
    h, cache, backward = _run(cell, x, rng)
    assert h.shape == shape[:2] + (4,)
    dx = backward(np.ones_like(h), cache)[0]
    assert dx.shape == shape and np.all(np.isfinite(dx))


@pytest.mark.parametrize("cell", CELL_NAMES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_follows_inputs(cell, dtype, rng, backend):
    x = rng.standard_normal((2, 3, 2)).astype(dtype)
    h, cache, backward = _run(cell, x, rng, dtype)
    assert h.dtype == dtype
    result = _flatten(backward(np.ones_like(h), cache))
    assert all(r.dtype == dtype for r in result)


@pytest.mark.parametrize("cell", CELL_NAMES)
def test_float32_agrees_with_float64(cell):
    x = np.random.default_rng(5).standard_normal((2, 4, 3))
    h64, _, _ = _run(cell, x, np.random.default_rng(6))
    h32, _, _ = _run(cell, x.astype(np.float32), np.random.default_rng(6), np.float32)
    assert np.allclose(h32, h64, atol=1e-5)


def test_h0_none_means_zeros(rng):
    x = rng.standard_normal((2, 3, 2))
    p = mr.init_rnn_params(2, 4, rng=rng)
    assert np.array_equal(mr.rnn_forward(x, None, p)[0], mr.rnn_forward(x, np.zeros((2, 4)), p)[0])


def test_integer_input_is_promoted_to_float(rng):
    p = mr.init_rnn_params(2, 3, rng=rng)
    h, _ = mr.rnn_forward(np.ones((2, 3, 2), dtype=int), None, p)
    assert h.dtype == np.float64
