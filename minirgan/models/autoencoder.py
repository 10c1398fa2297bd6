"""The recurrent autoencoder of the latent model (docs/latent.md): a sequence in, one code out,
the sequence back from the code.

RTSGAN (Pei et al., ICDM 2021) trains such an autoencoder first and a GAN on its codes after;
this is minirgan's own version, built from the project's recurrent stack (every cell of the
registry, both backends):

* encoder: x (N, T, F) → stacked recurrent layers → the last state h_T → the code
  ``c = tanh(W_e h_T + b_e)`` (M11), C numbers per sequence, bounded like the hidden states;
* decoder: the code as the input of every step, ``u_t = c`` (M12), → stacked recurrent layers
  → ``x̂_t = g(W_o s_t + b_o)`` (E2, g the run's output activation);
* loss: the mean squared reconstruction error ``L_R = mean (x̂ − x)²`` (M13).

Why the code enters the decoder at every step rather than as its initial state: a code read at
every step reaches each output through one step of the cell, so every step's reconstruction
error pulls on it directly, and the decoder can run for any number of steps L (``minirgan
sample --length``) with the code present all the way; as an initial state it would have to
survive T recurrent updates, its gradient coming back through all of them. It is also the form
of the project's generator, which reads its static noise at every step.

Parameters live in one flat dict: ``enc.rnn{l}.*``, ``enc.code.W_hy``/``b_y`` (C × H),
``dec.rnn{l}.*``, ``dec.out.W_hy``/``b_y`` (F × H).
Shapes: N batch, T time, F features, H hidden, C code.
"""

import numpy as np

from ..activations import OUTPUT_ACTIVATIONS, tanh_grad
from ..dense import dense_backward, dense_forward, init_dense_params
from ..validation import backward_needs, check_count, sequence_input, upstream_gradient
from . import defaults
from .output_head import output_backward, output_forward
from .params import prefixed, unprefixed
from .stack import RecurrentStack

ENCODE_CHUNK = 1024      # sequences encoded at once by ``encode_all`` (bounds the caches' memory)


def reconstruction_loss(x_hat, x):
    """M13: (L_R = mean over every entry of (x̂ − x)², ∂L_R/∂x̂), both of x's shape."""
    diff = x_hat - x
    # M13: L_R = (1 / NTF) Σ_{n,t,f} (x̂_{ntf} − x_{ntf})²
    loss = float(np.mean(diff * diff))
    # M13 differentiated: ∂L_R/∂x̂ = 2 (x̂ − x) / NTF
    return loss, (2.0 / diff.size) * diff


class Autoencoder:
    """Encoder and decoder of the latent model; see the module docstring.

    features F; code_dim C; hidden H, layers L, cell, activation (f of E1 for the rnn cell),
    dropout (between stacked layers, training only): the recurrent stacks of both halves;
    output_activation g of the decoder's output (the data's range, ``run.data_range``);
    rng, dtype, backend as for the recurrent models.
    """

    def __init__(self, features, code_dim, hidden=defaults.HIDDEN, layers=defaults.LAYERS,
                 cell=defaults.CELL, activation=defaults.ACTIVATION, dropout=defaults.DROPOUT,
                 output_activation=defaults.OUTPUT_ACTIVATION, rng=None, dtype=np.float64,
                 backend=None):
        if output_activation not in OUTPUT_ACTIVATIONS:
            raise ValueError(f"output_activation must be one of {sorted(OUTPUT_ACTIVATIONS)}, "
                             f"got {output_activation!r}")
        self.features, self.code_dim = check_count("features", features), check_count("code_dim", code_dim)
        self.output_activation, self.backend, self.dtype = output_activation, backend, np.dtype(dtype)
        self.encoder = RecurrentStack(cell, features, hidden, layers, dropout, activation)
        self.decoder = RecurrentStack(cell, code_dim, hidden, layers, dropout, activation)
        rng = np.random.default_rng(rng)
        self.params = {**prefixed("enc", self.encoder.init_params(rng, self.dtype)),
                       **prefixed("enc.code", init_dense_params(hidden, code_dim, rng, self.dtype)),
                       **prefixed("dec", self.decoder.init_params(rng, self.dtype)),
                       **prefixed("dec.out", init_dense_params(hidden, features, rng, self.dtype))}

    # ------------------------------------------------------------------ the encoder

    def encode(self, x, training=False, rng=None):
        """x (N, T, F) -> the codes c (N, C), cache. ``training`` turns dropout on (needs ``rng``)."""
        x = sequence_input("x", x)
        if x.shape[2] != self.features:
            raise ValueError(f"x must have shape (N, T, {self.features}), got {x.shape}")
        x = x.astype(self.dtype, copy=False)
        h, stack_cache = self.encoder.forward(x, unprefixed("enc", self.params), training, rng,
                                              self.backend)
        # M11: c = tanh(W_e h_T + b_e), h_T the last state of the encoder's top layer
        a, dense_cache = dense_forward(h[:, -1], unprefixed("enc.code", self.params))
        c = np.tanh(a)
        return c, (stack_cache, dense_cache, c, h.shape)

    def encode_backward(self, dc, cache, need_input_grad=True, need_param_grads=True):
        """dc (N, C) -> dx (N, T, F), grads (the ``enc.`` keys of ``params``)."""
        need_input_grad, need_param_grads = backward_needs(need_input_grad, need_param_grads)
        stack_cache, dense_cache, c, h_shape = cache
        dc = upstream_gradient("dc", dc, c.shape, self.dtype)
        # M11 differentiated: ∂L/∂h_T = W_eᵀ (∂L/∂c ∘ (1 − c²)); no other state reaches c
        dh_T, code_grads = dense_backward(dc * tanh_grad(c), dense_cache, need_param_grads=need_param_grads)
        dh = np.zeros(h_shape, dtype=self.dtype)
        dh[:, -1] = dh_T
        dx, stack_grads = self.encoder.backward(dh, stack_cache, need_input_grad, need_param_grads)
        grads = None
        if need_param_grads:
            grads = {**prefixed("enc", stack_grads), **prefixed("enc.code", code_grads)}
        return dx, grads

    def encode_all(self, x):
        """The codes (N, C) of every sequence of x (N, T, F), in evaluation mode, ENCODE_CHUNK
        sequences at a time."""
        return np.concatenate([self.encode(x[i:i + ENCODE_CHUNK])[0]
                               for i in range(0, len(x), ENCODE_CHUNK)])

    # ------------------------------------------------------------------ the decoder

    def decode(self, c, seq_len, training=False, rng=None):
        """c (N, C) -> x̂ (N, seq_len, F), cache: the decoder run for any number of steps."""
        seq_len = check_count("seq_len", seq_len)
        c = np.asarray(c, dtype=self.dtype)
        if c.ndim != 2 or c.shape[1] != self.code_dim:
            raise ValueError(f"c must have shape (N, {self.code_dim}), got {c.shape}")
        # M12: u_t = c at every step t = 1..T
        u = np.repeat(c[:, None, :], seq_len, axis=1)
        u = sequence_input("u", u)
        s, stack_cache = self.decoder.forward(u, unprefixed("dec", self.params), training, rng,
                                              self.backend)
        # E2: x̂_t = g(W_o s_t + b_o)
        x_hat, out_cache = output_forward(s, unprefixed("dec.out", self.params), self.output_activation)
        return x_hat, (stack_cache, out_cache, x_hat)

    def decode_backward(self, dx_hat, cache, need_input_grad=True, need_param_grads=True):
        """dx̂ (N, T, F) -> dc (N, C), grads (the ``dec.`` keys of ``params``)."""
        need_input_grad, need_param_grads = backward_needs(need_input_grad, need_param_grads)
        stack_cache, out_cache, x_hat = cache
        dx_hat = upstream_gradient("dx_hat", dx_hat, x_hat.shape, self.dtype)
        # E2 differentiated: ∂L/∂s_t through g and W_o
        ds, out_grads = output_backward(dx_hat, out_cache, need_param_grads)
        du, stack_grads = self.decoder.backward(ds, stack_cache, need_input_grad, need_param_grads)
        # M12 differentiated: ∂L/∂c = Σ_t ∂L/∂u_t
        dc = du.sum(axis=1) if need_input_grad else None
        grads = None
        if need_param_grads:
            grads = {**prefixed("dec", stack_grads), **prefixed("dec.out", out_grads)}
        return dc, grads

    # ------------------------------------------------------------------ both

    def reconstruct(self, x, training=False, rng=None):
        """x (N, T, F) -> x̂ (N, T, F) = decode(encode(x)), cache."""
        c, enc_cache = self.encode(x, training, rng)
        x_hat, dec_cache = self.decode(c, x.shape[1], training, rng)
        return x_hat, (enc_cache, dec_cache)

    def reconstruct_backward(self, dx_hat, cache, need_input_grad=True):
        """dx̂ (N, T, F) -> dx (N, T, F) (None unless ``need_input_grad``), grads (every key of
        ``params``): the decoder's BPTT, the code's sum over steps, the encoder's BPTT."""
        enc_cache, dec_cache = cache
        dc, grads = self.decode_backward(dx_hat, dec_cache)
        dx, enc_grads = self.encode_backward(dc, enc_cache, need_input_grad=need_input_grad)
        return dx, {**enc_grads, **grads}

    def loss_and_grads(self, x, training=False, rng=None):
        """(L_R of M13 on x (N, T, F), grads of L_R for every key of ``params``)."""
        x_hat, cache = self.reconstruct(x, training, rng)
        loss, dx_hat = reconstruction_loss(x_hat, x)
        return loss, self.reconstruct_backward(dx_hat, cache, need_input_grad=False)[1]
