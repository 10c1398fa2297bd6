"""What a recurrent cell declares, and the passes every cell gets from that declaration.

A :class:`Cell` names a cell's parameters (``param_shapes``), its initialiser, its states
(``("h",)`` or ``("h", "c")``, h first), its options (the RNN's ``activation``, the GRU's
``reset_after``), its step math and its numba sequence kernels. From those, written once here:

* :meth:`Cell.forward` / :meth:`Cell.backward` — a whole sequence: the one input check
  (``validation.prepare``), the backend switch, and the NumPy reference, which is literally the
  step function in a time loop (BPTT: the step's backward in the reversed loop);
  :meth:`Cell.run_forward` / :meth:`Cell.run_backward` are the same passes without the checks,
  for the layers above that have checked their inputs once already (``models/stack.py``);
* :meth:`Cell.step` / :meth:`Cell.step_back` — one time step with explicit states;
* a padded batch of sequences of different lengths (``lengths=``, or a step mask for
  :meth:`Cell.run_forward`): every pass applies the masked update M1 (:func:`masked_update`,
  the project's addition to the seeds' equations, docs/masking.md), so that past its end a
  sequence's state is carried unchanged and its gradients are zero.

Each cell module (``rnn``, ``gru``, ``lstm``) declares its ``Cell`` beside its math and builds
its public functions (``gru_forward`` …) on these; ``minirgan.cells`` lists them all.
A *state* is a tuple of arrays (N, H), one per name in ``Cell.states``.

Shapes: N batch, T time, D input, H hidden.
"""

import importlib
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .backend import resolve_backend
from .validation import backward_needs, check_count, lengths_mask, prepare, upstream_gradient


def numba_kernel(module, name):
    """``minirgan.kernels.<module>.<name>``, imported on its first call, so that numba (and the
    process settings of ``minirgan.kernels``) load only when the numba backend is used."""
    def kernel(*args, **kwargs):
        return getattr(importlib.import_module(f"minirgan.kernels.{module}"), name)(*args, **kwargs)
    kernel.__name__ = name
    return kernel


def init_uniform(param_shapes, D, H, rng, dtype, where):
    """Weights drawn U(−1/√H, 1/√H) as PyTorch draws them, in the order of ``param_shapes(D, H)``;
    zero biases. D and H must be positive integers."""
    D, H = check_count(f"{where}: D", D), check_count(f"{where}: H", H)
    rng = np.random.default_rng(rng)
    k = 1.0 / np.sqrt(H)
    return {name: (rng.uniform(-k, k, size=shape) if len(shape) == 2 else np.zeros(shape)).astype(dtype)
            for name, shape in param_shapes(D, H).items()}


def masked_update(m_t, new, prev):
    """M1 on every state of one step: the states of rows still inside their sequence take the
    cell's new value, the others keep their previous one.

    m_t (N, 1) booleans (row n is a real step of its sequence); new, prev: tuples of (N, H).
    A selection, which for m_t in {0, 1} equals the product form of M1 exactly (no rounding,
    and no 0 · inf from a cell evaluated on padding).
    """
    # M1: s_t = m_t ∘ cell(s_{t−1}, x_t) + (1 − m_t) ∘ s_{t−1}   (s = h, and c for the LSTM)
    return tuple(np.where(m_t, s_new, s_prev) for s_new, s_prev in zip(new, prev))


def masked_update_backward(m_t, total, cell_backward):
    """M1 differentiated for one step: ``total`` (tuple, each (N, H)) is the gradient on the
    step's states s_t; ``cell_backward(g)`` is the cell's step backward, returning
    (dx_t, gradients on s_{t−1}, grads). Returns the same three, with M1 applied.

    The cell sees m_t ∘ g (zero on rows past their end, so their dx_t and weight gradients
    are zero); the previous states get the cell's gradient on real rows and g itself on the
    others (the carried state's derivative is the identity).
    """
    zero = total[0].dtype.type(0)
    # M1 differentiated: ∂L/∂s_{t−1} = (∂cell/∂s_{t−1})ᵀ (m_t ∘ g) + (1 − m_t) ∘ g
    dx_t, dcell, grads = cell_backward(tuple(np.where(m_t, g, zero) for g in total))
    return dx_t, tuple(np.where(m_t, d, g) for d, g in zip(dcell, total)), grads


@dataclass(frozen=True)
class Cell:
    """One recurrent cell, as every layer above the cell modules sees it.

    name:           "rnn", "gru" or "lstm".
    states:         names of the recurrent states, h first: ("h",) or ("h", "c").
    param_shapes:   (D, H, **options) -> {parameter name: shape}.
    init:           (D, H, rng=None, dtype=float64, **options) -> params.
    step_forward:   (x_t, states, p, **options) -> (new states, step cache): the step's math,
                    on checked inputs of one dtype.
    step_backward:  (dstates, step cache, p, **options) -> (dx_t, dstates of t − 1, grads), given
                    the total gradient on each new state.
    numba_forward:  (x, *states, p, mask, **options) -> (h, cache) — the kernel of the whole
                    sequence; ``mask`` (T, N) booleans or None (unmasked), applied by M1.
    numba_backward: (dh, cache, need_input_grad, need_param_grads) -> (dx, *dstates0, grads), dx
                    and grads None when not needed (``validation.backward_needs``); the mask,
                    if any, is read from the cache.
    options:        {option name: allowed values, the first being the default}.
    """

    name: str
    states: tuple
    param_shapes: Callable
    init: Callable
    step_forward: Callable
    step_backward: Callable
    numba_forward: Callable
    numba_backward: Callable
    options: dict = field(default_factory=dict)

    def check_options(self, **given):
        """Every option of the cell, given or default; an unknown option or value is an error."""
        unknown = sorted(set(given) - set(self.options))
        if unknown:
            raise ValueError(f"the {self.name} cell has no option {unknown[0]!r}; "
                             f"its options: {sorted(self.options) or 'none'}")
        for key, value in given.items():
            if value not in self.options[key]:
                raise ValueError(f"{key} must be one of {self.options[key]}, got {value!r}")
        return {key: given.get(key, allowed[0]) for key, allowed in self.options.items()}

    def shapes(self, options):
        """``param_shapes`` with the options bound: (D, H) -> {name: shape}."""
        return lambda D, H: self.param_shapes(D, H, **options)

    def zero_state(self, N, H, dtype=np.float64):
        """The initial state, zeros: ``(h0,)`` or ``(h0, c0)``, each (N, H)."""
        return tuple(np.zeros((N, H), dtype=dtype) for _ in self.states)

    # ------------------------------------------------------------------ whole sequences

    def forward(self, x, states, params, backend=None, lengths=None, **options):
        """The cell over x (N, T, D) from ``states`` (a tuple, each (N, H) or None for zeros;
        None for all zeros). Returns h (N, T, H), every hidden state, and the cache.

        ``lengths`` (N,) integers in 1..T make x a padded batch: sequence n is x[n, :lengths[n]],
        and from step lengths[n] on its states are carried unchanged (M1), so h[n, t] for
        t >= lengths[n] repeats its last real state and the backward pass gives the padding
        zero gradients. None (default): every sequence runs all T steps, the unmasked pass."""
        options = self.check_options(**options)
        backend = resolve_backend(backend)
        states = (None,) * len(self.states) if states is None else states
        x, states, p = prepare(f"{self.name}_forward", x, states, [s + "0" for s in self.states],
                               params, self.shapes(options))
        mask = lengths_mask(lengths, x.shape[0], x.shape[1])
        return self.run_forward(x, states, p, backend, options, mask)

    def run_forward(self, x, states, p, backend, options, mask=None):
        """:meth:`forward` on inputs that are already checked: x (N, T, D), ``states`` a tuple of
        (N, H) arrays and ``p`` the parameters with this cell's shapes, all finite and of one
        floating dtype; ``options`` complete (:meth:`check_options`); backend "numpy" or "numba";
        ``mask`` (T, N) booleans (``validation.lengths_mask``) or None for the unmasked pass.
        Nothing is checked again (a model checks its input and parameters once per call)."""
        if backend == "numba":
            h, cache = self.numba_forward(x, *states, p, mask=mask, **options)
        else:
            h, cache = self._numpy_forward(x, states, p, options, mask)
        cache.update(cell=self.name, options=options, mask=mask)
        return h, cache

    def _numpy_forward(self, x, states, p, options, mask):
        N, T, D = x.shape
        H = states[0].shape[1]
        h = np.empty((N, T, H), dtype=x.dtype)
        steps = []
        for t in range(T):
            new, step_cache = self.step_forward(x[:, t], states, p, **options)
            states = new if mask is None else masked_update(mask[t][:, None], new, states)
            h[:, t] = states[0]
            steps.append(step_cache)
        return h, {"backend": "numpy", "steps": steps, "params": p, "shape": (N, T, D, H), "dtype": x.dtype}

    def backward(self, dh, cache, need_input_grad=True, need_param_grads=True):
        """BPTT: dh (N, T, H), the upstream gradient on every hidden state, and the cache of
        :meth:`forward` -> dx (N, T, D), the gradients on the initial states (a tuple like the
        states), grads (shaped as the params). Neither ``dh`` nor the cache is modified.

        ``need_input_grad=False`` / ``need_param_grads=False`` skip dx / grads (returned as
        None) for a caller that does not use them (``validation.backward_needs``): the numba
        kernels skip their products after the time loop; the NumPy reference, whose step
        functions are the equations, skips only the sum of the steps' weight gradients."""
        where = f"{self.name}_backward"
        need_input_grad, need_param_grads = backward_needs(need_input_grad, need_param_grads)
        if not (isinstance(cache, dict) and cache.get("cell") == self.name):
            raise ValueError(f"{where}: cache must be the cache returned by {self.name}_forward, "
                             f"got {_describe(cache)}")
        N, T, D, H = cache["shape"]
        dh = upstream_gradient("dh", dh, (N, T, H), cache["dtype"])
        return self.run_backward(dh, cache, need_input_grad, need_param_grads)

    def run_backward(self, dh, cache, need_input_grad=True, need_param_grads=True):
        """:meth:`backward` on arguments that are already checked: dh (N, T, H) finite, in the
        cache's dtype; cache from :meth:`forward` or :meth:`run_forward`; the two flags booleans,
        not both False. Nothing is checked again."""
        if cache["backend"] == "numba":
            dx, *dstates, grads = self.numba_backward(dh, cache, need_input_grad, need_param_grads)
            return dx, tuple(dstates), grads
        return self._numpy_backward(dh, cache, need_input_grad, need_param_grads)

    def _numpy_backward(self, dh, cache, need_input_grad, need_param_grads):
        N, T, D, H = cache["shape"]
        p, options, mask = cache["params"], cache["options"], cache.get("mask")
        dx = np.empty((N, T, D), dtype=cache["dtype"])
        grads = {k: np.zeros_like(v) for k, v in p.items()} if need_param_grads else None
        dstates = tuple(np.zeros((N, H), dtype=cache["dtype"]) for _ in self.states)
        for t in reversed(range(T)):
            # h_t feeds the loss directly (dh[:, t]) and the next step (dstates[0], from t + 1)
            total = (dh[:, t] + dstates[0],) + dstates[1:]
            cell_backward = lambda g: self.step_backward(g, cache["steps"][t], p, **options)
            if mask is None:
                dx[:, t], dstates, step_grads = cell_backward(total)
            else:
                dx[:, t], dstates, step_grads = masked_update_backward(mask[t][:, None], total, cell_backward)
            if need_param_grads:
                for k in grads:
                    grads[k] += step_grads[k]
        return (dx if need_input_grad else None), dstates, grads

    # ------------------------------------------------------------------ one step

    def step(self, x_t, states, params, **options):
        """One step: x_t (N, D) and ``states`` (tuple, each (N, H) or None for zeros) -> the new
        states (tuple; h_t first) and the cache for :meth:`step_back`."""
        options = self.check_options(**options)
        x_t, states, p = prepare(f"{self.name}_step_forward", x_t, states,
                                 [s + "_prev" for s in self.states], params, self.shapes(options),
                                 step=True)
        new, step_cache = self.step_forward(x_t, states, p, **options)
        return new, (step_cache, {"cell": self.name, "params": p, "options": options,
                                  "shape": new[0].shape, "dtype": new[0].dtype})

    def step_back(self, dstates, cache):
        """Backward of :meth:`step`, given the total gradient on each new state (tuple like the
        states). Returns dx_t (N, D), the gradients on the previous states (tuple), grads."""
        where = f"{self.name}_step_backward"
        if not (isinstance(cache, tuple) and len(cache) == 2 and isinstance(cache[1], dict)
                and cache[1].get("cell") == self.name):
            raise ValueError(f"{where}: cache must be the cache returned by {self.name}_step_forward, "
                             f"got {_describe(cache)}")
        step_cache, info = cache
        dstates = tuple(upstream_gradient(f"d{s}_next", d, info["shape"], info["dtype"])
                        for s, d in zip(self.states, dstates))
        return self.step_backward(dstates, step_cache, info["params"], **info["options"])


def _describe(obj):
    """A short description of a wrong argument for an error message."""
    if isinstance(obj, dict):
        return f"a dict with keys {sorted(map(str, obj))[:6]}"
    return type(obj).__name__
