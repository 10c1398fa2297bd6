"""What every cell function promises beyond its math: backward is repeatable and pure,
length-1 sequences and batches of one work, and dtypes follow the inputs."""

import copy

import numpy as np
import pytest

import minirgan as mr
from conftest import random_params, random_problem
from minirgan.cells import CELL_TYPES, VARIANTS, get_cell


def _run(cell, x, rng, dtype=np.float64):
    """Forward a cell (through the registry) with random non-zero params and initial states;
    return (h, cache, backward)."""
    N, T, D = x.shape
    H = 4
    row = get_cell(cell)
    p = random_params(row, D, H, rng, dtype)
    states = tuple(rng.standard_normal((N, H)).astype(dtype) for _ in row.states)
    h, cache = row.forward(x, states, p)
    return h, cache, row.backward


def _flatten(result):
    out = []
    for r in result:
        if isinstance(r, dict):
            out += [r[k] for k in sorted(r)]
        elif isinstance(r, tuple):
            out += list(r)
        else:
            out.append(r)
    return out


CELL_NAMES = CELL_TYPES


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


PUBLIC = {   # variant -> (sequence forward, backward, step forward, step backward), the README's API
    "rnn": (lambda x, s, p: mr.rnn_forward(x, *s, p), mr.rnn_backward,
            lambda x, s, p: mr.rnn_step_forward(x, *s, p), mr.rnn_step_backward),
    "rnn-relu": (lambda x, s, p: mr.rnn_forward(x, *s, p, activation="relu"), mr.rnn_backward,
                 lambda x, s, p: mr.rnn_step_forward(x, *s, p, activation="relu"), mr.rnn_step_backward),
    "gru": (lambda x, s, p: mr.gru_forward(x, *s, p), mr.gru_backward,
            lambda x, s, p: mr.gru_step_forward(x, *s, p), mr.gru_step_backward),
    "gru-reset_after": (lambda x, s, p: mr.gru_forward(x, *s, p, reset_after=True), mr.gru_backward,
                        lambda x, s, p: mr.gru_step_forward(x, *s, p, reset_after=True), mr.gru_step_backward),
    "lstm": (lambda x, s, p: mr.lstm_forward(x, *s, p), mr.lstm_backward,
             lambda x, s, p: mr.lstm_step_forward(x, *s, p), mr.lstm_step_backward),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_public_functions_are_the_registry_cell(variant, backend):
    """rnn_forward(..., activation=), gru_forward(..., reset_after=), lstm_forward and their
    backward and step functions return exactly what the registry row computes, in the
    README's order (dx, dh0[, dc0], grads; h[, c], cache)."""
    assert set(PUBLIC) == set(VARIANTS)
    cell, options = VARIANTS[variant]
    forward, backward_, step, step_backward = PUBLIC[variant]
    params, x, states, dh = random_problem(variant, 3, 4, 2, 5)
    h, cache = forward(x, states, params)
    h_row, cache_row = cell.forward(x, states, params, **options)
    assert np.array_equal(h, h_row)
    public, (dx, dstates, grads) = backward_(dh, cache), cell.backward(dh, cache_row)
    assert all(np.array_equal(a, b) for a, b in zip(_flatten(public), _flatten((dx, dstates, grads))))
    assert len(public) == 2 + len(cell.states)
    # one step
    *new, step_cache = step(x[:, 0], states, params)
    new_row, step_cache_row = cell.step(x[:, 0], states, params, **options)
    assert all(np.array_equal(a, b) for a, b in zip(new, new_row)) and len(new) == len(cell.states)
    dnew = tuple(dh[:, 0] * (k + 1) for k in range(len(cell.states)))
    public = step_backward(*dnew, step_cache)
    assert all(np.array_equal(a, b) for a, b in zip(_flatten(public),
                                                    _flatten(cell.step_back(dnew, step_cache_row))))
