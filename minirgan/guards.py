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
* :class:`StopOnInterrupt` turns SIGINT (Ctrl-C) into a flag that the loop reads between steps,
  so the run stops after a completed step and can checkpoint it; a second Ctrl-C stops at once.
"""

import signal
import threading

import numpy as np

LOW, HIGH = 0.01, 0.99


class TrainingDiverged(RuntimeError):
    """A loss, gradient, parameter or sample became NaN or inf; the message says at which step,
    what went wrong and where the last good checkpoint is."""


class TrainingInterrupted(KeyboardInterrupt):
    """Ctrl-C during training, after the last completed step was checkpointed. ``step`` and
    ``checkpoint`` say what was saved where."""

    def __init__(self, step, checkpoint):
        super().__init__(f"interrupted after step {step}; checkpoint saved to {checkpoint}")
        self.step, self.checkpoint = step, checkpoint


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
        if not self.window:
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


class StopOnInterrupt:
    """A context manager: inside it, the first SIGINT sets ``requested`` instead of raising; a
    second one raises KeyboardInterrupt at once. Outside the main thread (where Python cannot
    install signal handlers) it does nothing and Ctrl-C raises as usual."""

    def __init__(self):
        self.requested = False
        self._previous = None

    def _handle(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc):
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
        return False
