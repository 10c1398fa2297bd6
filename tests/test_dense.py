"""E2's output layer y_t = g(W_hy h_t + b_y): forward values and gradient checks."""

import numpy as np
import pytest

from minirgan import dense_backward, dense_forward, init_dense_params
from minirgan.activations import OUTPUT_ACTIVATIONS
from minirgan.gradcheck import numerical_gradient, relative_error
from minirgan.models.output_head import output_backward, output_forward


def test_E2_dense_forward_value():
    h = np.array([[1.0, 2.0]])
    params = {"W_hy": np.array([[0.5, -1.0], [2.0, 0.25]]), "b_y": np.array([0.1, -0.2])}
    y, _ = dense_forward(h, params)
    assert np.allclose(y, [[0.5 - 2.0 + 0.1, 2.0 + 0.5 - 0.2]])


@pytest.mark.parametrize("lead", [(3,), (3, 5)])
def test_E2_dense_gradcheck(lead):
    rng = np.random.default_rng(0)
    H, O = 4, 2
    h = rng.standard_normal(lead + (H,))
    params = {k: rng.uniform(-1, 1, v.shape) for k, v in init_dense_params(H, O, rng=rng).items()}
    y, cache = dense_forward(h, params)
    dy = rng.standard_normal(y.shape)
    dh, grads = dense_backward(dy, cache)
    f = lambda: dense_forward(h, params)[0]
    assert relative_error(dh, numerical_gradient(f, h, dy)) < 1e-8
    for k in params:
        assert relative_error(grads[k], numerical_gradient(f, params[k], dy)) < 1e-8


def test_dense_bad_shapes():
    params = init_dense_params(4, 2, rng=0)
    with pytest.raises(ValueError, match=r"params\['W_hy'\]"):
        dense_forward(np.zeros((3, 5)), params)
    _, cache = dense_forward(np.zeros((3, 4)), params)
    with pytest.raises(ValueError, match="dy must have shape"):
        dense_backward(np.zeros((3, 3)), cache)


@pytest.mark.parametrize("activation", sorted(OUTPUT_ACTIVATIONS))
def test_E2_output_head_with_its_activation_gradcheck(activation):
    """E2 whole, y_t = g(W_hy h_t + b_y), as the generator and the latent decoder end
    (minirgan/models/output_head.py), for every g."""
    rng = np.random.default_rng(1)
    H, O = 4, 3
    h = rng.standard_normal((3, 5, H))
    params = {k: rng.uniform(-1, 1, v.shape) for k, v in init_dense_params(H, O, rng=rng).items()}
    y, cache = output_forward(h, params, activation)
    assert np.allclose(y, OUTPUT_ACTIVATIONS[activation][0](dense_forward(h, params)[0]))
    dy = rng.standard_normal(y.shape)
    dh, grads = output_backward(dy, cache)
    f = lambda: output_forward(h, params, activation)[0]
    assert relative_error(dh, numerical_gradient(f, h, dy)) < 1e-7
    for k in params:
        assert relative_error(grads[k], numerical_gradient(f, params[k], dy)) < 1e-7
