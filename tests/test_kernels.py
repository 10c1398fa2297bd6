"""The numba kernels against the NumPy reference: same values, same gradients, same errors.

Agreement is measured per array as max |numba − numpy| / max |numpy|: 1e-12 in float64,
1e-5 in float32, for the forward output and every backward output (E1, E11–E15, LSTM).
The 1×1×1×1 problem is compared in float64 only: with a single entry, float32 rounding
of nearly cancelling terms (e.g. dx = Σ_gates da·W) alone reaches 7e-5 relative, on
either backend, so that comparison would test float32 rather than the kernels.
"""

import copy
import json
import os

import numpy as np
import pytest

import minirgan as mr
from conftest import all_outputs, random_problem, run_cell
from minirgan.gradcheck import CELLS, THRESHOLDS, cell_gradcheck

# H from 1 to 17: the standard GRU's forward takes its narrow loop below 8 units (float64) or
# 16 (float32) and its row loop above (kernels.gru_kernels.is_narrow); both are covered
SHAPES = [(3, 5, 4, 6), (1, 6, 3, 5), (4, 1, 3, 5), (4, 6, 3, 1), (2, 3, 1, 4), (2, 4, 3, 17)]
TOLERANCE = {np.float64: 1e-12, np.float32: 1e-5}


def relative_difference(a, b):
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-30))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("cell", CELLS)
def test_numba_equals_numpy_forward_and_every_gradient(cell, shape, dtype):
    problem = random_problem(cell, *shape, dtype)
    reference = all_outputs(cell, *problem, backend="numpy")
    fast = all_outputs(cell, *problem, backend="numba")
    assert fast.keys() == reference.keys()
    for name in reference:
        assert fast[name].dtype == dtype, name
        assert fast[name].shape == reference[name].shape, name
        err = relative_difference(fast[name], reference[name])
        assert err < TOLERANCE[dtype], f"{cell} {shape} {name}: {err:.1e}"


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("H", [1, 2, 3, 8, 16, 19])
def test_narrow_and_row_loops_of_the_standard_gru_give_bitwise_equal_arrays(H, dtype):
    """E11–E15 in the two traversals of kernels.gru_kernels: same operations, same bits."""
    from minirgan.kernels.gru_kernels import _forward_loop_standard, _forward_loop_standard_narrow
    N, T = 5, 4
    rng = np.random.default_rng(H)
    xp = rng.standard_normal((T, N, 3 * H)).astype(dtype)
    W_zuhT = rng.standard_normal((H, 2 * H)).astype(dtype)
    W_chT = rng.standard_normal((H, H)).astype(dtype)
    row = [np.full((T + 1, N, H), np.nan, dtype)] + [np.full((T, N, H), np.nan, dtype) for _ in range(4)]
    row[0][0] = rng.standard_normal((N, H))
    narrow = [a.copy() for a in row]
    _forward_loop_standard(xp, W_zuhT, W_chT, *row, None)
    _forward_loop_standard_narrow(xp, W_zuhT, W_chT, *narrow, *(a.reshape(-1) for a in narrow))
    for name, a, b in zip(("hs", "z", "u", "r", "c"), row, narrow):
        assert np.all(np.isfinite(b)), name          # every entry written (they start as NaN)
        assert np.array_equal(a, b), name


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(0, 2), (1, 1), (1, 5), (7, 3), (2944, 6), (1536, 96)])
def test_column_sums_are_bitwise_numpys_sum_over_rows(shape, dtype):
    """The bias gradients' sums (kernels.reductions) add in NumPy's order, signed zeros included."""
    from minirgan.kernels.reductions import column_sums
    rng = np.random.default_rng(shape[0])
    a = rng.standard_normal((shape[0], shape[1] + 2)).astype(dtype)
    a[rng.random(a.shape) < 0.2] = -0.0
    for block in (a, a[:, 1:-1]):                  # contiguous and a column slice (GRU's b_ch)
        expected = block.sum(axis=0)
        got = column_sums(block)
        assert got.dtype == dtype
        assert np.array_equal(got, expected) and np.array_equal(np.signbit(got), np.signbit(expected))


def test_the_narrow_gru_loop_is_taken_below_two_simd_registers_of_state():
    from minirgan.kernels.gru_kernels import is_narrow
    assert is_narrow(7, np.float64) and not is_narrow(8, np.float64)
    assert is_narrow(15, np.float32) and not is_narrow(16, np.float32)


@pytest.mark.parametrize("cell", CELLS)
def test_numba_equals_numpy_on_a_single_unit_float64(cell):
    problem = random_problem(cell, 1, 1, 1, 1, np.float64, seed=3)
    reference = all_outputs(cell, *problem, backend="numpy")
    fast = all_outputs(cell, *problem, backend="numba")
    for name in reference:
        assert relative_difference(fast[name], reference[name]) < 1e-12, name


@pytest.mark.parametrize("cell", CELLS)
def test_gradcheck_passes_on_numba_backend(cell):
    rows = cell_gradcheck(cell, "sequence", N=2, T=4, D=3, H=4, seed=1, backend="numba", threshold=1e-7)
    assert {r.name for r in rows} >= {"x", "h0"}
    assert THRESHOLDS["sequence"] >= 1e-7       # the suite is at least as strict as the published bound
    for row in rows:
        assert row.passed, f"{cell} d{row.name}: {row.error:.1e}"


def test_relu_rnn_passes_gradient_only_through_units_that_are_on():
    # E1 with f = ReLU, one step: dL/db_h = Σ_n dh · [a > 0], and [a > 0] = [h > 0]
    params, x, (h0,), _ = random_problem("rnn-relu", 6, 1, 2, 5, np.float64)
    h, cache = mr.rnn_forward(x, h0, params, "relu", backend="numba")
    assert (h == 0).any() and (h > 0).any()
    _, _, grads = mr.rnn_backward(np.ones_like(h), cache)
    np.testing.assert_array_equal(grads["b_h"], (h[:, 0] > 0).sum(axis=0).astype(float))


@pytest.mark.parametrize("cell", CELLS)
def test_backward_twice_is_identical_and_changes_nothing(cell):
    params, x, states, dh = random_problem(cell, 3, 4, 2, 5, np.float64)
    inputs = (x, *states, dh)
    saved = [a.copy() for a in inputs] + [{k: v.copy() for k, v in params.items()}]
    h, cache, backward = run_cell(cell, params, x, states, "numba")
    cache_before = copy.deepcopy(cache)
    first = backward(dh, cache)
    second = backward(dh, cache)
    for a, b in zip((first[0], *first[1]), (second[0], *second[1])):
        np.testing.assert_array_equal(a, b)
    for k in first[-1]:
        np.testing.assert_array_equal(first[-1][k], second[-1][k])
    for a, b in zip(inputs, saved):
        np.testing.assert_array_equal(a, b)
    for k in params:
        np.testing.assert_array_equal(params[k], saved[-1][k])
    assert cache.keys() == cache_before.keys()
    for k, v in cache.items():
        if isinstance(v, np.ndarray):
            np.testing.assert_array_equal(v, cache_before[k], err_msg=k)
        elif isinstance(v, dict):
            for name in v:
                np.testing.assert_array_equal(v[name], cache_before[k][name], err_msg=name)
        else:
            assert v == cache_before[k], k


def test_numba_accepts_non_contiguous_inputs():
    params, x, (h0,), dh = random_problem("gru", 3, 8, 4, 5, np.float64)
    x_strided, dh_strided = x[:, ::2], dh[:, ::2]
    h_ref, cache_ref = mr.gru_forward(np.ascontiguousarray(x_strided), h0, params, backend="numpy")
    h, cache = mr.gru_forward(x_strided, h0, params, backend="numba")
    assert relative_difference(h, h_ref) < 1e-12
    dx, _, _ = mr.gru_backward(dh_strided, cache)
    dx_ref, _, _ = mr.gru_backward(np.ascontiguousarray(dh_strided), cache_ref)
    assert relative_difference(dx, dx_ref) < 1e-12


def _error_message(fn):
    with pytest.raises(ValueError) as info:
        fn()
    return str(info.value)


BAD_INPUTS = {   # (params, x, states) -> (params, x, states), one thing broken
    "x not 3-D": lambda p, x, s: (p, x[0], s),
    "x with NaN": lambda p, x, s: (p, np.where(np.arange(x.size).reshape(x.shape) == 5, np.nan, x), s),
    "h0 wrong shape": lambda p, x, s: (p, x, (s[0][:, :-1],) + s[1:]),
    "missing weight": lambda p, x, s: ({k: v for k, v in list(p.items())[1:]}, x, s),
    "weight wrong shape": lambda p, x, s: ({k: (v[:, :-1] if v.ndim == 2 else v) for k, v in p.items()}, x, s),
}


@pytest.mark.parametrize("bad", list(BAD_INPUTS))
@pytest.mark.parametrize("cell", ["rnn", "gru", "gru-reset_after", "lstm"])
def test_bad_input_gets_the_same_clear_error_on_both_backends(cell, bad):
    params, x, states, _ = random_problem(cell, 2, 3, 2, 4, np.float64)
    args = BAD_INPUTS[bad](params, x, states)
    messages = [_error_message(lambda: run_cell(cell, *args, backend))
                for backend in ("numpy", "numba")]
    assert messages[0] == messages[1]
    assert any(word in messages[0] for word in ("x", "h0", "params"))


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_bad_upstream_gradient_gets_the_same_error_on_both_backends(cell):
    params, x, states, dh = random_problem(cell, 2, 3, 2, 4, np.float64)
    messages = []
    for backend in ("numpy", "numba"):
        _, cache, backward = run_cell(cell, params, x, states, backend)
        messages.append(_error_message(lambda: backward(dh[:, :-1], cache)))
    assert messages[0] == messages[1] and "dh" in messages[0]


def test_unknown_backend_is_rejected_by_the_sequence_functions():
    params, x, (h0,), _ = random_problem("gru", 2, 3, 2, 4, np.float64)
    message = _error_message(lambda: mr.gru_forward(x, h0, params, backend="torch"))
    assert "backend" in message and "numba" in message


def test_loop_blas_is_pinned_to_one_thread_and_the_setting_is_validated():
    from minirgan.kernels import blas_threads
    for lib in blas_threads.scipy_blas_controllers():
        assert lib.num_threads == 1, lib.filepath
    for bad in (0, -1, 1.5, "2"):
        with pytest.raises(ValueError, match="positive int"):
            blas_threads.limit_loop_blas_threads(bad)


PIN_AFTER_TRAINING = """
import json, os, sys, tempfile
import scipy.linalg.cython_blas                      # SciPy's BLAS loaded first, at two threads
from threadpoolctl import ThreadpoolController
for lib in ThreadpoolController().lib_controllers:
    if lib.user_api == "blas":
        lib.set_num_threads(2)
from minirgan.config import TrainConfig
from minirgan.train import train
train(TrainConfig(iterations=2, n_data=32, hidden=3, batch=4, seq_len=5, checkpoint_every=2,
                  metrics_every=0), os.path.join(tempfile.mkdtemp(), "run"), progress=False,
      figures=False)
from minirgan.kernels.blas_threads import scipy_blas_controllers
print(json.dumps([lib.num_threads for lib in scipy_blas_controllers()]))
"""


def test_the_loop_blas_pin_survives_a_training_run_that_first_loads_the_kernels():
    """train's BLAS cap restores what it found on entry; the kernels' pin must come before it, or
    a fresh process that loads the kernels inside the cap gets SciPy's default back afterwards."""
    from test_same_seed_checksum import digest_in_subprocess
    last_line = digest_in_subprocess(PIN_AFTER_TRAINING,
                                     unset=[k for k in os.environ if k.endswith("_NUM_THREADS")])
    counts = json.loads(last_line)
    assert counts and all(n == 1 for n in counts), counts


def test_keeping_freed_memory_can_be_switched_off(monkeypatch):
    from minirgan.kernels import allocator
    monkeypatch.setenv("MINIRGAN_KEEP_FREED_MEMORY", "0")
    assert allocator.keep_freed_memory() is False
