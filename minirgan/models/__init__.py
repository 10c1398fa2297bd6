"""Recurrent GAN models built from the cell functions: the generator G and the discriminator D.

* :class:`Generator` — noise sequence → stacked RNN/GRU/LSTM → per-step dense output (E2),
  or the last hidden state as the sample (E16), or autoregressive with fed-back outputs (E9).
* :class:`Discriminator` — sequence → stacked RNN/GRU/LSTM → dense → one logit, read out
  from the last state, the mean state, or per-step scores averaged (E10).
* :class:`RecurrentStack` — L recurrent layers with inverted dropout between them (A0).

Each model has ``params`` (one flat dict of arrays), ``forward(...) -> (out, cache)`` and
``backward(dout, cache) -> (d_input, grads)`` with ``grads`` keyed like ``params``.
"""

from ..cells import CELL_TYPES
from .discriminator import READOUTS, Discriminator
from .generator import GENERATOR_FORMS, Generator
from .stack import RecurrentStack

__all__ = ["CELL_TYPES", "READOUTS", "GENERATOR_FORMS", "Discriminator", "Generator", "RecurrentStack"]
