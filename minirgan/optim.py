"""Optimisers (SGD with momentum, Adam), L1/L2 weight decay, and clipping (A4, C2, C4, S4 FAQ).

Regularisation and clipping live here, outside the models' forward and backward functions, so
the functions that gradient checks check stay pure (C4; DESIGN.md "mistakes to avoid").

An optimiser serves one model: ``step(params, grads)`` takes the model's flat dict of parameter
arrays, e.g. ``{"layer0.W_z": ..., "out.W_hy": ...}``, and the gradients with the same keys. It
updates the parameter arrays IN PLACE (the model holds references to them) and never modifies
``grads``. Its state (momentum, Adam's moments) is keyed by parameter name, created at the first
step, and kept in each parameter's dtype, so float32 models stay float32.

Weight decay (L2, ``weight_decay`` = λ₂) adds λ₂·w to the gradient, the gradient of ½λ₂‖w‖²;
L1 (``l1`` = λ₁) adds λ₁·sign(w), a subgradient of λ₁‖w‖₁. Both are added to a copy inside
``step`` (for Adam this is the classic coupled L2, not AdamW's decoupled decay).

``state_dict()`` returns a flat dict of str -> ndarray (numbers as 0-d arrays) that saves into an
``.npz`` without pickle: the hyperparameters, the step counter ``"step"``, and one array per
parameter and moment under ``"<moment>/<parameter name>"`` (the "/" keeps them apart from the
plain hyperparameter names). ``load_state_dict`` restores all of it, hyperparameters included, as
PyTorch does.
"""

import numpy as np

from .validation import as_float_array

OPTIMIZERS = ("adam", "sgd")      # the names a TrainConfig may give (Adam, SGD below)


def _nonneg(name, value):
    value = float(value)
    if not (np.isfinite(value) and value >= 0.0):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return value


def _positive(name, value):
    value = float(value)
    if not (np.isfinite(value) and value > 0.0):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return value


class Optimizer:
    """Shared machinery: argument checks, regularised gradients, the step counter, state dicts.

    Subclasses name their hyperparameters in ``HYPER`` and their per-parameter state arrays in
    ``MOMENTS``, and implement ``_update(name, w, g)`` for one parameter.
    """

    HYPER = ("lr", "weight_decay", "l1")
    MOMENTS = ()

    def __init__(self, lr, weight_decay=0.0, l1=0.0):
        self.lr = _positive("lr", lr)
        self.weight_decay = _nonneg("weight_decay", weight_decay)
        self.l1 = _nonneg("l1", l1)
        self.t = 0                                   # steps taken
        self.state = {m: {} for m in self.MOMENTS}   # moment -> parameter name -> array

    def step(self, params, grads):
        """Update every array of ``params`` in place from ``grads`` (same keys, same shapes)."""
        self._check(params, grads)
        self.t += 1
        for name, w in params.items():
            self._update(name, w, self._regularised(w, grads[name]))

    def _regularised(self, w, g):
        """A new gradient array: g + λ₂ w + λ₁ sign(w) (C4), in w's dtype; g is not touched."""
        g = np.array(g, dtype=w.dtype)  # a copy
        if self.weight_decay:
            g += self.weight_decay * w
        if self.l1:
            g += self.l1 * np.sign(w)
        return g

    def _moment(self, moment, name, w):
        """The state array ``moment`` of parameter ``name``, zeros at first use."""
        table = self.state[moment]
        if name not in table:
            table[name] = np.zeros_like(w)
        elif table[name].shape != w.shape:
            raise ValueError(f"optimiser state {moment}/{name} has shape {table[name].shape}, "
                             f"but the parameter has shape {w.shape}")
        return table[name]

    @staticmethod
    def _check(params, grads):
        if not isinstance(params, dict) or not isinstance(grads, dict):
            raise ValueError("params and grads must be dicts of arrays keyed by parameter name")
        missing = sorted(set(params) - set(grads))
        extra = sorted(set(grads) - set(params))
        if missing or extra:
            raise ValueError(f"grads must have the keys of params: missing {missing}, unexpected {extra}")
        for name, w in params.items():
            if not isinstance(w, np.ndarray) or not np.issubdtype(w.dtype, np.floating):
                raise ValueError(f"params[{name!r}] must be a floating ndarray (updated in place), "
                                 f"got {type(w).__name__}")
            g = as_float_array(f"grads[{name!r}]", grads[name])
            if g.shape != w.shape:
                raise ValueError(f"grads[{name!r}] must have the parameter's shape {w.shape}, got {g.shape}")

    def reset(self):
        """Forget the step count and every moment, keeping the hyperparameters: the optimiser of
        a new phase of training (the latent model's code generator after its autoencoder)."""
        self.t = 0
        self.state = {m: {} for m in self.MOMENTS}

    def state_dict(self):
        """Flat str -> ndarray dict: hyperparameters and ``step`` as 0-d arrays, moments by name."""
        out = {k: np.array(getattr(self, k)) for k in self.HYPER}
        out["step"] = np.array(self.t)
        for moment, table in self.state.items():
            for name, arr in table.items():
                out[f"{moment}/{name}"] = arr.copy()
        return out

    def load_state_dict(self, d):
        """Restore what ``state_dict`` returned (e.g. read back from an ``.npz``); copies arrays."""
        needed = set(self.HYPER) | {"step"}
        missing = sorted(needed - set(d))
        if missing:
            raise ValueError(f"{type(self).__name__} state is missing {missing}")
        state = {m: {} for m in self.MOMENTS}
        for key, value in d.items():
            moment, sep, name = key.partition("/")
            if not sep:
                if key not in needed:
                    raise ValueError(f"unexpected key {key!r} in {type(self).__name__} state")
                continue
            if moment not in state:
                raise ValueError(f"unknown state {key!r}; {type(self).__name__} keeps {list(self.MOMENTS)}")
            state[moment][name] = np.array(value)
        for k in self.HYPER:
            setattr(self, k, float(d[k]))
        self.t = int(d["step"])
        self.state = state


class SGD(Optimizer):
    """Stochastic gradient descent with (heavy-ball) momentum.

    Update, with g the regularised gradient and μ the momentum::

        v ← μ v + g          (v starts at 0, so the first step uses v = g)
        w ← w − lr · v

    This is PyTorch's form of momentum; with μ = 0 it is plain ``w ← w − lr · g``.
    """

    HYPER = ("lr", "momentum", "weight_decay", "l1")
    MOMENTS = ("velocity",)  # created only when momentum > 0

    def __init__(self, lr=0.01, momentum=0.0, weight_decay=0.0, l1=0.0):
        super().__init__(lr, weight_decay, l1)
        momentum = _nonneg("momentum", momentum)
        if momentum >= 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        self.momentum = momentum

    def _update(self, name, w, g):
        if self.momentum:
            v = self._moment("velocity", name, w)
            v *= self.momentum
            v += g
            g = v
        w -= self.lr * g


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015) with bias correction; defaults are the usual GAN settings of A4
    (lr 2e-4, β1 = 0.5, β2 = 0.999).

    Update at step t (counting from 1), with g the regularised gradient::

        m ← β1 m + (1 − β1) g            v ← β2 v + (1 − β2) g²
        m̂ = m / (1 − β1^t)               v̂ = v / (1 − β2^t)
        w ← w − lr · m̂ / (√v̂ + ε)
    """

    HYPER = ("lr", "beta1", "beta2", "eps", "weight_decay", "l1")
    MOMENTS = ("m", "v")

    def __init__(self, lr=2e-4, beta1=0.5, beta2=0.999, eps=1e-8, weight_decay=0.0, l1=0.0):
        super().__init__(lr, weight_decay, l1)
        for name, beta in (("beta1", beta1), ("beta2", beta2)):
            beta = _nonneg(name, beta)
            if beta >= 1.0:
                raise ValueError(f"{name} must be in [0, 1), got {beta!r}")
            setattr(self, name, beta)
        self.eps = _positive("eps", eps)

    def _update(self, name, w, g):
        m = self._moment("m", name, w)
        v = self._moment("v", name, w)
        m *= self.beta1
        m += (1.0 - self.beta1) * g
        v *= self.beta2
        v += (1.0 - self.beta2) * g * g
        m_hat = m / (1.0 - self.beta1 ** self.t)
        v_hat = v / (1.0 - self.beta2 ** self.t)
        w -= (self.lr * m_hat / (np.sqrt(v_hat) + self.eps)).astype(w.dtype, copy=False)


def global_norm(grads):
    """‖g‖ over all arrays of ``grads`` taken as one vector: sqrt(Σ_k Σ g_k²), a float (C2)."""
    if not isinstance(grads, dict):
        raise ValueError(f"grads must be a dict of arrays, got {type(grads).__name__}")
    total = 0.0
    for name, g in grads.items():
        g = as_float_array(f"grads[{name!r}]", g)
        total += float(np.sum(np.square(g, dtype=np.float64)))
    return float(np.sqrt(total))


def clipped(grads, clip_norm):
    """(grads, their global norm before clipping): clipped by global norm to ``clip_norm`` (C2)
    when it is > 0, else the grads themselves."""
    if clip_norm > 0:
        return clip_by_global_norm(grads, clip_norm)
    return grads, global_norm(grads)


def clip_by_global_norm(grads, max_norm):
    """Rescale all gradients together so their global norm is at most ``max_norm`` (C2).

    Returns ``(new_grads, norm_before)``: new arrays (``grads`` is never modified), scaled by
    max_norm / norm when norm > max_norm and copied unchanged otherwise. Scaling every array by
    the same factor keeps the update's direction, which per-array clipping would not. A NaN or
    inf norm is returned as is, with the gradients copied unscaled, for the loop to report.
    """
    max_norm = _positive("max_norm", max_norm)
    norm = global_norm(grads)
    scale = max_norm / norm if np.isfinite(norm) and norm > max_norm else 1.0
    new = {}
    for name, g in grads.items():
        g = as_float_array(f"grads[{name!r}]", g)
        new[name] = (g * scale).astype(g.dtype, copy=False) if scale != 1.0 else g.copy()
    return new, norm


def clip_weights(params, c):
    """Clip every parameter to [−c, c] in place: WGAN's crude Lipschitz constraint on the critic
    (S4 FAQ names WGAN; the clipping is from Arjovsky et al., 2017, who used c = 0.01)."""
    c = _positive("c", c)
    if not isinstance(params, dict):
        raise ValueError(f"params must be a dict of arrays, got {type(params).__name__}")
    for w in params.values():
        np.clip(w, -c, c, out=w)
