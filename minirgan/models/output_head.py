"""The output layer of every sequence that a model writes (E2), forward and backward.

The generator's output (its ``out.`` parameters) and the latent model's decoder (its
``dec.out.`` ones) end in the same layer: an affine map of the hidden state at each step, then
the output activation g that puts the values in the data's range. Shapes: h (N, T, H) or
(N, H) -> y of the same leading shape with F features.
"""

from ..activations import OUTPUT_ACTIVATIONS, activation_backward
from ..dense import dense_backward, dense_forward


def output_forward(h, params, activation):
    """y = g(W h + b) and the cache; params: the layer's {"W_hy", "b_y"} (unprefixed)."""
    # E2 (affine part): a_t = W_hy h_t + b_y
    a, dense_cache = dense_forward(h, params)
    # E2: y_t = g(a_t)
    y = OUTPUT_ACTIVATIONS[activation][0](a)
    return y, (activation, a, y, dense_cache)


def output_backward(dy, cache, need_param_grads=True):
    """dL/dy -> (dL/dh, the layer's grads {"W_hy", "b_y"} or None)."""
    activation, a, y, dense_cache = cache
    # E2 differentiated: dL/da = dL/dy ∘ g'(a), then through W_hy
    da = activation_backward(activation, dy, a, y)
    return dense_backward(da, dense_cache, need_param_grads=need_param_grads)
