"""Sample-quality metrics for generated sequences (see ``docs/metrics.md``).

* :func:`discriminative_score` — TimeGAN's post-hoc GRU classifier, |test accuracy − 0.5|; the
  classifier is a :class:`~minirgan.models.Discriminator` (:func:`post_hoc_classifier`).
* :func:`predictive_score` — TimeGAN's train-on-synthetic, test-on-real one-step-ahead MAE; the
  :class:`Predictor` is a :class:`~minirgan.models.RecurrentStack` with E2's dense head.
* :func:`mmd2` — MMD² with an RBF kernel, median-heuristic bandwidth.
* :func:`autocorrelation`, :func:`autocorrelation_distance` — temporal structure.
* :func:`diversity_ratio` — a mode-collapse indicator (C3).
* :func:`quick_metrics` — the cheap subset logged during training.
* :func:`tstr_score` — train on synthetic, test on real (RCGAN), beside TRTR, for labelled data.
* :func:`digit_judge` — a digit classifier trained on real digits that scores generated ones.
* :func:`correlational_score` — cross-feature correlations against the real ones (Ni et al.).
* :func:`context_fid` — Fréchet distance of embeddings from a GRU encoder trained on real data.
* :func:`prdc` — precision, recall, density and coverage on k-NN manifolds (Naeem et al.).

Shapes: N sequences, T time steps, F features; every set is an array (N, T, F).
"""

from .autocorrelation import autocorrelation, autocorrelation_distance
from .context_encoder import ContextEncoder
from .context_fid import context_fid
from .correlational import correlational_score, cross_correlation
from .discriminative import discriminative_score, post_hoc_classifier
from .digit_judge import DigitJudge, digit_judge
from .frechet import frechet_distance
from .diversity import diversity_ratio, mean_pairwise_distance
from .manifold import kth_neighbour_distance, prdc
from .mmd import median_bandwidth, mmd2
from .predictive import predictive_score
from .predictor import Predictor
from .quick import quick_metrics
from .result import ScoreResult
from .sequence_classifier import class_probabilities, fit_sequence_classifier
from .tstr import tstr_score

__all__ = ["autocorrelation", "autocorrelation_distance", "discriminative_score",
           "diversity_ratio", "mean_pairwise_distance", "median_bandwidth", "mmd2",
           "post_hoc_classifier", "predictive_score", "Predictor", "quick_metrics", "ScoreResult",
           "DigitJudge", "digit_judge", "class_probabilities", "fit_sequence_classifier",
           "tstr_score", "ContextEncoder", "context_fid", "correlational_score",
           "cross_correlation", "frechet_distance", "kth_neighbour_distance", "prdc"]
