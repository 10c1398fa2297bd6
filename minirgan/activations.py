"""Elementwise activations and their derivatives.

Every activation ``f`` comes with ``f_grad``, the derivative written in terms of
what the backward pass has at hand. Gates and candidates store their *outputs*
in the cache, so the derivatives of sigmoid and tanh take the output ``y``:

    sigmoid'(a) = y (1 - y)        tanh'(a) = 1 - y^2

ReLU and leaky ReLU take the pre-activation ``a`` instead. All functions keep
the dtype of their input and never emit overflow warnings.
"""

import numpy as np


def sigmoid(a):
    """Logistic function 1 / (1 + e^{-a}) that never overflows.

    ``exp`` is only ever applied to ``-|a|`` (which is <= 0), and the two
    algebraically equal forms are chosen by sign:
    ``1/(1+e^{-a})`` for a >= 0 and ``e^{a}/(1+e^{a})`` for a < 0.
    """
    a = np.asarray(a)
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(a.dtype, copy=False)


def sigmoid_grad(y):
    """Derivative of the sigmoid, given its output ``y = sigmoid(a)``."""
    return y * (1.0 - y)


def tanh(a):
    """Hyperbolic tangent (NumPy's is already overflow-free)."""
    return np.tanh(a)


def tanh_grad(y):
    """Derivative of tanh, given its output ``y = tanh(a)``."""
    return 1.0 - y * y


def relu(a):
    """max(a, 0)."""
    return np.maximum(a, 0)


def relu_grad(a):
    """Derivative of ReLU at the pre-activation ``a`` (0 at a = 0)."""
    return (a > 0).astype(np.asarray(a).dtype)


def leaky_relu(a, slope=0.2):
    """a for a > 0, ``slope * a`` otherwise (A4 uses slope 0.2)."""
    return np.where(a > 0, a, slope * a)


def leaky_relu_grad(a, slope=0.2):
    """Derivative of leaky ReLU at the pre-activation ``a``."""
    a = np.asarray(a)
    return np.where(a > 0, 1.0, slope).astype(a.dtype)


def identity(a):
    """f(a) = a."""
    return a


def identity_grad(a):
    """Derivative of the identity: ones shaped like ``a``."""
    return np.ones_like(a)


def softmax(a, axis=-1):
    """Softmax along ``axis``; the max is subtracted first so exp never overflows."""
    shifted = a - np.max(a, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_backward(dy, y, axis=-1):
    """Vector-Jacobian product of softmax: given dL/dy and y = softmax(a), return dL/da.

    The Jacobian is diag(y) - y y^T, so dL/da = y * (dy - <dy, y>).
    """
    return y * (dy - np.sum(dy * y, axis=axis, keepdims=True))


# Output activations by name, as the dense heads and the CLI refer to them.
# Each entry: (forward, derivative, whether the derivative takes the output).
OUTPUT_ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_grad, True),
    "tanh": (tanh, tanh_grad, True),
    "identity": (identity, identity_grad, False),
    "relu": (relu, relu_grad, False),
    "leaky_relu": (leaky_relu, leaky_relu_grad, False),
}


def activation_backward(name, dy, a, y):
    """dL/da for the named activation, given dL/dy, the pre-activation a and the output y."""
    if name not in OUTPUT_ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(OUTPUT_ACTIVATIONS)}, got {name!r}")
    _, grad, takes_output = OUTPUT_ACTIVATIONS[name]
    return dy * grad(y if takes_output else a)
