"""A small multilayer perceptron: the latent GAN's generator and discriminator (docs/latent.md).

Layer k maps a_{k−1} to a_k = φ(W_k a_{k−1} + b_k) (M14): E2's affine layer (``dense.py``)
followed by leaky ReLU (slope 0.2, A4) on every hidden layer and by the output activation g on
the last one (tanh for the latent generator, whose codes are tanh-bounded; the identity for the
discriminator, whose output is a logit).

Parameters live in one flat dict under ``{prefix}.l{k}.W_hy`` and ``{prefix}.l{k}.b_y``, so a
model made of several parts (``models/latent.py``) can hold them in one dict with no clash.
``forward(x)`` returns (y, cache) and ``backward(dy, cache)`` returns (dx, grads), with the same
switches as the recurrent models (``need_input_grad``, ``need_param_grads``).
Shapes: N batch, D input width, O output width.
"""

import numpy as np

from ..activations import OUTPUT_ACTIVATIONS, activation_backward, leaky_relu, leaky_relu_grad
from ..dense import dense_backward, dense_forward, init_dense_params
from ..validation import as_float_array, backward_needs, check_count, check_finite, upstream_gradient
from .params import prefixed, unprefixed

SLOPE = 0.2        # leaky ReLU's slope on the negative side (A4)


class MLP:
    """widths [D, H_1, …, O]: len(widths) − 1 affine layers, leaky ReLU between them and
    ``output_activation`` (a name of ``activations.OUTPUT_ACTIVATIONS``) after the last.
    ``prefix`` names the parameters; ``rng`` (seed or Generator) draws them (Glorot-uniform
    weights, zero biases); ``dtype`` float64 (default) or float32."""

    def __init__(self, widths, output_activation="identity", prefix="mlp", rng=None, dtype=np.float64):
        widths = [check_count("an MLP width", w) for w in widths]
        if len(widths) < 2:
            raise ValueError(f"an MLP needs an input and an output width, got widths {widths}")
        if output_activation not in OUTPUT_ACTIVATIONS:
            raise ValueError(f"output_activation must be one of {sorted(OUTPUT_ACTIVATIONS)}, "
                             f"got {output_activation!r}")
        self.widths, self.output_activation, self.prefix = widths, output_activation, prefix
        self.dtype = np.dtype(dtype)
        rng = np.random.default_rng(rng)
        self.params = {}
        for k, (d, o) in enumerate(zip(widths[:-1], widths[1:])):
            self.params.update(prefixed(self._layer(k), init_dense_params(d, o, rng, self.dtype)))

    def _layer(self, k):
        return f"{self.prefix}.l{k}"

    @property
    def depth(self):
        return len(self.widths) - 1

    def forward(self, x):
        """x (N, D) -> y (N, O), cache."""
        x = as_float_array("x", x)
        if x.ndim != 2 or x.shape[1] != self.widths[0]:
            raise ValueError(f"x must have shape (N, {self.widths[0]}), got {x.shape}")
        check_finite("x", x)
        a = x.astype(self.dtype, copy=False)
        caches = []
        for k in range(self.depth):
            last = k == self.depth - 1
            # M14: a_k = φ(W_k a_{k−1} + b_k), φ = leaky ReLU on hidden layers, g on the last
            pre, dense_cache = dense_forward(a, unprefixed(self._layer(k), self.params))
            a = (OUTPUT_ACTIVATIONS[self.output_activation][0](pre) if last
                 else leaky_relu(pre, SLOPE))
            caches.append((pre, a, dense_cache))
        return a, caches

    def backward(self, dy, cache, need_input_grad=True, need_param_grads=True):
        """dy (N, O) -> dx (N, D), grads (keys of ``params``); each None when not needed."""
        need_input_grad, need_param_grads = backward_needs(need_input_grad, need_param_grads)
        N = cache[0][0].shape[0]
        da = upstream_gradient("dy", dy, (N, self.widths[-1]), self.dtype)
        grads = {} if need_param_grads else None
        for k in reversed(range(self.depth)):
            pre, out, dense_cache = cache[k]
            if k == self.depth - 1:
                # M14 differentiated through g: ∂L/∂(W_k a + b_k) = ∂L/∂a_k ∘ g'
                dpre = activation_backward(self.output_activation, da, pre, out)
            else:
                # M14 differentiated through leaky ReLU: ∂L/∂(W_k a + b_k) = ∂L/∂a_k ∘ φ'
                dpre = da * leaky_relu_grad(pre, SLOPE)
            need_dx = need_input_grad or k > 0
            da, layer_grads = dense_backward(dpre, dense_cache, need_input_grad=need_dx,
                                             need_param_grads=need_param_grads)
            if need_param_grads:
                grads.update(prefixed(self._layer(k), layer_grads))
        return (da if need_input_grad else None), grads
