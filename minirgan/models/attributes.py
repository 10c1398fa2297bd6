"""Per-sequence attributes (issue 25 §3, docs/attributes.md): G's attribute head and how D
reads attributes beside a series.

A sequence's attributes (a patient's age, a device type) are constant within it. As in
DoppelGANger, G first generates the attributes â from a noise vector of its own, then the
series given them (the series generator reads â with its noise); D reads â beside every step.
Each attribute is a block of the attribute vector a (N, A):

* numeric: one column, min-max scaled to [0, 1]; the head's output is σ(o).
* categorical with K categories: K columns, a one-hot in the data. The head's K logits o go
  through the Gumbel-softmax (M8): with g_k = −log(−log U_k), U_k ~ U(0, 1),

      y = softmax((o + g) / τ)

  a relaxed sample of the category, differentiable in o:

      ∂L/∂o = (1/τ) · y ∘ (ḡ − ⟨ḡ, y⟩),   ḡ = ∂L/∂y

  With ``hard=True`` (the default in training) the block G emits is the one-hot of argmax y,
  so D sees one-hot categories from G as from the data (a soft vector would tell a fake at
  once), and the gradient is passed straight through: ∂L/∂y := ∂L/∂(one-hot), then M8's
  backward (the straight-through Gumbel estimator; Jang et al. 2017). The relaxed form is what
  the gradient check checks; the straight-through one uses the same backward.

M9, the attribute head: h = tanh(W_1 z_a + b_1), o = W_2 h + b_2 (E2 twice), then each block's
output as above. M10, a series with its attributes: u_t = [x_t, a] at every step (as a
condition, models/condition.py), whose backward sums ∂L/∂u_t over t for ∂L/∂a.
Shapes: N batch, T time, F features, A attribute columns, Z_a attribute noise, H hidden.
"""

import numpy as np

from ..activations import sigmoid, sigmoid_grad, softmax, softmax_backward, tanh_grad
from ..dense import dense_backward, dense_forward, init_dense_params
from ..datasets.attributes import KINDS, Attribute, blocks
from .params import prefixed, unprefixed

# ---------------------------------------------------------------- M8: the Gumbel-softmax

def gumbel_noise(shape, rng, dtype=np.float64):
    """g = −log(−log U), U ~ U(0, 1) (kept away from 0 and 1), of ``shape``."""
    u = rng.uniform(np.finfo(np.float64).tiny, 1.0, size=shape)
    return (-np.log(-np.log(u))).astype(dtype)


def gumbel_softmax_forward(logits, gumbel, tau=1.0, hard=False):
    """M8: logits o (N, K), Gumbel noise g (N, K) → y (N, K), cache.

    y = softmax((o + g)/τ); ``hard`` returns the one-hot of argmax y instead (the
    straight-through estimator: the backward is the relaxed one's)."""
    # M8: y = softmax((o + g) / τ)   (activations.softmax: shifted by the row's max)
    y = softmax((logits + gumbel) / tau, axis=1)
    if not hard:
        return y, (y, tau)
    one_hot = np.zeros_like(y)
    one_hot[np.arange(len(y)), y.argmax(axis=1)] = 1.0
    return one_hot, (y, tau)


def gumbel_softmax_backward(dy, cache):
    """M8 differentiated: dy (N, K) → ∂L/∂o (N, K) = (1/τ) y ∘ (dy − ⟨dy, y⟩)."""
    y, tau = cache
    # M8': ∂L/∂o = (1/τ) · y ∘ (ḡ − Σ_k ḡ_k y_k)   (ḡ = dy; softmax's vector-Jacobian product)
    return softmax_backward(dy, y, axis=1) / tau


# ---------------------------------------------------------------- M9: the attribute head

class AttributeGenerator:
    """G's attribute head (M9): z_a (N, Z_a) → â (N, A), one block per attribute.

    Parameters: attributes (a list of :class:`Attribute`); noise_dim Z_a; hidden H; tau τ of
    M8; rng (seed or Generator) for the weights; dtype.
    """

    def __init__(self, attributes, noise_dim=8, hidden=16, tau=0.5, rng=None, dtype=np.float64):
        for attr in attributes:
            if attr.kind not in KINDS or (attr.kind == "categorical" and len(attr.categories) < 2):
                raise ValueError(f"attribute {attr.name!r}: kind must be one of {KINDS}, a categorical one "
                                 f"with at least 2 categories")
        self.attributes, self.noise_dim, self.tau = list(attributes), int(noise_dim), float(tau)
        self.width = sum(a.width for a in self.attributes)
        self.dtype = np.dtype(dtype)
        rng = np.random.default_rng(rng)
        self.params = {**prefixed("hid", init_dense_params(self.noise_dim, hidden, rng, self.dtype)),
                       **prefixed("out", init_dense_params(hidden, self.width, rng, self.dtype))}

    def noise(self, n, rng):
        """(z_a (n, Z_a), Gumbel noise (n, A)) for n sequences."""
        return (rng.standard_normal((n, self.noise_dim)).astype(self.dtype),
                gumbel_noise((n, self.width), rng, self.dtype))

    def forward(self, z, gumbel, hard=True):
        """M9: z (N, Z_a), gumbel (N, A) → â (N, A), cache. ``hard``: categorical blocks as
        one-hots (straight-through); else the relaxed Gumbel-softmax."""
        # M9: h = tanh(W_1 z + b_1)
        pre, hid_cache = dense_forward(z, unprefixed("hid", self.params))
        h = np.tanh(pre)
        # M9: o = W_2 h + b_2
        o, out_cache = dense_forward(h, unprefixed("out", self.params))
        a, caches = np.empty_like(o), []
        for attr, i, j in blocks(self.attributes):
            if attr.kind == "numeric":
                # a numeric attribute in [0, 1]: σ(o)
                a[:, i:j] = sigmoid(o[:, i:j])
                caches.append(a[:, i:j].copy())
            else:
                a[:, i:j], cache = gumbel_softmax_forward(o[:, i:j], gumbel[:, i:j], self.tau, hard)
                caches.append(cache)
        return a, (h, hid_cache, out_cache, caches)

    def backward(self, da, cache):
        """da (N, A) = ∂L/∂â → grads (keys of ``params``)."""
        h, hid_cache, out_cache, caches = cache
        do = np.empty_like(da)
        for (attr, i, j), c in zip(blocks(self.attributes), caches):
            if attr.kind == "numeric":
                # dσ/do = σ (1 − σ)
                do[:, i:j] = da[:, i:j] * sigmoid_grad(c)
            else:
                do[:, i:j] = gumbel_softmax_backward(da[:, i:j], c)
        dh, out_grads = dense_backward(do, out_cache)
        # d tanh = 1 − h²
        _, hid_grads = dense_backward(dh * tanh_grad(h), hid_cache)
        return {**prefixed("hid", hid_grads), **prefixed("out", out_grads)}

    def decode(self, a):
        """â (N, A) → a list of N dicts {name: value}: a numeric attribute's value in [0, 1]
        (scale it back with the data's scaler), a categorical one's category (argmax)."""
        rows = [dict() for _ in range(len(a))]
        for attr, i, j in blocks(self.attributes):
            for n, row in enumerate(rows):
                row[attr.name] = (float(a[n, i]) if attr.kind == "numeric"
                                  else attr.categories[int(np.argmax(a[n, i:j]))])
        return rows


# ---------------------------------------------------------------- M10: a series beside its attributes

def with_attributes(x, a):
    """M10: x (N, T, F), a (N, A) → u (N, T, F + A), u_t = [x_t, a]."""
    # M10: u_t = [x_t, a]   (the same attributes at every step)
    return np.concatenate([x, np.broadcast_to(a[:, None, :], x.shape[:2] + a.shape[1:]).astype(x.dtype)],
                          axis=2)


def with_attributes_backward(du, features):
    """M10 differentiated: du (N, T, F + A) → (∂L/∂x (N, T, F), ∂L/∂a (N, A) = Σ_t du_t[F:])."""
    # M10': ∂L/∂a = Σ_t (∂L/∂u_t)_{F:}
    return du[..., :features], du[..., features:].sum(axis=1)


def joined(condition, a):
    """The condition the series generator reads: [c, â] (c (N, C) or None, â (N, A))."""
    return a if condition is None else np.concatenate([condition, a.astype(condition.dtype)], axis=1)


class AttributedGenerator:
    """G of a run with attributes: the attribute head (M9) draws â, the series generator
    (a :class:`Generator` built with a condition of C + A numbers) generates x̂ given [c, â],
    and the output is the series with its attributes as channels, [x̂_t, â] (M10), which is
    what D reads and how the run's data hold real sequences. A drop-in for the Generator in the
    training step: ``noise`` packs the head's noise (z_a and the Gumbel draws, repeated over
    time) after the series noise, ``backward`` routes ∂L/∂â (Σ_t of the attribute channels) to
    the head. The gradient does not flow from x̂ back into â (the series generator reads â as
    a condition, whose gradient the Generator does not return); â learns from D directly.

    ``params`` is the series generator's dict with the head's arrays added under "attr." (the
    same arrays: an in-place update of one is an update of the other), so optimisers,
    checkpoints and the moving average treat G as one model.
    """

    def __init__(self, series, head):
        self.series, self.head = series, head
        self.params = series.params
        self.params.update(prefixed("attr", head.params))
        self.features = series.features + head.width

    def __getattr__(self, name):          # seq_len, dtype, form, noise_dim, ... of the series G
        if name.startswith("__") or name in ("series", "head"):     # (copy.deepcopy, pickle)
            raise AttributeError(name)
        return getattr(self.series, name)

    @property
    def noise_width(self):
        return self.series.noise_width + self.head.noise_dim + self.head.width

    def noise(self, n, rng, seq_len=None):
        """(n, T, W + Z_a + A): the series noise, then z_a and the Gumbel draws at every step."""
        z = self.series.noise(n, rng, seq_len)
        za, g = self.head.noise(n, rng)
        per_sequence = np.concatenate([za, g], axis=1)[:, None, :]
        return np.concatenate([z, np.repeat(per_sequence, z.shape[1], axis=1).astype(z.dtype)], axis=2)

    def forward(self, z, training=False, rng=None, condition=None, lengths=None):
        """z (N, T, noise_width) → [x̂_t, â] (N, T, F + A), cache."""
        W, Za = self.series.noise_width, self.head.noise_dim
        a, head_cache = self.head.forward(z[:, 0, W:W + Za], z[:, 0, W + Za:])
        x, cache = self.series.forward(z[..., :W], training, rng, joined(condition, a), lengths)
        return with_attributes(x, a), (cache, head_cache)

    def backward(self, dout, cache, need_input_grad=True, need_param_grads=True):
        """dout (N, T, F + A) → (None, grads of ``params``): no gradient on the noise."""
        series_cache, head_cache = cache
        dx, da = with_attributes_backward(dout, self.series.features)
        _, grads = self.series.backward(dx, series_cache, need_input_grad=False)
        grads.update(prefixed("attr", self.head.backward(da, head_cache)))
        return None, grads

    def sample(self, n, rng, seq_len=None, condition=None, lengths=None):
        """n samples [x̂_t, â] (n, T, F + A) in evaluation mode."""
        return self.forward(self.noise(n, rng, seq_len), condition=condition, lengths=lengths)[0]
