"""The result of a score averaged over repeats: mean, standard deviation and every repeat."""

from dataclasses import dataclass, field

import numpy as np


@dataclass
class ScoreResult:
    """A score measured ``len(scores)`` times with fresh splits and fresh models.

    ``mean`` and ``std`` (population std, ddof=0, as TimeGAN reports) summarise ``scores``;
    ``extra`` holds per-repeat side numbers (e.g. test accuracies) by name.
    """
    name: str
    scores: list
    extra: dict = field(default_factory=dict)

    @property
    def mean(self):
        return float(np.mean(self.scores))

    @property
    def std(self):
        return float(np.std(self.scores))

    def to_dict(self):
        """Plain floats and lists, ready for ``json.dump``."""
        return {"mean": self.mean, "std": self.std, "scores": [float(s) for s in self.scores],
                **{k: [float(v) for v in vs] for k, vs in self.extra.items()}}

    def __str__(self):
        return f"{self.name} {self.mean:.4f} ± {self.std:.4f} (over {len(self.scores)} repeats)"
