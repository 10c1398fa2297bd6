"""Model selection inside a run: keep the generator that scored best on held-out real data.

A GAN's weights at its last step are one draw from an oscillating trajectory (issue 26): two
seeds stop at different points of the oscillation and score five-fold apart. With
``config.select_every = K`` (> 0) a run

* holds out a slice of its real sequences (``HOLDOUT``, at least ``MIN_HELD`` sequences) chosen
  by the seed from a stream of its own (``holdout_split``): G and D never train on it;
* every K steps, and at the last step, scores the generator the run samples from (the EMA
  average with ``config.ema``, else G) against that slice (``SelectionScore``): MMD² (Gretton
  et al. 2012; ``metrics/mmd.py``) between ``SCORE_SAMPLES`` generated sequences, drawn from
  the same fixed noise every time, and the held-out ones, flattened, with a Gaussian kernel whose
  σ is fixed once (the median distance within the held-out slice). The fixed noise and σ make
  two scores of the same run differ only by G's weights;
* writes the weights of the best-scoring generator so far to ``best.npz`` (atomically), with its
  step and score; the score goes into that step's record of metrics.jsonl as ``select_mmd2``.

``minirgan sample`` and ``evaluate`` then use ``best`` when the folder has one (``--which last``
for the last step's weights). Nothing here touches the run's random stream, so the training
steps are those of the same run without selection on the same training sequences.

``best.npz``: G/<name> (and G_average/<name> with ema) plus ``step`` and ``score``; plain
arrays, read without pickle.
"""

import os

import numpy as np

from .array_headers import LOAD_ERRORS, check_or_refuse
from .atomic import atomic_open
from .metrics.mmd import median_bandwidth, mmd2
from .models.params import prefixed, unprefixed
from .ragged import real_steps

HOLDOUT = 0.1           # share of the real sequences held out for scoring
MIN_HELD = 2            # sequences held out at least (and left to train on at least)
SCORE_SAMPLES = 500     # held-out and generated sequences per score (at most)
SPLIT_STREAM = 26       # the split's own stream: np.random.default_rng((seed, SPLIT_STREAM))
NOISE_STREAM = 27       # the scores' fixed noise: np.random.default_rng((seed, NOISE_STREAM))
WHICH = ("best", "last")
SEP = "/"


def holdout_split(n, seed):
    """(train indices, held-out indices) of n sequences, both sorted int arrays: a share HOLDOUT
    (at least MIN_HELD) held out, chosen by ``seed`` from a stream of its own. ValueError if n is
    too small to leave MIN_HELD sequences on each side."""
    held = max(MIN_HELD, int(round(HOLDOUT * n)))
    if n - held < MIN_HELD:
        raise ValueError(f"select_every needs at least {2 * MIN_HELD} training sequences to hold "
                         f"some out for scoring, got {n}")
    order = np.random.default_rng((seed, SPLIT_STREAM)).permutation(n)
    return np.sort(order[held:]), np.sort(order[:held])


class SelectionScore:
    """The score of a generator against a held-out slice: MMD² with a fixed σ and fixed noise.

    Inputs: held (N_h, T, F) the held-out sequences (scaled as training sees them); seed the
    run's seed; conditions (N_h, C) their conditions and lengths (N_h,) their lengths (padded
    sequences), or None: G generates for the same conditions and lengths. ``__call__(G)``
    returns a float (lower is better). At most SCORE_SAMPLES sequences of each set are used.
    """

    def __init__(self, held, seed, conditions=None, lengths=None):
        n = min(SCORE_SAMPLES, len(held))
        self.held = np.asarray(held[:n], dtype=np.float64)
        self.conditions = None if conditions is None else conditions[:n]
        self.lengths = None if lengths is None else lengths[:n]
        if self.lengths is not None:
            # padded sequences: zeros past each length, as G generates them (M3), whatever the
            # data's padding held
            self.held = self.held * real_steps(self.lengths, *self.held.shape[:2])[..., None]
        self.seed = seed
        self.bandwidth = median_bandwidth(self.held, self.held)

    def __call__(self, G):
        rng = np.random.default_rng((self.seed, NOISE_STREAM))     # the same noise every time
        fake = G.sample(len(self.held), rng, condition=self.conditions, lengths=self.lengths)
        return mmd2(self.held, fake, bandwidth=self.bandwidth)


class Selection:
    """The best generator of a run so far, kept in ``path`` (best.npz).

    ``update(state, step)`` scores ``state.sampler`` and, if it beats the best so far (strictly
    lower and finite), writes ``best.npz``; returns {"select_mmd2": score}. ``best_step`` and
    ``best_score`` are None until a first score. ``resume`` reads the best so far back from an
    existing best.npz.
    """

    def __init__(self, score, path, resume=False):
        self.score, self.path = score, path
        self.best_step = self.best_score = None
        if resume and os.path.exists(path):
            saved = load_best(path)
            self.best_step, self.best_score = saved["step"], saved["score"]

    def due(self, step, config):
        """True at every ``config.select_every``-th step and at the last one."""
        return step % config.select_every == 0 or step == config.iterations

    def update(self, state, step):
        score = float(self.score(state.sampler))
        if np.isfinite(score) and (self.best_score is None or score < self.best_score):
            save_best(self.path, state, step, score)
            self.best_step, self.best_score = step, score
        return {"select_mmd2": score}


def save_best(path, state, step, score):
    """Write G's weights (and the averaged G's, with ema) with ``step`` and ``score`` to ``path``,
    atomically (``minirgan.atomic``)."""
    arrays = {"step": np.array(step), "score": np.array(score)}
    arrays.update(prefixed("G", state.G.params, SEP))
    if state.G_average is not None:
        arrays.update(prefixed("G_average", state.G_average.params, SEP))
    with atomic_open(path, "wb") as f:
        np.savez(f, **arrays)


def load_best(path):
    """{"G": params, "G_average": params ({} without ema), "step": int, "score": float} of a
    best.npz; ValueError naming the file if it is damaged or not one."""
    check_or_refuse(path, _unreadable)      # headers vs. file size and memory, before np.load
    try:
        with np.load(path, allow_pickle=False) as f:
            arrays = {k: f[k] for k in f.files}
        return {"G": unprefixed("G", arrays, SEP), "G_average": unprefixed("G_average", arrays, SEP),
                "step": int(arrays["step"]), "score": float(arrays["score"])}
    except (*LOAD_ERRORS, AttributeError):
        raise _unreadable(path, "damaged or not a minirgan best.npz") from None


def _unreadable(path, why):
    return ValueError(f"{path} is {why}: delete it (the run's last weights stay in checkpoint.npz) "
                      "or put back a copy")


def resolve_which(which, best_path):
    """"best" or "last": ``which`` as asked; None means best when ``best_path`` exists, else last.
    ValueError for "best" without a best.npz."""
    if which is None:
        return "best" if os.path.exists(best_path) else "last"
    if which not in WHICH:
        raise ValueError(f"which must be one of {WHICH}, got {which!r}")
    if which == "best" and not os.path.exists(best_path):
        raise ValueError(f"{os.path.dirname(best_path) or '.'} has no best.npz (train with "
                         "--select-every K to keep the best generator); use --which last")
    return which
