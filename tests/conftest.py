"""Shared test helpers, written once: a seeded generator, random non-zero parameters, TimeGAN's
sines, and random cell problems run through the cell registry (``minirgan.cells``)."""

import numpy as np
import pytest

from minirgan.cells import VARIANTS, get_variant
from minirgan.gradcheck import random_params   # every entry random and non-zero, biases included

__all__ = ["VARIANTS", "all_outputs", "random_params", "random_problem", "randomise", "run_cell", "sines"]


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


def randomise(params, rng, scale=0.8):
    """Overwrite every parameter in place with U(−scale, scale): no zero bias left (numpy-ml's
    LSTM bias bug hid behind zero biases)."""
    for v in params.values():
        v[...] = rng.uniform(-scale, scale, size=v.shape)
    return params


def sines(n, rng, T=24, F=5):
    """TimeGAN's sines: per feature sin(f t + φ), f, φ ~ U(0, 0.1), scaled to [0, 1]; (n, T, F)."""
    f = rng.uniform(0, 0.1, (n, 1, F))
    phase = rng.uniform(0, 0.1, (n, 1, F))
    t = np.arange(T)[None, :, None]
    return (np.sin(f * t + phase) + 1.0) / 2.0


def random_problem(variant, N, T, D, H, dtype=np.float64, seed=0):
    """A random problem for one cell variant ("gru-reset_after", …): params with every entry
    non-zero, x (N, T, D), initial states (a tuple, one (N, H) per state of the cell) and an
    upstream gradient dh (N, T, H), all of ``dtype``."""
    rng = np.random.default_rng(seed)
    cell, options = get_variant(variant)
    params = random_params(cell, D, H, rng, dtype, **options)
    x = rng.standard_normal((N, T, D)).astype(dtype)
    states = tuple(rng.standard_normal((N, H)).astype(dtype) for _ in cell.states)
    dh = rng.standard_normal((N, T, H)).astype(dtype)
    return params, x, states, dh


def run_cell(variant, params, x, states, backend=None, lengths=None):
    """Forward one variant through the registry (``lengths``: a padded batch, the masked pass);
    returns (h, cache, backward), where ``backward(dh, cache)`` returns (dx, gradients on the
    initial states (tuple), grads)."""
    cell, options = get_variant(variant)
    h, cache = cell.forward(x, states, params, backend, lengths, **options)
    return h, cache, cell.backward


def all_outputs(variant, params, x, states, dh, backend, lengths=None):
    """{name: array} of the forward output h and every backward output (dx, dh0[, dc0], grads)."""
    cell, _ = get_variant(variant)
    h, cache, backward = run_cell(variant, params, x, states, backend, lengths)
    dx, dstates, grads = backward(dh, cache)
    return {"h": h, "dx": dx, **{f"d{s}0": d for s, d in zip(cell.states, dstates)}, **grads}


@pytest.fixture(scope="session")
def docs_site(tmp_path_factory):
    """The documentation site, built once per session with ``mkdocs build --strict``."""
    for module in ("mkdocs", "mkdocs_jupyter", "material"):
        pytest.importorskip(module)
    from docs_site import build_site
    site = tmp_path_factory.mktemp("docs") / "site"
    ok, log = build_site(site)
    assert ok, log
    return site


def small_train_config(**kw):
    """A TrainConfig small enough for a training run of a few steps in a test (kw override it);
    the plain adversarial step: neither moment loss."""
    from minirgan.config import TrainConfig
    base = dict(data="sines", n_data=64, seq_len=6, hidden=6, noise_dim=3, batch=8,
                iterations=4, checkpoint_every=2, seed=3, d_steps=1, moment_loss=0.0,
                step_moment_loss=0.0)
    base.update(kw)
    return TrainConfig(**base)
