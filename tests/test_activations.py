"""Activations (used by E1, E2, E11–E15 and the LSTM) and their derivatives."""

import numpy as np
import pytest

from minirgan import activations as act
from minirgan.gradcheck import numerical_gradient, relative_error


def test_sigmoid_never_overflows_and_keeps_dtype():
    a = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y = act.sigmoid(a)
    assert np.all(np.isfinite(y))
    assert y[0] == 0.0 and y[-1] == 1.0 and y[2] == 0.5
    assert act.sigmoid(a.astype(np.float32)).dtype == np.float32


def test_sigmoid_matches_definition_in_safe_range():
    a = np.linspace(-20, 20, 41)
    assert np.allclose(act.sigmoid(a), 1.0 / (1.0 + np.exp(-a)), rtol=1e-14, atol=0)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "identity"])
def test_activation_derivative_matches_finite_differences(name):
    a = np.random.default_rng(0).uniform(-3, 3, size=(4, 5))
    f = act.OUTPUT_ACTIVATIONS[name][0]
    dy = np.random.default_rng(1).standard_normal(a.shape)
    y = f(a)
    analytic = act.activation_backward(name, dy, a, y)
    numeric = numerical_gradient(lambda: f(a), a, dy)
    assert relative_error(analytic, numeric) < 1e-8


def test_leaky_relu_slope():
    assert np.allclose(act.leaky_relu(np.array([-2.0, 3.0])), [-0.4, 3.0])


def test_softmax_rows_sum_to_one_without_overflow_and_backward_is_exact():
    a = np.array([[1000.0, 1000.0, -1000.0], [0.1, 0.2, 0.3]])
    y = act.softmax(a)
    assert np.allclose(y.sum(axis=1), 1.0) and np.all(np.isfinite(y))
    b = np.random.default_rng(2).standard_normal((3, 4))
    dy = np.random.default_rng(3).standard_normal(b.shape)
    analytic = act.softmax_backward(dy, act.softmax(b))
    numeric = numerical_gradient(lambda: act.softmax(b), b, dy)
    assert relative_error(analytic, numeric) < 1e-8


def test_unknown_activation_is_a_clear_error():
    with pytest.raises(ValueError, match="activation must be one of"):
        act.activation_backward("swish", 1.0, 0.0, 0.0)
