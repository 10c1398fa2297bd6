"""The recurrent generator G: a noise sequence z_1..z_T in, a sequence x̂_1..x̂_T out.

Three forms, all from the seeds:

``"per_step"`` (default; E2, A1)
    z (N, T, Z) → stacked recurrent layers → per step a dense output
    ``y_t = g(W_hy h_t + b_y)`` with g = sigmoid, tanh or identity to match the data's range.

``"last_state"`` (E16, A3: ``G(z) = h_T``)
    The sample is the last hidden state h_T of the stack, a single vector of H numbers,
    reshaped to (T, F), so H must equal T·F. Implemented as the seed says, with its limits:
    the "time steps" of the sample are just coordinates of one vector (nothing in the model
    produces them in order); the values are stuck in tanh's range (−1, 1) with no output
    layer to rescale them; and the hidden size is tied to the sample size. Fine for a
    fixed-size vector, a poor fit for sequences — which is why "per_step" is the default.

``"autoregressive"`` (E9: ``ŷ = f(y_{t−1}, …) + ε``)
    The input at step t is the concatenation ``[y_{t−1}, ε_t]`` of the previous output
    (y_0 = 0) and fresh noise, so G is fed its own outputs. Its backward carries the
    gradient through the fed-back outputs too, so it runs step by step with the cells'
    step functions (the NumPy reference; ``backend`` does not apply to this form).

Parameters live in one flat dict ``params`` ({"rnn0.W_z": …, "out.W_hy": …}); ``backward``
returns gradients with the same keys, and dz, which training never uses
(``need_input_grad=False`` skips it). Shapes: N batch, T time, Z noise, H hidden, F features.
"""

import numpy as np

from ..activations import OUTPUT_ACTIVATIONS
from ..ragged import real_steps
from ..dense import init_dense_params
from ..validation import backward_needs, check_count, sequence_input, upstream_gradient
from . import defaults
from .output_head import output_backward, output_forward
from .condition import (check_condition_at, check_condition_dim, checked_condition,
                        init_state_embedding, initial_states, initial_states_backward, reads_input,
                        sets_state, split_condition_grad, with_condition)
from .params import add_into, prefixed, unprefixed
from .stack import RecurrentStack

GENERATOR_FORMS = ("per_step", "last_state", "autoregressive")
# "per_step": fresh z_t at every step; "static": one z per sequence, repeated at every step;
# "mixed": both, side by side, z_t = [z, ε_t] (2Z numbers per step)
NOISE_KINDS = ("per_step", "static", "mixed")


class Generator:
    """Recurrent generator; see the module docstring for the three forms.

    Parameters (defaults: ``minirgan.models.defaults``, the same as ``TrainConfig``'s)
    ----------
    features : F, the number of features of a generated step.
    seq_len : T, the default number of time steps of a sample.
    noise_dim : Z (default 16), the size of each step's noise vector z_t (ε_t for
        "autoregressive").
    hidden : H (default 32; for "last_state" it must be, and defaults to, T·F).
    layers : L stacked recurrent layers; dropout : inverted dropout between them (A0).
    cell : "gru" (default), "lstm" or "rnn".  form : "per_step" (default), "last_state",
        "autoregressive".  output_activation : g of E2 ("sigmoid" by default, "tanh", ...).
    activation : f of E1 for the rnn cell ("tanh" by default, or "relu").
    rng : seed or Generator for the initial weights; dtype : float64 (default) or float32;
    backend : "numpy", "numba" or None (package default) for the sequence passes.
    noise : "static" (default: one z ~ N(0, I) per sequence, fed at every step: the randomness
        of a whole sequence in one vector, which suits data whose sequences each follow one
        smooth curve; docs/benchmark_sines.md) or "per_step" (a fresh z_t ~ N(0, I) at every
        step) or "mixed" (both side by side: z_t = [z, ε_t], 2Z numbers per step, one z for the
        sequence's shape and a fresh ε_t for its step-to-step jitter; docs/benchmarks.md).
    condition_dim : C, the size of the condition c read at every step beside z_t (0, the
        default: unconditional). Conditional: every form reads u_t = [z_t, c] (``condition.py``);
        ``forward(z, condition=c)``, ``sample(n, rng, condition=c)`` with c (N, C).
    condition_at : where a conditional G reads c (``condition.CONDITION_ENTRIES``): "input"
        (default: u_t = [z_t, c] at every step, zero initial states), "state" (u_t = z_t; every
        layer's initial states h_0 (and an LSTM's c_0) = tanh(W c + b), learned weights
        ``init{l}.W_h0``, ``init{l}.b_h0``, …) or "both". Every form accepts each.
    """

    def __init__(self, features, seq_len, noise_dim=defaults.NOISE_DIM, hidden=None,
                 layers=defaults.LAYERS, cell=defaults.CELL, form=defaults.FORM,
                 output_activation=defaults.OUTPUT_ACTIVATION, dropout=defaults.DROPOUT, rng=None,
                 dtype=np.float64, backend=None, noise=defaults.NOISE, condition_dim=0,
                 activation=defaults.ACTIVATION, condition_at="input"):
        self.condition_dim = check_condition_dim(condition_dim)
        self.condition_at = check_condition_at(condition_at, self.condition_dim)
        if noise not in NOISE_KINDS:
            raise ValueError(f"noise must be one of {NOISE_KINDS}, got {noise!r}")
        self.noise_kind = noise
        if form not in GENERATOR_FORMS:
            raise ValueError(f"form must be one of {GENERATOR_FORMS}, got {form!r}")
        if output_activation not in OUTPUT_ACTIVATIONS:
            raise ValueError(f"output_activation must be one of {sorted(OUTPUT_ACTIVATIONS)}, "
                             f"got {output_activation!r}")
        for name, value in (("features", features), ("seq_len", seq_len), ("noise_dim", noise_dim)):
            check_count(name, value)
        if form == "last_state":
            size = seq_len * features
            if hidden not in (None, size):
                raise ValueError(f"the 'last_state' generator (E16) emits h_T as the sample, so hidden "
                                 f"must equal seq_len * features = {size}, got {hidden}")
            hidden = size
        hidden = defaults.HIDDEN if hidden is None else hidden
        self.features, self.seq_len, self.noise_dim = int(features), int(seq_len), int(noise_dim)
        self.form, self.output_activation, self.backend = form, output_activation, backend
        self.dtype = np.dtype(dtype)
        read_c = self.condition_dim if reads_input(self.condition_at) else 0
        input_size = self.noise_width + read_c + (features if form == "autoregressive" else 0)
        self.stack = RecurrentStack(cell, input_size, hidden, layers, dropout, activation)
        rng = np.random.default_rng(rng)
        self.params = self.stack.init_params(rng, self.dtype)
        if form != "last_state":
            self.params.update(prefixed("out", init_dense_params(hidden, features, rng, self.dtype)))
        if sets_state(self.condition_at):      # drawn last: "input" draws exactly what it did
            self.params.update(init_state_embedding(layers, self.condition_dim, hidden,
                                                    self.stack.row.states, rng, self.dtype))

    # ------------------------------------------------------------------ noise and sampling

    @property
    def noise_width(self):
        """Numbers of noise G reads per step: Z, or 2Z for "mixed" noise ([z, ε_t])."""
        return 2 * self.noise_dim if self.noise_kind == "mixed" else self.noise_dim

    def noise(self, n, rng, seq_len=None):
        """z ~ N(0, 1) of shape (n, T, noise_width), in the model's dtype: fresh at every step
        ("per_step"), one z repeated over T ("static"), or both side by side ("mixed")."""
        T = self.seq_len if seq_len is None else seq_len
        if self.noise_kind == "per_step":
            return rng.standard_normal((n, T, self.noise_dim)).astype(self.dtype)
        z = np.repeat(rng.standard_normal((n, 1, self.noise_dim)), T, axis=1)
        if self.noise_kind == "mixed":
            z = np.concatenate([z, rng.standard_normal((n, T, self.noise_dim))], axis=2)
        return z.astype(self.dtype)

    def sample(self, n, rng, seq_len=None, condition=None, lengths=None):
        """n samples x̂ = G(z) (or G(z, c), c (n, C)) in evaluation mode (no dropout): (n, T, F).
        ``lengths`` (n,): each sample's length, zeros past it (M3, see ``forward``).

        ``seq_len`` (default: the trained T) runs a recurrent generator for any number of
        steps; the "last_state" form (E16) emits one vector of T·F numbers and cannot."""
        if self.form == "last_state" and seq_len not in (None, self.seq_len):
            raise ValueError(f"the 'last_state' generator (E16) emits exactly seq_len = {self.seq_len} "
                             f"steps (its sample is h_T reshaped), got seq_len={seq_len}")
        return self.forward(self.noise(n, rng, seq_len), condition=condition, lengths=lengths)[0]

    # ------------------------------------------------------------------ forward / backward

    def forward(self, z, training=False, rng=None, condition=None, lengths=None):
        """z (N, T, Z) [, condition c (N, C)] -> x̂ (N, T, F), cache. ``training`` turns dropout
        on (needs ``rng``).

        ``lengths`` (N,), integers in 1..T: G is told how long each sequence is (lengths drawn
        from the data's, ``ragged.draw_lengths``) and its output is zero past that length (M3:
        x̂_t = m_t ∘ y_t). A step's output depends only on the steps before it, so the real
        steps are what G computes without lengths; the zeros are padding, which D and the
        losses never read, and the backward pass gives them no gradient."""
        z = sequence_input("z", z)
        if z.shape[2] != self.noise_width:
            raise ValueError(f"z must have shape (N, T, {self.noise_width}): noise_dim = {self.noise_dim}"
                             f" with {self.noise_kind!r} noise, "
                             f"got {z.shape}")
        z = z.astype(self.dtype, copy=False)
        states0 = embed_cache = None
        if sets_state(self.condition_at):
            # conditional in the state: every layer starts from h_0 = tanh(W_h0 c + b_h0) (condition.py)
            c = checked_condition(condition, self.condition_dim, len(z), self.dtype)
            states0, embed_cache = initial_states(c, self.params, self.stack.layers, self.stack.row.states)
        if reads_input(self.condition_at):
            # conditional: u_t = [z_t, c] at every step (condition.py); z itself when C = 0
            z = with_condition(z, condition, self.condition_dim, self.dtype)
        run = {"per_step": self._forward_per_step, "last_state": self._forward_last_state,
               "autoregressive": self._forward_autoregressive}[self.form]
        x, cache = run(z, training, rng, states0)
        m = None
        if lengths is not None:
            m = real_steps(lengths, x.shape[0], x.shape[1], self.dtype)[:, :, None]
            # M3: x̂_t = m_t ∘ y_t, the generated sequence is zero past its length
            x = x * m
        return x, (cache, x.shape, embed_cache, m)

    def backward(self, dx, cache, need_input_grad=True, need_param_grads=True):
        """dx (N, T, F), the upstream gradient on x̂ -> dz (N, T, Z), grads (keys of ``params``).

        ``need_input_grad=False`` skips dz, ``need_param_grads=False`` the grads (each then
        None; ``validation.backward_needs``); the "autoregressive" form feeds its outputs back,
        so it computes both and returns what was asked for.
        (The condition's gradient — Σ_t of its input columns, and what reaches it through the
        initial states — is dropped: c is data, not learned.)"""
        need_input_grad, need_param_grads = backward_needs(need_input_grad, need_param_grads)
        cache, shape, embed_cache, m = cache
        dx = upstream_gradient("dx", dx, shape, self.dtype)
        if m is not None:
            # M3 differentiated: ∂L/∂y_t = m_t ∘ ∂L/∂x̂_t, no gradient from the padding
            dx = dx * m
        run = {"per_step": self._backward_per_step, "last_state": self._backward_last_state,
               "autoregressive": self._backward_autoregressive}[self.form]
        du, dstates0, grads = run(dx, cache, need_input_grad, need_param_grads)
        if need_param_grads and embed_cache is not None:
            # the initial states' gradients flow on into the embedding h_0 = tanh(W_h0 c + b_h0)
            grads.update(initial_states_backward(dstates0, embed_cache)[1])
        read_c = self.condition_dim if reads_input(self.condition_at) else 0
        dz = split_condition_grad(du, read_c)[0] if need_input_grad else None
        return dz, (grads if need_param_grads else None)

    def _output(self, h):
        return output_forward(h, unprefixed("out", self.params), self.output_activation)   # E2

    def _output_backward(self, dy, out_cache, need_param_grads=True):
        dh, grads = output_backward(dy, out_cache, need_param_grads)                      # E2
        return dh, (prefixed("out", grads) if need_param_grads else None)

    # per step (E2) ...................................................................
    # Each form: forward (u (N, T, ·), training, rng, states0: per layer the initial states or
    # None) -> (x, cache); backward (dx, cache, need_input_grad, need_param_grads) -> (du, per
    # layer d initial states, grads), du / grads None where not needed.
    def _forward_per_step(self, z, training, rng, states0):
        h, stack_cache = self.stack.forward(z, self.params, training, rng, self.backend, states0)
        y, out_cache = self._output(h)
        return y, (stack_cache, out_cache)

    def _backward_per_step(self, dy, cache, need_input_grad, need_param_grads):
        stack_cache, out_cache = cache
        dh, grads = self._output_backward(dy, out_cache, need_param_grads)
        dz, dstates0, stack_grads = self.stack.backward_states(dh, stack_cache, need_input_grad,
                                                               need_param_grads)
        if need_param_grads:
            grads.update(stack_grads)
        return dz, dstates0, grads

    # last state (E16) ................................................................
    def _forward_last_state(self, z, training, rng, states0):
        h, stack_cache = self.stack.forward(z, self.params, training, rng, self.backend, states0)
        # E16: G(z) = h_T, a vector of H = T·F numbers shown as a (T, F) sample
        x = h[:, -1].reshape(len(z), self.seq_len, self.features)
        return x, (stack_cache, h.shape)

    def _backward_last_state(self, dx, cache, need_input_grad, need_param_grads):
        stack_cache, h_shape = cache
        dh = np.zeros(h_shape, dtype=self.dtype)
        dh[:, -1] = dx.reshape(h_shape[0], h_shape[2])     # only h_T reaches the sample
        return self.stack.backward_states(dh, stack_cache, need_input_grad, need_param_grads)

    # autoregressive (E9) .............................................................
    def _forward_autoregressive(self, z, training, rng, states0):
        N, T, _ = z.shape
        states, masks = self.stack.start(N, training, rng, T, self.dtype, states0)
        y_prev = np.zeros((N, self.features), dtype=self.dtype)       # y_0 = 0
        ys = np.empty((N, T, self.features), dtype=self.dtype)
        steps = []
        for t in range(T):
            # E9: the step's input is [y_{t−1}, ε_t] — G is fed its own previous output
            u_t = np.concatenate([y_prev, z[:, t]], axis=1)
            h_t, states, stack_caches = self.stack.step_forward(u_t, states, self.params, masks, t)
            y_prev, out_cache = self._output(h_t)
            ys[:, t] = y_prev
            steps.append((stack_caches, out_cache))
        return ys, (steps, masks)

    def _backward_autoregressive(self, dy, cache, need_input_grad, need_param_grads):
        steps, masks = cache
        N, T, F = dy.shape
        dz = np.empty((N, T, self.stack.input_size - F), dtype=self.dtype)
        dstates = self.stack.zero_states(N, self.dtype)      # nothing flows back from after T
        dy_fed_back = np.zeros((N, F), dtype=self.dtype)
        grads = {}
        for t in reversed(range(T)):
            stack_caches, out_cache = steps[t]
            # y_t reaches the loss directly and, fed back (E9), through every later step
            dh_t, out_grads = self._output_backward(dy[:, t] + dy_fed_back, out_cache)
            du_t, dstates, stack_grads = self.stack.step_backward(dh_t, dstates, stack_caches, masks, t)
            dy_fed_back, dz[:, t] = du_t[:, :F], du_t[:, F:]
            add_into(grads, out_grads)
            add_into(grads, stack_grads)
        return dz, dstates, grads           # dstates: now the gradients on the initial states
