"""A stack of L recurrent layers (RNN, GRU or LSTM) with inverted dropout between them (A0).

Every layer is the same registry cell (``minirgan.cells``) with the same options (the RNN's
``activation``); the stack calls the cell's uniform functions and never branches on its name.

Layer l reads the hidden states of layer l − 1 (the first layer reads the input) and
its parameters live under the prefix ``rnn{l}`` in the model's flat dict:
``rnn0.W_z``, ``rnn1.W_z``, … . The initial states are zeros unless the caller gives them
(``states0``: per layer a state tuple, as a generator conditioned in its state computes them,
``models/condition.py``); ``backward_states`` then also returns their gradients.

Two ways to run it:

* whole sequences (``forward``/``backward``), built from the cells' sequence functions
  so the numba backend applies;
* one step at a time (``step_forward``/``step_backward``), for a model whose next
  input depends on its last output (the autoregressive generator, E9).

Shapes: N batch, T time, D input, H hidden (every layer has H units).
"""

import numpy as np

from ..cells import cell_options
from ..validation import check_count
from . import defaults
from .dropout import apply_mask, check_dropout, dropout_mask
from .params import prefixed, unprefixed


class RecurrentStack:
    """Configuration of a stack; the parameters themselves live in the model's flat dict."""

    def __init__(self, cell, input_size, hidden, layers=defaults.LAYERS, dropout=defaults.DROPOUT,
                 activation=defaults.ACTIVATION):
        """cell: "rnn", "gru" or "lstm"; activation: f of E1 ("tanh" or "relu"), rnn only."""
        self.row, self.options = cell_options(cell, activation=activation)
        self.input_size, self.hidden = check_count("input_size", input_size), check_count("hidden", hidden)
        self.layers = check_count("layers", layers)
        check_dropout(dropout)
        self.cell, self.activation, self.dropout = cell, activation, float(dropout)

    def prefix(self, layer):
        return f"rnn{layer}"

    def init_params(self, rng, dtype=np.float64):
        """Fresh parameters of every layer, as a flat prefixed dict."""
        params = {}
        for l in range(self.layers):
            D = self.input_size if l == 0 else self.hidden
            params.update(prefixed(self.prefix(l), self.row.init(D, self.hidden, rng=rng, dtype=dtype, **self.options)))
        return params

    def _masks(self, shape, training, rng, dtype):
        """One dropout mask per gap between layers (None in evaluation mode or when p = 0)."""
        p = self.dropout if training else 0.0
        return [dropout_mask(shape, p, rng, dtype) for _ in range(self.layers - 1)]

    # ------------------------------------------------------------------ whole sequences

    def forward(self, x, params, training=False, rng=None, backend=None, states0=None):
        """x (N, T, D) -> h (N, T, H), the last layer's hidden states; cache. ``states0``: per
        layer the initial state tuple (each (N, H)), or None for zeros everywhere."""
        N, T, _ = x.shape
        masks = self._masks((N, T, self.hidden), training, rng, x.dtype)
        states0 = self._initial(states0)
        caches = []
        inp = x
        for l in range(self.layers):
            h, cache = self.row.forward(inp, states0[l], unprefixed(self.prefix(l), params), backend,
                                        **self.options)
            caches.append(cache)
            # A0: Dropout between stacked layers (inverted; identity when evaluating)
            inp = apply_mask(h, masks[l]) if l < self.layers - 1 else h
        return inp, (caches, masks)

    def backward(self, dh, cache):
        """dh (N, T, H) on the last layer's states -> dx (N, T, D), grads (flat, prefixed);
        the initial states are treated as constants (see ``backward_states``)."""
        dx, _, grads = self.backward_states(dh, cache)
        return dx, grads

    def backward_states(self, dh, cache):
        """dh (N, T, H) on the last layer's states -> dx (N, T, D), per layer the gradients on
        its initial states (a tuple like the states), grads (flat, prefixed)."""
        caches, masks = cache
        grads, dstates0 = {}, [None] * self.layers
        for l in reversed(range(self.layers)):
            dh, dstates0[l], layer_grads = self.row.backward(dh, caches[l])
            grads.update(prefixed(self.prefix(l), layer_grads))
            if l > 0:
                dh = apply_mask(dh, masks[l - 1])      # dropout's backward: the same mask
        return dh, dstates0, grads

    def _initial(self, states0):
        """Per layer the initial state tuple (None: zeros), checked to have one per layer."""
        if states0 is None:
            return [None] * self.layers
        if len(states0) != self.layers:
            raise ValueError(f"states0 must hold one state tuple per layer ({self.layers}), "
                             f"got {len(states0)}")
        return list(states0)

    # ------------------------------------------------------------------ one step at a time

    def zero_states(self, N, dtype=np.float64):
        """Per layer, a zero state tuple: ((h,) or (h, c)), each (N, H)."""
        return [self.row.zero_state(N, self.hidden, dtype) for _ in range(self.layers)]

    def start(self, N, training=False, rng=None, T=1, dtype=np.float64, states0=None):
        """The initial states of every layer (``states0``, or zeros if None) and the dropout masks
        (N, T, H) for a step-wise run."""
        states = self.zero_states(N, dtype) if states0 is None else self._initial(states0)
        return states, self._masks((N, T, self.hidden), training, rng, dtype)

    def step_forward(self, x_t, states, params, masks, t):
        """One time step through every layer: x_t (N, D) -> h_t (N, H), new states, step cache."""
        new_states, caches = [], []
        inp = x_t
        for l in range(self.layers):
            state, cache = self.row.step(inp, states[l], unprefixed(self.prefix(l), params), **self.options)
            new_states.append(state)
            caches.append(cache)
            h = state[0]
            inp = apply_mask(h, masks[l][:, t]) if l < self.layers - 1 and masks[l] is not None else h
        return inp, new_states, caches

    def step_backward(self, dh_t, dstates, caches, masks, t):
        """Backward of ``step_forward``.

        dh_t (N, H): gradient on the top layer's output at step t from outside the stack;
        dstates: per layer, the gradient on that layer's state at step t coming from step t + 1
        (tuples like the states). Returns dx_t (N, D), the gradients on the states at step
        t − 1 (per layer), and this step's grads (flat, prefixed).
        """
        grads, dprev = {}, [None] * self.layers
        dh = dh_t
        for l in reversed(range(self.layers)):
            total = (dh + dstates[l][0],) + tuple(dstates[l][1:])
            dh, dprev[l], layer_grads = self.row.step_back(total, caches[l])
            grads.update(prefixed(self.prefix(l), layer_grads))
            if l > 0 and masks[l - 1] is not None:
                dh = dh * masks[l - 1][:, t]
        return dh, dprev, grads
