"""One interface over the three recurrent cells, so the models can swap RNN, GRU and LSTM.

The cell modules differ in small ways: the LSTM carries a second state ``c`` and its
backward returns ``dc0``. The functions here hide exactly that and nothing else:

* ``cell_forward`` / ``cell_backward`` run a whole sequence from zero initial states
  (the sequence functions, so the numba backend is used when selected);
* ``cell_step_forward`` / ``cell_step_backward`` run one step with an explicit state,
  for models whose next input depends on their last output (the autoregressive
  generator, E9). A *state* is a tuple: ``(h,)`` for RNN and GRU, ``(h, c)`` for LSTM.

Shapes: N batch, T time, D input, H hidden.
"""

import numpy as np

from ..gru import gru_backward, gru_forward, gru_step_backward, gru_step_forward, init_gru_params
from ..lstm import (init_lstm_params, lstm_backward, lstm_forward, lstm_step_backward,
                    lstm_step_forward)
from ..rnn import init_rnn_params, rnn_backward, rnn_forward, rnn_step_backward, rnn_step_forward

CELL_TYPES = ("rnn", "gru", "lstm")


def check_cell(cell):
    """Raise a clear error unless ``cell`` is one of ``CELL_TYPES``."""
    if cell not in CELL_TYPES:
        raise ValueError(f"cell must be one of {CELL_TYPES}, got {cell!r}")


def init_cell_params(cell, D, H, rng, dtype=np.float64):
    """The cell's parameters for input size D and hidden size H (the cell module's init)."""
    check_cell(cell)
    init = {"rnn": init_rnn_params, "gru": init_gru_params, "lstm": init_lstm_params}[cell]
    return init(D, H, rng=rng, dtype=dtype)


def cell_forward(cell, x, params, backend=None):
    """Run the cell over x (N, T, D) from zero states. Returns h (N, T, H), cache."""
    if cell == "rnn":
        return rnn_forward(x, None, params, backend=backend)
    if cell == "gru":
        return gru_forward(x, None, params, backend=backend)
    return lstm_forward(x, None, None, params, backend=backend)


def cell_backward(cell, dh, cache):
    """BPTT for ``cell_forward``: dh (N, T, H) -> dx (N, T, D), grads (the initial states are
    constants, so their gradients are dropped)."""
    if cell == "rnn":
        dx, _, grads = rnn_backward(dh, cache)
    elif cell == "gru":
        dx, _, grads = gru_backward(dh, cache)
    else:
        dx, _, _, grads = lstm_backward(dh, cache)
    return dx, grads


def zero_state(cell, N, H, dtype):
    """The initial state: ``(h0,)`` or ``(h0, c0)``, zeros (N, H)."""
    h = np.zeros((N, H), dtype=dtype)
    return (h, np.zeros((N, H), dtype=dtype)) if cell == "lstm" else (h,)


def cell_step_forward(cell, x_t, state, params):
    """One step: x_t (N, D), state tuple -> h_t (N, H), new state tuple, cache."""
    if cell == "rnn":
        h, cache = rnn_step_forward(x_t, state[0], params)
        return h, (h,), cache
    if cell == "gru":
        h, cache = gru_step_forward(x_t, state[0], params)
        return h, (h,), cache
    h, c, cache = lstm_step_forward(x_t, state[0], state[1], params)
    return h, (h, c), cache


def cell_step_backward(cell, dstate, cache):
    """Backward of one step, given the total gradient on the new state (tuple like the state).

    Returns dx_t (N, D), the gradient on the previous state (tuple), grads.
    """
    if cell == "rnn":
        dx, dh_prev, grads = rnn_step_backward(dstate[0], cache)
        return dx, (dh_prev,), grads
    if cell == "gru":
        dx, dh_prev, grads = gru_step_backward(dstate[0], cache)
        return dx, (dh_prev,), grads
    dx, dh_prev, dc_prev, grads = lstm_step_backward(dstate[0], dstate[1], cache)
    return dx, (dh_prev, dc_prev), grads
