"""The package-wide backend switch: validated, actually obeyed, recorded in the cache, and followed
by backward; both backends give the same numbers.

The spies below wrap the numba kernels of every cell (``minirgan.kernels.*_kernels``), so a
dispatch that ran the NumPy loop while labelling its cache "numba" (or the reverse) fails here.
"""

import importlib

import numpy as np
import pytest

import minirgan as mr
from conftest import all_outputs, random_problem
from minirgan import backend
from minirgan.cells import CELLS, VARIANTS


@pytest.fixture
def restore_backend():
    before = mr.get_backend()
    yield
    mr.set_backend(before)


@pytest.fixture
def kernel_calls(monkeypatch):
    """Count the calls of every cell's numba forward and backward kernel."""
    calls = []
    for name in CELLS:
        module = importlib.import_module(f"minirgan.kernels.{name}_kernels")
        for direction in ("forward", "backward"):
            fn_name = f"{name}_{direction}_numba"
            original = getattr(module, fn_name)

            def spy(*args, _original=original, _name=fn_name, **kwargs):
                calls.append(_name)
                return _original(*args, **kwargs)
            monkeypatch.setattr(module, fn_name, spy)
    return calls


def test_numba_is_the_package_default():
    assert backend.DEFAULT_BACKEND == "numba"
    assert backend.resolve_backend(None) in backend.BACKENDS


@pytest.mark.parametrize("bad", ["torch", "NUMBA", "", None, 1])
def test_set_backend_rejects_unknown_names(bad, restore_backend):
    before = mr.get_backend()
    with pytest.raises(ValueError, match="backend must be one of"):
        mr.set_backend(bad)
    assert mr.get_backend() == before


@pytest.mark.parametrize("name", ["numpy", "numba"])
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_the_selected_backend_is_the_one_that_runs_and_the_cache_says_so(variant, name, restore_backend,
                                                                         kernel_calls):
    cell = VARIANTS[variant][0].name
    params, x, states, dh = random_problem(variant, 2, 3, 2, 4)
    mr.set_backend(name)
    assert mr.get_backend() == name
    outputs = all_outputs(variant, params, x, states, dh, backend=None)
    kernels = [f"{cell}_forward_numba", f"{cell}_backward_numba"]
    assert kernel_calls == (kernels if name == "numba" else [])
    # an explicit backend wins over the default, and backward follows the forward's cache
    other = "numpy" if name == "numba" else "numba"
    kernel_calls.clear()
    again = all_outputs(variant, params, x, states, dh, backend=other)
    assert kernel_calls == (kernels if other == "numba" else [])
    for key in outputs:   # and the two backends agree (float64: to 1e-12 relative)
        scale = max(np.max(np.abs(outputs[key])), 1e-30)
        assert np.max(np.abs(outputs[key] - again[key])) / scale < 1e-12, key


@pytest.mark.parametrize("name", ["numpy", "numba"])
def test_the_public_functions_record_the_backend_they_ran(name, restore_backend, kernel_calls):
    mr.set_backend(name)
    x = np.ones((2, 3, 1))
    params = mr.init_rnn_params(1, 4, rng=0)
    h, cache = mr.rnn_forward(x, None, params)
    assert cache["backend"] == name
    # the NumPy reference keeps one cache per step; the kernels keep time-major arrays
    assert ("steps" in cache) == (name == "numpy")
    mr.rnn_backward(np.ones_like(h), cache)
    assert kernel_calls == (["rnn_forward_numba", "rnn_backward_numba"] if name == "numba" else [])
