"""Helpers for tests of ``train_step`` itself: a recording optimiser, a small default config,
random non-zero models, the step's random draws replayed, and its gradients against centred
differences (used by test_train_gradcheck.py and test_seed_sketches.py)."""

import dataclasses

import numpy as np

from minirgan.config import TrainConfig
from minirgan.datasets.sampling import batch_indices
from minirgan.gradcheck import numerical_gradient, relative_error
from minirgan.losses import discriminator_loss, generator_loss
from minirgan.moment_loss import moment_loss, step_moment_loss
from minirgan.run import RunState
from minirgan.train import train_step

SIZES = dict(hidden=4, noise_dim=3, seq_len=5, batch=6, n_data=24)
# Through G and D one loss value (~1) sits at the end of the chain: the step of the
# Richardson-extrapolated centred difference is large enough to keep rounding below 1e-12
# relative for the small entries, as in test_train.py.
STEP = 3e-3


class RecordingOptimizer:
    """Stands in for Adam: keeps the gradients ``train_step`` hands over, updates nothing."""

    def __init__(self):
        self.calls = []

    def step(self, params, grads):
        self.calls.append({k: np.array(g, copy=True) for k, g in grads.items()})


def small_default_config(**changes):
    """The default TrainConfig with only its sizes shrunk (and ``changes``)."""
    return dataclasses.replace(TrainConfig(), **{**SIZES, "checkpoint_every": 1, "metrics_every": 0,
                                                 **changes})


def randomised_state(config, seed):
    """A RunState whose G and D have every weight and bias random, non-zero, U(−1, 1)."""
    state = RunState(config)
    rng = np.random.default_rng(seed)
    for model in (state.G, state.D):
        for v in model.params.values():
            v[...] = rng.uniform(-1.0, 1.0, size=v.shape)
    return state


def replay_draws(state, config, seed):
    """The real batches' row indices and noises ``train_step`` draws from ``default_rng(seed)``,
    in order."""
    rng = np.random.default_rng(seed)
    d_batches = [(batch_indices(len(state.data), config.batch, rng), state.G.noise(config.batch, rng))
                 for _ in range(config.d_steps)]
    return d_batches, state.G.noise(config.batch, rng)


def step_and_numerical_gradients(config, seed=5, lengths=None):
    """(record, handed D grads, handed G grads, numerical D grads, numerical G grads).
    ``lengths`` (N_data,): the data as a padded batch with these lengths (masked step)."""
    state = randomised_state(config, seed)
    G, D = state.G, state.D
    opt_g, opt_d = RecordingOptimizer(), RecordingOptimizer()
    record = train_step(G, D, opt_g, opt_d, state.data, np.random.default_rng(seed), config,
                        lengths=lengths)
    assert len(opt_d.calls) == config.d_steps and len(opt_g.calls) == 1

    d_batches, z_g = replay_draws(state, config, seed)
    i, z_d = d_batches[-1]
    x = state.data[i]
    n = None if lengths is None else lengths[i]
    x_fake_d = G.forward(z_d, lengths=n)[0]

    def loss_d():
        # E5 as a loss on the last discriminator batch (D is never updated: recording optimiser)
        return np.array(discriminator_loss(D.forward(x, lengths=n)[0], D.forward(x_fake_d, lengths=n)[0],
                                           config.loss, config.label_smoothing)[0])

    def loss_g():
        # C6's L_G through D, plus w · L_M and w_Δ · L_Δ against the last real batch
        x_fake = G.forward(z_g, lengths=n)[0]
        total = generator_loss(D.forward(x_fake, lengths=n)[0], config.loss)[0]
        return np.array(total + config.moment_loss * moment_loss(x_fake, x, n, n)[0]
                        + config.step_moment_loss * step_moment_loss(x_fake, x, n, n)[0])

    one = np.array(1.0)
    num_d = {k: numerical_gradient(loss_d, v, one, h=STEP) for k, v in D.params.items()}
    num_g = {k: numerical_gradient(loss_g, v, one, h=STEP) for k, v in G.params.items()}
    return record, opt_d.calls[-1], opt_g.calls[0], num_d, num_g


def worst_error(handed, numeric):
    assert set(handed) == set(numeric)
    errors = {k: relative_error(handed[k], numeric[k]) for k in numeric}
    worst = max(errors, key=errors.get)
    return worst, errors[worst]


def global_norm(grads):
    return float(np.sqrt(sum(np.sum(g * g) for g in grads.values())))
