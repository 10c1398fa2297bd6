"""The latent model's generator and discriminator (``--model latent``, docs/latent.md).

RTSGAN's idea (Pei, Chen, Xu, Ren, Li and Jiang, "Towards Generating Real-World Time Series
Data", ICDM 2021): a GAN that generates the fixed-size codes of a recurrent autoencoder
(``autoencoder.py``) instead of sequences; a sample is a generated code, decoded.

* :class:`CodeGenerator` — z (N, Z) ~ N(0, I) → an MLP (M14) → a code ĉ (N, C) through tanh,
  the range of the encoder's codes (M11).
* :class:`CodeDiscriminator` — a code (N, C) → an MLP (M14) → one logit per code (N,) (M15).
* :class:`LatentGenerator` — the autoencoder and the code generator as one model, the drop-in
  for :class:`~minirgan.models.Generator` in a run folder: ``params`` holds both parts' arrays
  (so the checkpoint, ``minirgan sample`` and ``minirgan evaluate`` treat it as one G), and
  ``sample`` decodes generated codes (M15).

The two code models have the recurrent models' interface (``noise``, ``forward(x, training,
rng, condition, lengths)``, ``backward(d, cache, need_input_grad, need_param_grads)``), so the
adversarial step of ``minirgan.train.train_step`` trains them on codes unchanged. Neither reads
a condition nor lengths (the latent model refuses both, ``config.py``).
Shapes: N batch, T time, F features, Z noise, C code, H hidden.
"""

import numpy as np

from ..validation import check_count
from . import defaults
from .autoencoder import Autoencoder
from .mlp import MLP

MODELS = ("rgan", "latent")     # TrainConfig.model: the recurrent GAN, or this latent model
HIDDEN_LAYERS = 2       # hidden layers of both code MLPs
WIDTH_FACTOR = 2        # their width: WIDTH_FACTOR × H


def _no_condition(condition, lengths):
    if condition is not None or lengths is not None:
        raise ValueError("the latent model reads no condition and no lengths (it is unconditional, "
                         "for sequences of one length)")


def _widths(first, code_dim, last):
    """An MLP's widths: ``first``, HIDDEN_LAYERS hidden layers of WIDTH_FACTOR × C, ``last``."""
    return [first] + [WIDTH_FACTOR * check_count("code_dim", code_dim)] * HIDDEN_LAYERS + [last]


class CodeGenerator(MLP):
    """z (N, Z) -> ĉ (N, C) in (−1, 1): an MLP with HIDDEN_LAYERS hidden layers of width
    WIDTH_FACTOR × C and tanh at the output. Parameters under ``gen.l{k}``."""

    def __init__(self, noise_dim, code_dim, rng=None, dtype=np.float64):
        self.noise_dim = check_count("noise_dim", noise_dim)
        super().__init__(_widths(noise_dim, code_dim, code_dim), "tanh", "gen", rng, dtype)

    def noise(self, n, rng):
        """z ~ N(0, I) of shape (n, Z), in the model's dtype."""
        return rng.standard_normal((n, self.noise_dim)).astype(self.dtype)

    def forward(self, z, training=False, rng=None, condition=None, lengths=None):
        """M14 layer by layer: z (N, Z) -> ĉ (N, C), cache (``training``/``rng``: no dropout here)."""
        _no_condition(condition, lengths)
        return super().forward(z)


class CodeDiscriminator(MLP):
    """c (N, C) -> one logit per code (N,): an MLP with HIDDEN_LAYERS hidden layers of width
    WIDTH_FACTOR × C and no output activation (the losses take logits). Parameters under
    ``disc.l{k}``."""

    def __init__(self, code_dim, rng=None, dtype=np.float64):
        super().__init__(_widths(code_dim, code_dim, 1), "identity", "disc", rng, dtype)

    def forward(self, c, training=False, rng=None, condition=None, lengths=None):
        """M15: the logit l = D(c) (N,), cache."""
        _no_condition(condition, lengths)
        logits, cache = super().forward(c)
        return logits[:, 0], cache

    def backward(self, dlogits, cache, need_input_grad=True, need_param_grads=True):
        """dlogits (N,) -> dc (N, C), grads (keys of ``params``)."""
        return super().backward(np.asarray(dlogits)[:, None], cache, need_input_grad, need_param_grads)


class LatentGenerator:
    """G of the latent model: the autoencoder (phase 1 trains it) and the code generator (phase 2
    trains it against a :class:`CodeDiscriminator` on the autoencoder's codes of the data).

    features F and seq_len T of the data; noise_dim Z; hidden H (the recurrent layers', and the
    code size C = H); layers, cell, activation, dropout, output_activation, rng, dtype, backend
    as for :class:`~minirgan.models.Generator`. The autoencoder's weights are drawn first, then
    the code generator's. ``params`` is one flat dict of both parts' arrays (the same arrays:
    an update of one is an update of the other)."""

    condition_dim = 0          # unconditional: what run.sample_chunks reads of a generator

    def __init__(self, features, seq_len, noise_dim=defaults.NOISE_DIM, hidden=defaults.HIDDEN,
                 layers=defaults.LAYERS, cell=defaults.CELL, activation=defaults.ACTIVATION,
                 dropout=defaults.DROPOUT, output_activation=defaults.OUTPUT_ACTIVATION, rng=None,
                 dtype=np.float64, backend=None):
        self.features, self.seq_len = check_count("features", features), check_count("seq_len", seq_len)
        self.dtype = np.dtype(dtype)
        rng = np.random.default_rng(rng)
        self.autoencoder = Autoencoder(features, hidden, hidden, layers, cell, activation, dropout,
                                       output_activation, rng, dtype, backend)
        self.code_generator = CodeGenerator(noise_dim, hidden, rng, dtype)
        self.params = {**self.autoencoder.params, **self.code_generator.params}

    @property
    def code_dim(self):
        return self.autoencoder.code_dim

    def sample(self, n, rng, seq_len=None, condition=None, lengths=None):
        """n samples (n, L, F) in evaluation mode: M15, x̂ = decode(G(z)), z ~ N(0, I); L =
        ``seq_len`` (default the trained T: the decoder runs for any number of steps)."""
        _no_condition(condition, lengths)
        codes, _ = self.code_generator.forward(self.code_generator.noise(n, rng))
        return self.autoencoder.decode(codes, self.seq_len if seq_len is None else seq_len)[0]
