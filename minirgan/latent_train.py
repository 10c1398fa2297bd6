"""The latent model's two phases of training (``--model latent``, docs/latent.md).

Steps 1..``config.ae_iterations`` are phase 1: :func:`autoencoder_step` updates the recurrent
autoencoder on a fresh batch by its reconstruction loss (M13). The remaining steps are phase 2:
the autoencoder is frozen, the codes of the training data are computed once
(:func:`real_codes`), and the code generator and discriminator play the project's adversarial
game on them — ``minirgan.train.train_step`` itself, given the code models and the codes
(:func:`code_game_config`: the moment losses, which compare sequences, are off).

G's optimiser serves both phases, one after the other: it updates the autoencoder in phase 1,
and is reset at the first step of phase 2 (moments and step count forgotten) before it updates
the code generator, so the code generator's Adam starts as a new optimiser would. The
checkpoint of either phase holds what that phase needs, and a resumed run recomputes the codes
from the restored (frozen) encoder: the same numbers.
"""

import dataclasses

from .datasets.sampling import batch_indices
from .optim import clipped


def in_autoencoder_phase(config, step):
    """True for the steps (1-based) of phase 1."""
    return step <= config.ae_iterations


def starts_the_game(config, step):
    """True at the first step of phase 2, where G's optimiser is reset."""
    return step == config.ae_iterations + 1


def autoencoder_step(G, opt_g, real, rng, config):
    """One update of the latent model's autoencoder ``G.autoencoder`` on a fresh batch of
    ``real`` (N, T, F) (dropout between stacked layers drawn from ``rng``): M13's L_R and its
    gradient through the decoder's and the encoder's BPTT, clipped by global norm when
    ``config.clip_norm`` > 0 (C2). Returns the record {loss_ae: L_R before the update,
    grad_norm_ae: the gradient's norm before clipping}."""
    x = real[batch_indices(len(real), config.batch, rng)]
    loss, grads = G.autoencoder.loss_and_grads(x, training=True, rng=rng)
    grads, norm = clipped(grads, config.clip_norm)
    opt_g.step(G.autoencoder.params, grads)
    return {"loss_ae": loss, "grad_norm_ae": norm}


def real_codes(G, real, cache):
    """The codes (N, C) of the training data ``real`` under G's (frozen) encoder, computed on
    the first call and kept in ``cache`` (a dict the training loop owns) after it."""
    if "codes" not in cache:
        cache["codes"] = G.autoencoder.encode_all(real)
    return cache["codes"]


def code_game_config(config):
    """The config phase 2's adversarial step runs with: the run's, without the moment losses
    (they compare sequences, and phase 2 generates codes)."""
    return dataclasses.replace(config, moment_loss=0.0, step_moment_loss=0.0)
