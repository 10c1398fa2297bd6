"""Gradient checking as a feature: compare hand-written backward passes with finite differences.

The check follows Stanford CS231n's recipe:

* a random upstream gradient ``dout`` turns any array-valued function into the
  scalar ``L = sum(out * dout)``, whose gradient the backward pass computes;
* centred differences ``(f(x + h) − f(x − h)) / 2h`` in float64, at two step sizes
  combined by Richardson extrapolation so the O(h²) error cancels;
* the relative error ``|a − n| / max(1e-8, |a| + |n|)``, maximised over entries.

CS231n's published thresholds: about 1e-8 or less for one step, up to 1e-6 for a
whole sequence (errors compound over time steps); minirgan's tests ask for 1e-7
on both. ``minirgan gradcheck`` prints :func:`cell_gradcheck` reports for every cell.
"""

from dataclasses import dataclass

import numpy as np

# Published thresholds (CS231n assignment 3) by level of the check.
THRESHOLDS = {"step": 1e-8, "sequence": 1e-6}


def relative_error(analytic, numeric):
    """max |a − n| / max(1e-8, |a| + |n|) over all entries."""
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        raise ValueError(f"shapes differ: analytic {a.shape}, numeric {n.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - n) / np.maximum(1e-8, np.abs(a) + np.abs(n))))


def _copies(out):
    return tuple(np.array(o, copy=True) for o in (out if isinstance(out, tuple) else (out,)))


def numerical_gradient(f, x, dout, h=1e-4, richardson=True):
    """Centred-difference gradient of ``sum(f() * dout)`` with respect to the array ``x``.

    ``f`` takes no arguments and reads ``x``, which is perturbed in place one entry
    at a time and restored. ``f`` may return one array or a tuple of arrays, with
    ``dout`` matching. The difference of outputs is taken before the dot product
    with ``dout``, which keeps the rounding error small.

    A centred difference D(h) has error c·h² + O(h⁴). With ``richardson=True``
    (default) it is evaluated at h and h/2 and combined as (4·D(h/2) − D(h)) / 3,
    which cancels the h² term; that lets h be large enough for rounding error to
    stay near 1e-12, so even tiny gradient entries are checked to ~1e-9 relative.
    """
    if not isinstance(dout, tuple):
        dout = (dout,)

    def centred(i, step):
        old = x[i]
        x[i] = old + step
        pos = _copies(f())       # copied: f may return a view of x itself
        x[i] = old - step
        neg = _copies(f())
        x[i] = old
        return sum(np.sum((p - n) * d) for p, n, d in zip(pos, neg, dout)) / (2.0 * step)

    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        if richardson:
            grad[i] = (4.0 * centred(i, h / 2) - centred(i, h)) / 3.0
        else:
            grad[i] = centred(i, h)
    return grad


@dataclass
class GradcheckRow:
    """One line of a report: the gradient of ``name`` in ``cell`` at ``level``."""
    cell: str
    level: str
    name: str
    error: float
    threshold: float

    @property
    def passed(self):
        return self.error <= self.threshold


def _random_params(init, D, H, rng, **kw):
    """Parameters with every entry (biases included) random and non-zero."""
    params = init(D, H, rng=rng, **kw)
    return {k: rng.uniform(-0.8, 0.8, size=v.shape) for k, v in params.items()}


def _named(names, result):
    """Turn ``(dx, dh0, [dc0,] grads)`` into one dict keyed by input and parameter names."""
    named = dict(zip(names, result[:-1]))
    named.update(result[-1])
    return named


def _cell_problem(cell, level, N, T, D, H, rng, backend):
    """Inputs, a forward closure and a backward closure for one cell and level."""
    from .gru import gru_backward, gru_forward, gru_step_backward, gru_step_forward, init_gru_params
    from .lstm import (init_lstm_params, lstm_backward, lstm_forward, lstm_step_backward,
                       lstm_step_forward)
    from .rnn import init_rnn_params, rnn_backward, rnn_forward, rnn_step_backward, rnn_step_forward

    seq = level == "sequence"
    x = rng.standard_normal((N, T, D) if seq else (N, D))
    h0 = rng.standard_normal((N, H))
    c0 = rng.standard_normal((N, H))
    name, _, variant = cell.partition("-")
    if name == "rnn":
        activation = "relu" if variant == "relu" else "tanh"
        params = _random_params(init_rnn_params, D, H, rng)
        if seq:
            fwd = lambda: rnn_forward(x, h0, params, activation, backend=backend)
            bwd = lambda d, cache: _named(("x", "h0"), rnn_backward(d[0], cache))
        else:
            fwd = lambda: rnn_step_forward(x, h0, params, activation)
            bwd = lambda d, cache: _named(("x", "h0"), rnn_step_backward(d[0], cache))
        inputs = {"x": x, "h0": h0}
    elif name == "gru":
        reset_after = variant == "reset_after"
        params = _random_params(init_gru_params, D, H, rng, reset_after=reset_after)
        if seq:
            fwd = lambda: gru_forward(x, h0, params, reset_after, backend=backend)
            bwd = lambda d, cache: _named(("x", "h0"), gru_backward(d[0], cache))
        else:
            fwd = lambda: gru_step_forward(x, h0, params, reset_after)
            bwd = lambda d, cache: _named(("x", "h0"), gru_step_backward(d[0], cache))
        inputs = {"x": x, "h0": h0}
    elif name == "lstm":
        params = _random_params(init_lstm_params, D, H, rng)
        if seq:
            fwd = lambda: lstm_forward(x, h0, c0, params, backend=backend)
            bwd = lambda d, cache: _named(("x", "h0", "c0"), lstm_backward(d[0], cache))
        else:
            def fwd():
                h, c, cache = lstm_step_forward(x, h0, c0, params)
                return (h, c), cache
            bwd = lambda d, cache: _named(("x", "h0", "c0"), lstm_step_backward(d[0], d[1], cache))
        inputs = {"x": x, "h0": h0, "c0": c0}
    else:
        raise ValueError(f"unknown cell {cell!r}; expected one of {CELLS}")
    return inputs, params, fwd, bwd


CELLS = ("rnn", "rnn-relu", "gru", "gru-reset_after", "lstm")


def cell_gradcheck(cell="gru", level="sequence", N=3, T=5, D=4, H=6, seed=0, backend="numpy",
                   threshold=None):
    """Check every gradient of one cell against centred differences, in float64.

    Parameters
    ----------
    cell : one of ``CELLS`` ("rnn", "rnn-relu", "gru", "gru-reset_after", "lstm").
    level : "step" (the ``*_step_*`` functions) or "sequence" (``*_forward``/``*_backward``).
    N, T, D, H : batch, time, input and hidden sizes (T is ignored for steps).
    threshold : pass/fail bound; defaults to the published one for the level.

    Returns a list of :class:`GradcheckRow`, one per input, initial state and parameter.
    """
    if level not in THRESHOLDS:
        raise ValueError(f"level must be 'step' or 'sequence', got {level!r}")
    rng = np.random.default_rng(seed)
    inputs, params, fwd, bwd = _cell_problem(cell, level, N, T, D, H, rng, backend)
    out, cache = fwd()
    outs = out if isinstance(out, tuple) else (out,)
    dout = tuple(rng.standard_normal(o.shape) for o in outs)
    analytic = bwd(dout, cache)
    threshold = THRESHOLDS[level] if threshold is None else threshold
    forward_only = lambda: fwd()[0]
    rows = []
    for name, arr in list(inputs.items()) + list(params.items()):
        numeric = numerical_gradient(forward_only, arr, dout)
        rows.append(GradcheckRow(cell, level, name, relative_error(analytic[name], numeric), threshold))
    return rows


def format_report(rows):
    """A readable table of gradcheck rows."""
    lines = [f"{'cell':<16}{'level':<10}{'gradient of':<12}{'max rel. error':>16}  {'threshold':>9}  result"]
    for r in rows:
        lines.append(f"{r.cell:<16}{r.level:<10}{r.name:<12}{r.error:>16.2e}  {r.threshold:>9.0e}  "
                     f"{'pass' if r.passed else 'FAIL'}")
    return "\n".join(lines)
