"""The package-wide backend switch: numba by default, validated, followed by backward."""

import numpy as np
import pytest

import minirgan as mr
from minirgan import backend


@pytest.fixture
def restore_backend():
    before = mr.get_backend()
    yield
    mr.set_backend(before)


def test_numba_is_the_package_default():
    assert backend.DEFAULT_BACKEND == "numba"


@pytest.mark.parametrize("bad", ["torch", "NUMBA", "", None, 1])
def test_set_backend_rejects_unknown_names(bad, restore_backend):
    before = mr.get_backend()
    with pytest.raises(ValueError, match="backend must be one of"):
        mr.set_backend(bad)
    assert mr.get_backend() == before


@pytest.mark.parametrize("name", ["numpy", "numba"])
def test_default_backend_is_used_and_remembered_by_the_cache(name, restore_backend):
    mr.set_backend(name)
    assert mr.get_backend() == name
    x = np.ones((2, 3, 1))
    params = mr.init_rnn_params(1, 4, rng=0)
    _, cache = mr.rnn_forward(x, None, params)
    assert cache["backend"] == name
    # an explicit backend wins over the default
    other = "numpy" if name == "numba" else "numba"
    _, cache = mr.rnn_forward(x, None, params, backend=other)
    assert cache["backend"] == other
