"""A stack of L recurrent layers (RNN, GRU or LSTM) with inverted dropout between them (A0).

Every layer is the same registry cell (``minirgan.cells``) with the same options (the RNN's
``activation``); the stack calls the cell's uniform functions and never branches on its name.

Layer l reads the hidden states of layer l − 1 (the first layer reads the input) and
its parameters live under the prefix ``rnn{l}`` in the model's flat dict:
``rnn0.W_z``, ``rnn1.W_z``, … . The initial states are zeros unless the caller gives them
(``states0``: per layer a state tuple, as a generator conditioned in its state computes them,
``models/condition.py``); ``backward_states`` then also returns their gradients.

Two ways to run it:

* whole sequences (``forward``/``backward``), built from the cells' sequence passes
  (``Cell.run_forward``/``run_backward``) so the numba backend applies. The caller (a model, a
  metric's network) has checked the input x once; the stack checks each layer's parameters
  once per call and does not re-check what flows between its layers;
* one step at a time (``step_forward``/``step_backward``), for a model whose next
  input depends on its last output (the autoregressive generator, E9).

Shapes: N batch, T time, D input, H hidden (every layer has H units).
"""

import numpy as np

from ..backend import resolve_backend
from ..cells import cell_options
from ..validation import backward_needs, check_count, check_params, lengths_mask, result_dtype
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

    def layer_params(self, params, layer):
        """Layer ``layer``'s parameters from the model's flat dict, checked (names, shapes, finite)."""
        D = self.input_size if layer == 0 else self.hidden
        return check_params(unprefixed(self.prefix(layer), params),
                            self.row.shapes(self.options)(D, self.hidden),
                            f"{self.row.name} layer {layer}")

    def forward(self, x, params, training=False, rng=None, backend=None, states0=None, lengths=None):
        """x (N, T, D) -> h (N, T, H), the last layer's hidden states; cache. ``states0``: per
        layer the initial state tuple (each (N, H)), or None for zeros everywhere. ``lengths``
        (N,) makes x a padded batch: every layer carries its states past each row's end (M1),
        and the backward pass gives the padding no gradient.

        x must be a checked float array (the models and metrics run ``sequence_input`` on their
        input first); the parameters are checked here, once per layer."""
        N, T, D = x.shape
        if D != self.input_size:
            raise ValueError(f"x must have shape (N, T, D) with D = {self.input_size}, got {x.shape}")
        backend = resolve_backend(backend)
        masks = self._masks((N, T, self.hidden), training, rng, x.dtype)
        states0 = self._initial(states0)
        mask = lengths_mask(lengths, N, T)          # (T, N) booleans, or None: unmasked
        caches = []
        inp = x
        for l in range(self.layers):
            p = self.layer_params(params, l)
            dtype = result_dtype(inp, *p.values())        # float32 stays float32 (as prepare)
            inp = inp.astype(dtype, copy=False)
            p = {k: v.astype(dtype, copy=False) for k, v in p.items()}
            h, cache = self.row.run_forward(inp, self._layer_states(states0[l], N, dtype), p,
                                            backend, self.options, mask)
            caches.append(cache)
            # A0: Dropout between stacked layers (inverted; identity when evaluating)
            inp = apply_mask(h, masks[l]) if l < self.layers - 1 else h
        return inp, (caches, masks)

    def backward(self, dh, cache, need_input_grad=True, need_param_grads=True):
        """dh (N, T, H) on the last layer's states -> dx (N, T, D), grads (flat, prefixed);
        the initial states are treated as constants (see ``backward_states``). The flags as
        in ``backward_states``."""
        dx, _, grads = self.backward_states(dh, cache, need_input_grad, need_param_grads)
        return dx, grads

    def backward_states(self, dh, cache, need_input_grad=True, need_param_grads=True):
        """dh (N, T, H) on the last layer's states -> dx (N, T, D), per layer the gradients on
        its initial states (a tuple like the states), grads (flat, prefixed).

        dh is the gradient the model's head computed (finite, the forward's shape and dtype).
        ``need_input_grad=False`` skips dx of the first layer (None is returned; the layers
        above it always pass their dx down), ``need_param_grads=False`` every layer's grads
        (None); see ``validation.backward_needs``."""
        need_input_grad, need_param_grads = backward_needs(need_input_grad, need_param_grads)
        caches, masks = cache
        grads = {} if need_param_grads else None
        dstates0 = [None] * self.layers
        for l in reversed(range(self.layers)):
            dh, dstates0[l], layer_grads = self.row.run_backward(dh, caches[l], need_input_grad or l > 0,
                                                                 need_param_grads)
            if need_param_grads:
                grads.update(prefixed(self.prefix(l), layer_grads))
            if l > 0:
                dh = apply_mask(dh, masks[l - 1])      # dropout's backward: the same mask
        return dh, dstates0, grads

    def _layer_states(self, states, N, dtype):
        """One layer's initial state tuple in ``dtype``: zeros for None, else the given (N, H)
        arrays (computed by the model from checked inputs: their shape is checked here)."""
        if states is None:
            return self.row.zero_state(N, self.hidden, dtype)
        if len(states) != len(self.row.states) or any(np.shape(s) != (N, self.hidden) for s in states):
            raise ValueError(f"an initial state must be {len(self.row.states)} array(s) of shape "
                             f"({N}, {self.hidden}), got {[np.shape(s) for s in states]}")
        return tuple(np.asarray(s).astype(dtype, copy=False) for s in states)

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
