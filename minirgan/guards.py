"""What keeps a long training run safe: divergence caught before it is stored, a collapsed game
reported, and Ctrl-C turned into a checkpoint (issue 11 §2, §3).

* :class:`FiniteUpdates` wraps an optimiser: it refuses non-finite gradients *before* the update,
  and undoes an update whose result is not finite (an overflow), raising
  :class:`TrainingDiverged` either way. The parameters never hold a NaN or inf, so no checkpoint
  can store one and no later forward pass trips over one.
* :class:`CollapseWatch` applies the collapse rule: the game has collapsed when the mean
  D(G(z)) of every one of the last ``window`` steps (``TrainConfig.collapse_window``, default
  300) is below :data:`LOW` = 0.01 (D rejects every fake) or above :data:`HIGH` = 0.99 (D
  accepts every fake), in any mix (a run can flip between the two every step). Either way D's
  sigmoid is saturated and the players get no useful gradient. It warns once per collapsed
  stretch and lists the stretches at the end; it never stops the run.
* :class:`DivergenceWatch` applies the divergence rule that needs no NaN: the run has diverged
  when the median over the last ``window`` steps of the larger adversarial loss, max(|L_D|, |L_G|),
  is above :data:`LOSS_BOUND` = 50 (the window scales with the run's length:
  :func:`divergence_window`). A binary cross-entropy of 50 means logits on the wrong side by 50
  on average, where σ is saturated far beyond float64's resolution and no gradient flows; sane
  runs stay below 5 (measured in docs/what_happens_when.md). It stops the run (exit 1).
* :class:`StopOnInterrupt` turns SIGINT (Ctrl-C) and SIGTERM into a flag that the loop reads
  between steps, so the run stops after a completed step and can checkpoint it; a second signal
  stops at once.
"""

import signal
import threading
from collections import deque

import numpy as np

from .errors import Terminated

LOW, HIGH = 0.01, 0.99
LOSS_BOUND = 50.0                  # the divergence rule's bound on max(|L_D|, |L_G|)
WINDOW_SHARE, WINDOW_MIN, WINDOW_MAX = 1 / 20, 20, 200


class TrainingDiverged(RuntimeError):
    """A loss, gradient, parameter or sample became NaN or inf; the message says at which step,
    what went wrong and where the last good checkpoint is."""


class TrainingInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM) during training, after the last completed step was checkpointed.
    ``step`` and ``checkpoint`` say what was saved where, ``signum`` which signal stopped it."""

    def __init__(self, step, checkpoint, signum=signal.SIGINT):
        word = "terminated" if signum == signal.SIGTERM else "interrupted"
        super().__init__(f"{word} after step {step}; checkpoint saved to {checkpoint}")
        self.step, self.checkpoint, self.signum = step, checkpoint, signum


def first_nonfinite_key(arrays):
    """The first key of a dict of arrays holding a NaN or inf, or None."""
    for key, value in arrays.items():
        if not np.isfinite(value).all():
            return key
    return None


class FiniteUpdates:
    """An optimiser whose ``step(params, grads)`` never stores a NaN or inf (see the module)."""

    def __init__(self, optimizer, player):
        self.optimizer, self.player = optimizer, player

    def step(self, params, grads):
        bad = first_nonfinite_key(grads)
        if bad is not None:
            raise TrainingDiverged(f"the {self.player}'s gradient of {bad} is not finite")
        before = {k: v.copy() for k, v in params.items()}
        self.optimizer.step(params, grads)
        bad = first_nonfinite_key(params)
        if bad is not None:
            for k, v in before.items():
                params[k][...] = v
            raise TrainingDiverged(f"the {self.player}'s update overflowed ({bad} would not be finite)")

    def __getattr__(self, name):            # state_dict, lr, ...: the optimiser's own
        return getattr(self.optimizer, name)


class CollapseWatch:
    """The collapse rule over a run's records (see the module); ``window`` 0 turns it off."""

    def __init__(self, window):
        self.window = int(window)
        self.streak = 0
        self.stretches = []                # [first step, last step] of each collapsed stretch

    @staticmethod
    def saturated(d_fake):
        """True if a step's mean D(G(z)) is outside [LOW, HIGH]."""
        return d_fake < LOW or d_fake > HIGH

    def update(self, record):
        """Feed one step's record; returns a warning line when a collapse is first seen, else None."""
        if not self.window or "d_fake" not in record:      # no game in this step (an autoencoder's)
            return None
        self.streak = self.streak + 1 if self.saturated(record["d_fake"]) else 0
        step = record["step"]
        if self.streak == self.window:
            self.stretches.append([step - self.window + 1, step])
            return (f"warning: step {step}: the game has collapsed: mean D(G(z)) has been below {LOW} or "
                    f"above {HIGH} at every step since step {step - self.window + 1} (D's output is "
                    f"saturated: G gets no useful gradient); try a lower learning rate (--lr), gradient "
                    f"clipping (--clip 1.0) or another loss (--loss lsgan)")
        if self.streak > self.window:
            self.stretches[-1][1] = step
        return None

    def summary(self):
        """One line per collapsed stretch, for the end of the run ([] if none)."""
        return [f"warning: the game was collapsed in steps {a}-{b} (mean D(G(z)) below {LOW} or above "
                f"{HIGH} at every step): the samples are likely poor; see the warning above"
                for a, b in self.stretches]


def divergence_window(iterations):
    """Steps the divergence rule looks back over: 1/20 of the run, at least 20, at most 200."""
    return int(min(WINDOW_MAX, max(WINDOW_MIN, iterations * WINDOW_SHARE)))


class DivergenceWatch:
    """The divergence rule over a run's records (see the module): ``update(record)`` returns
    the reason once the median of max(|L_D|, |L_G|) over the last ``window`` steps is above
    ``bound``, else None. ``suspect`` is True while the median of the steps seen so far in the
    window is above it (the loop then writes no periodic checkpoint, so the last one kept is
    good); ``finish()`` gives the reason if the run ends while suspect."""

    def __init__(self, window, bound=LOSS_BOUND):
        self.window, self.bound = int(window), bound
        self.recent = deque(maxlen=self.window)

    def _median(self):
        return float(np.median(self.recent)) if self.recent else 0.0

    @property
    def suspect(self):
        return bool(self.recent) and (self.recent[-1] > self.bound or self._median() > self.bound)

    def _reason(self):
        return (f"the adversarial losses have stayed above {self.bound:g} (median of max(|L_D|, |L_G|) "
                f"{self._median():.4g} over the last {len(self.recent)} steps): D's logits are "
                "saturated and the players get no useful gradient")

    def update(self, record):
        if "loss_d" not in record:              # no game in this step (the latent model's autoencoder)
            return None
        self.recent.append(max(abs(record["loss_d"]), abs(record["loss_g"])))
        if len(self.recent) == self.window and self._median() > self.bound:
            return self._reason()
        return None

    def finish(self):
        return self._reason() if self._median() > self.bound else None


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopOnInterrupt:
    """A context manager: inside it, the first SIGINT or SIGTERM sets ``requested`` (and
    ``signum``) instead of raising; a second one raises at once (KeyboardInterrupt, or
    :class:`minirgan.errors.Terminated` for SIGTERM). Outside the main thread (where Python
    cannot install signal handlers) it does nothing and the signals act as usual."""

    def __init__(self):
        self.requested = False
        self.signum = None
        self._previous = {}

    def _handle(self, signum, frame):
        if self.requested:
            raise Terminated if signum == signal.SIGTERM else KeyboardInterrupt
        self.requested, self.signum = True, signum

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            self._previous = {s: signal.signal(s, self._handle) for s in STOP_SIGNALS}
        return self

    def __exit__(self, *exc):
        for s, previous in self._previous.items():
            signal.signal(s, previous)
        self._previous = {}
        return False
