"""Context-FID (Jeha et al. 2022, PSA-GAN; as reported by Diffusion-TS): the Fréchet distance
between embeddings of real and generated sequences, from an encoder trained on the real data.

Source: P. Jeha et al., "PSA-GAN: Progressive self attention GANs for synthetic time series",
ICLR 2022, with TS2Vec as the encoder; Diffusion-TS (ICLR 2024) repeats it with a fresh encoder
each time. minirgan's version keeps the protocol and replaces the encoder by its own
(``context_encoder.ContextEncoder``: a GRU next-step predictor, max-pooled hidden states —
see there how it differs from TS2Vec):

    for each repeat: train a fresh encoder E on real;  score = FD(E(real), E(fake))
    FD(a, b) = ‖μ_a − μ_b‖² + Tr(Σ_a + Σ_b − 2 (Σ_a Σ_b)^{1/2})      (``frechet.py``)

0 for a set compared with itself; lower is better. Values depend on the encoder, so compare
them with each other and with the real-vs-real floor, not with TS2Vec-based published numbers.
Sequences are expected in [0, 1].
"""

from functools import partial

import numpy as np

from .context_encoder import ContextEncoder
from .frechet import frechet_distance
from .protocol import sequence_pair
from .repeats import repeat_seeds, run_repeats
from .result import ScoreResult


def fresh_encoder_score(real, fake, hidden, iterations, backend, seed):
    """One repeat: a fresh :class:`ContextEncoder` trained on ``real`` with its own ``seed``,
    and the Fréchet distance of the two sets' embeddings under it."""
    encoder = ContextEncoder(real.shape[2], hidden).fit(real, iterations, rng=seed, backend=backend)
    return frechet_distance(encoder.embed(real, backend), encoder.embed(fake, backend))


def context_fid(real, fake, repeats=3, iterations=1000, hidden=32, rng=None, backend=None,
                encoders=None, progress=False, workers=1):
    """Context-FID of ``fake`` (N_f, T, F) against ``real`` (N_r, T, F), both in [0, 1].

    Each repeat trains a fresh :class:`ContextEncoder` (``iterations`` Adam steps, ``hidden``
    units) on ``real``; pass ``encoders`` (a list of trained encoders) to score several sets
    with the same ones, e.g. a floor and a generated set. ``workers`` processes train the
    encoders side by side (``repeats.run_repeats``; the scores do not depend on it).
    Returns a :class:`ScoreResult`.
    """
    real, fake = sequence_pair(real, fake)
    if encoders is None:
        seeds = repeat_seeds(np.random.default_rng(rng), repeats)
        scores = run_repeats(partial(fresh_encoder_score, real, fake, hidden, iterations, backend),
                             seeds, workers, "context-FID encoders", progress)
    else:
        scores = [frechet_distance(e.embed(real, backend), e.embed(fake, backend)) for e in encoders]
    return ScoreResult("context-FID", scores)
