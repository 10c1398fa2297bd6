"""Gradient checking as a feature: compare hand-written backward passes with finite differences.

The check follows Stanford CS231n's recipe:

* a random upstream gradient ``dout`` turns any array-valued function into the
  scalar ``L = sum(out * dout)``, whose gradient the backward pass computes;
* centred differences ``(f(x + h) − f(x − h)) / 2h`` in float64, at two step sizes
  combined by Richardson extrapolation so the O(h²) error cancels;
* the relative error ``|a − n| / max(1e-8, |a| + |n|)``, maximised over entries.

CS231n's published thresholds, used here, in the test suite and by ``minirgan gradcheck``:
1e-8 for one step, 1e-6 for a whole sequence (errors compound over time steps; the suite
asks 1e-7 of its sequences). ``minirgan gradcheck`` prints :func:`cell_gradcheck` reports for
every cell variant of the registry (``minirgan.cells``); with ``ragged=True`` (``minirgan
gradcheck --ragged``) the sequence passes run on a padded batch of ragged lengths, which
checks the masked update M1 (docs/masking.md) at the sequence threshold.
"""

from dataclasses import dataclass

import numpy as np

from .cells import VARIANTS, get_variant

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


def random_params(cell, D, H, rng, dtype=np.float64, **options):
    """Parameters of a registry cell with every entry (biases included) random and non-zero,
    U(−0.8, 0.8): a zero bias hides a wrong bias gradient (numpy-ml's LSTM bug)."""
    shapes = cell.param_shapes(D, H, **options)
    return {k: rng.uniform(-0.8, 0.8, size=shape).astype(dtype) for k, shape in shapes.items()}


def ragged_lengths(N, T, rng):
    """(N,) lengths for a padded batch of N >= 2 sequences of at most T steps: the first is 1,
    the second T (the two edges of M1: carried almost all the way, never carried), the rest
    drawn uniformly from 1..T."""
    if N < 2:
        raise ValueError(f"a ragged batch needs N >= 2 (lengths 1 and T), got N = {N}")
    return np.concatenate([[1, T], rng.integers(1, T + 1, size=N - 2)]).astype(np.int64)


def _cell_problem(variant, level, N, T, D, H, rng, backend, lengths=None):
    """Inputs, params, a forward closure and a backward closure for one cell variant and level.

    Both closures go through the registry row, so one code path serves every cell: the forward
    returns the checked outputs (h for a sequence, the new states for a step) and the cache;
    the backward returns one dict of gradients keyed by input, initial state and parameter.
    ``lengths`` (sequences only) makes x a padded batch (the masked pass, M1).
    """
    cell, options = get_variant(variant)
    seq = level == "sequence"
    x = rng.standard_normal((N, T, D) if seq else (N, D))
    states = tuple(rng.standard_normal((N, H)) for _ in cell.states)
    params = random_params(cell, D, H, rng, **options)
    inputs = {"x": x, **{f"{s}0": state for s, state in zip(cell.states, states)}}

    def named(dx, dstates, grads):
        return {"x": dx, **{f"{s}0": d for s, d in zip(cell.states, dstates)}, **grads}

    if seq:
        fwd = lambda: cell.forward(x, states, params, backend, lengths, **options)
        bwd = lambda dout, cache: named(*cell.backward(dout[0], cache))
    else:
        fwd = lambda: cell.step(x, states, params, **options)
        bwd = lambda dout, cache: named(*cell.step_back(dout, cache))
    return inputs, params, fwd, bwd


CELLS = tuple(VARIANTS)      # "rnn", "rnn-relu", "gru", "gru-reset_after", "lstm"


def cell_gradcheck(cell="gru", level="sequence", N=3, T=5, D=4, H=6, seed=0, backend="numpy",
                   threshold=None, ragged=False):
    """Check every gradient of one cell against centred differences, in float64.

    Parameters
    ----------
    cell : one of ``CELLS`` ("rnn", "rnn-relu", "gru", "gru-reset_after", "lstm").
    level : "step" (the ``*_step_*`` functions) or "sequence" (``*_forward``/``*_backward``).
    N, T, D, H : batch, time, input and hidden sizes (T is ignored for steps).
    threshold : pass/fail bound; defaults to the published one for the level.
    ragged : sequences only: a padded batch with lengths ``ragged_lengths(N, T)`` (1, T and
        random ones), every gradient of the masked pass (M1) checked; the upstream gradient is
        random on the padded steps too, so the carried states' derivative is checked as well.

    Returns a list of :class:`GradcheckRow`, one per input, initial state and parameter.
    """
    if level not in THRESHOLDS:
        raise ValueError(f"level must be 'step' or 'sequence', got {level!r}")
    if ragged and level != "sequence":
        raise ValueError("ragged lengths apply to the sequence level only (a step has no length)")
    rng = np.random.default_rng(seed)
    lengths = ragged_lengths(N, T, rng) if ragged else None
    inputs, params, fwd, bwd = _cell_problem(cell, level, N, T, D, H, rng, backend, lengths)
    out, cache = fwd()
    outs = out if isinstance(out, tuple) else (out,)
    dout = tuple(rng.standard_normal(o.shape) for o in outs)
    analytic = bwd(dout, cache)
    threshold = THRESHOLDS[level] if threshold is None else threshold
    forward_only = lambda: fwd()[0]
    rows = []
    for name, arr in list(inputs.items()) + list(params.items()):
        numeric = numerical_gradient(forward_only, arr, dout)
        rows.append(GradcheckRow(cell, "ragged" if ragged else level, name,
                                 relative_error(analytic[name], numeric), threshold))
    return rows


def format_report(rows):
    """A readable table of gradcheck rows."""
    lines = [f"{'cell':<16}{'level':<10}{'gradient of':<12}{'max rel. error':>16}  {'threshold':>9}  result"]
    for r in rows:
        lines.append(f"{r.cell:<16}{r.level:<10}{r.name:<12}{r.error:>16.2e}  {r.threshold:>9.0e}  "
                     f"{'pass' if r.passed else 'FAIL'}")
    return "\n".join(lines)
