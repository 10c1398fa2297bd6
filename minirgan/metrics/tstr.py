"""TSTR — train on synthetic, test on real (Esteban, Hyland & Rätsch 2017, RCGAN) — beside TRTR.

The standard check of a conditional generator: if its sequences generated for class k carry what
makes real class-k sequences class k, a classifier trained only on generated labelled sequences
classifies real ones. Protocol, repeated ``repeats`` times:

1. split the real labelled set 80/20 into a real training part and a real test part;
2. TSTR: train a fresh K-class recurrent classifier (``sequence_classifier.py``) on the generated
   sequences with the classes they were generated for; score its accuracy on the real test part;
3. TRTR: train another on the real training part; score it on the same real test part.

TRTR is the reference a perfect generator would reach; TSTR far below it means the generated
sequences of a class do not look like the real ones of that class (or collapse to few).
Chance is about 1/K. Shapes: N sequences, T time steps, F features, K classes.
"""

import numpy as np

from ..datasets.checks import check_count
from ..datasets.sampling import train_test_split
from ..validation import check_paired_lengths
from .protocol import sequence_pair
from .result import ScoreResult
from .sequence_classifier import accuracy, class_labels, fit_sequence_classifier


def tstr_score(real, real_labels, fake, fake_labels, n_classes=None, repeats=1, train_fraction=0.8,
               hidden=32, iterations=600, rng=None, backend=None, real_lengths=None, fake_lengths=None):
    """TSTR and TRTR accuracies of a K-class recurrent classifier (see the module docstring).

    Inputs:
        real (N_r, T, F) with real_labels (N_r,); fake (N_f, T, F) with fake_labels (N_f,) —
            the classes the generator was asked for; both integer classes in 0..K−1.
        n_classes K (default: 1 + the largest label seen); repeats (fresh split, fresh
        classifiers); train_fraction of the real set used by TRTR; hidden, iterations: the
        classifier's GRU size and Adam steps; rng seed or Generator; backend for the GRU.
        real_lengths (N_r,), fake_lengths (N_f,): padded batches (both or neither); the
        classifiers read only real steps.

    Returns a :class:`ScoreResult` "TSTR accuracy" (mean, std, per repeat) with the TRTR
    accuracies of the same repeats under ``extra["trtr"]``.
    """
    real, fake = sequence_pair(real, fake)
    if n_classes is None:
        n_classes = int(max(np.max(real_labels), np.max(fake_labels))) + 1
    n_classes = check_count("n_classes", n_classes, minimum=2)
    real_labels = class_labels("real_labels", real_labels, len(real), n_classes)
    fake_labels = class_labels("fake_labels", fake_labels, len(fake), n_classes)
    if not 0.0 < train_fraction < 1.0:
        raise ValueError(f"train_fraction must be in (0, 1), got {train_fraction!r}")
    repeats = check_count("repeats", repeats)
    check_paired_lengths(real_lengths, fake_lengths, "sets")
    cut = (lambda rows: None) if real_lengths is None else (lambda rows: np.asarray(real_lengths)[rows])
    rng = np.random.default_rng(rng)
    fit = dict(hidden=hidden, iterations=iterations, backend=backend)
    tstr, trtr = [], []
    for _ in range(repeats):
        train, test = train_test_split(np.arange(len(real)), 1.0 - train_fraction, rng)
        on_fake = fit_sequence_classifier(fake, fake_labels, n_classes, rng=rng, lengths=fake_lengths, **fit)
        tstr.append(accuracy(on_fake, real[test], real_labels[test], cut(test)))
        on_real = fit_sequence_classifier(real[train], real_labels[train], n_classes, rng=rng,
                                          lengths=cut(train), **fit)
        trtr.append(accuracy(on_real, real[test], real_labels[test], cut(test)))
    return ScoreResult("TSTR accuracy", tstr, {"trtr": trtr})
