"""Evaluate a trained run: the metrics of ``minirgan.metrics`` in ``metrics.json``, and figures.

``evaluate_run(run_dir)`` opens the run folder once (``minirgan.run.Run``: the generator from
its checkpoint, the training data regenerated with the same seed, so the same sequences),
draws N samples and writes into the folder:

* ``metrics.json``       discriminative and predictive scores (TimeGAN's protocols; mean, std
                         and every repeat), context-FID, correlational score, precision /
                         recall / density / coverage, MMD², autocorrelation distance, diversity
                         ratio, and a verdict on mode collapse from the coverage;
* ``pca.png``            real and generated sequences projected on the real data's first two
                         principal components (NumPy SVD of the flattened sequences);
* ``marginals.png``      per-feature histograms of the values, real vs generated;
* ``autocorrelation.png`` per-feature mean autocorrelation curves, real vs generated.

A conditional run generates for every class in equal numbers and adds TSTR beside TRTR (train
on synthetic / on real, test on real; RCGAN) under ``"tstr"``. A run on a digit set adds the
digit judge's verdict under ``"digits"`` (``metrics/digit_judge.py``): per asked class the share
recognised as it (conditional), or the class histogram (unconditional), beside the judge's
accuracy on real held-out digits (the ceiling).

Units: TimeGAN computes its scores on data in [0, 1] (its predictor ends in a sigmoid). Data
that already lie in [0, 1], like TimeGAN's sines, are evaluated in their own units, so the
numbers compare with the paper's; other data are min-max scaled to [0, 1] with the real data's
per-feature bounds first (both sets with the same map). ``metrics.json`` says which was used.
"""

import os
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import numpy as np

from .atomic import write_json
from .blas_cap import capped_blas
from .datasets.sampling import random_subset
from .errors import UserError
from .interruptible import results
from .metrics import (autocorrelation, autocorrelation_distance, context_fid, correlational_score,
                      discriminative_score, diversity_ratio, mmd2, prdc, predictive_score)
from .metrics.protocol import sequence_pair
from .metrics.repeats import abandon_pools, repeat_seeds
from .metrics.digit_judge import DIGIT_SETS, digit_judge
from .metrics.tstr import tstr_score
from .memory_budget import check_sampling
from .run import Run, sample_chunk
from .run_lock import run_folder_lock

EVALUATION_FILES = {"metrics": "metrics.json", "pca": "pca.png", "marginals": "marginals.png",
                    "autocorrelation": "autocorrelation.png"}

# The full protocols (TimeGAN) and the --fast settings (quick look; not comparable to papers).
EVALUATION_BLAS_THREADS = 1
PROTOCOL = {"repeats": 10, "disc_iterations": 2000, "pred_iterations": 5000, "fid_encoders": 3,
            "fid_iterations": 1000}
FAST = {"repeats": 1, "disc_iterations": 500, "pred_iterations": 1000, "fid_encoders": 1,
        "fid_iterations": 200}
# The verdict on mode collapse: coverage (Naeem et al. 2020) of real vs real is ≈ 0.95 with k = 5;
# below these shares of the real data's neighbourhoods, the generated set misses part of the data.
COVERAGE_PARTIAL, COVERAGE_COLLAPSE = 0.8, 0.5
# When the scores cannot be read (issue 23, rule 5): fewer sequences than this in either set
# (the post-hoc classifier and predictor learn and are tested on a handful: a discriminative
# score of 0.06 from 35 test sequences says nothing), or a precision far below its real-vs-real
# floor (≈ 0.95 with k = 5, like the coverage's): the generated sequences lie off the data,
# whatever the other scores say.
FEW_SEQUENCES = 300
PRECISION_FAR_BELOW = 0.5
MMD_SAMPLES = 2000        # MMD² is O(N²): at most this many sequences of each set


# --------------------------------------------------------------------------- numbers

def to_unit_interval(real, fake):
    """(real, fake, units): both as they are if real lies in [0, 1], else both min-max scaled
    with real's per-feature bounds. ``units`` is "data" or "min-max scaled"."""
    real, fake = sequence_pair(real, fake)
    if real.min() >= 0.0 and real.max() <= 1.0:
        return real, fake, "data"
    lo = real.min(axis=(0, 1))
    span = np.maximum(real.max(axis=(0, 1)) - lo, 1e-12)
    return (real - lo) / span, (fake - lo) / span, "min-max scaled"


def evaluate_samples(real, fake, repeats=None, fast=False, rng=None, backend=None, progress=False,
                     workers=1, real_lengths=None, fake_lengths=None):
    """Every metric of generated ``fake`` (N_f, T, F) against ``real`` (N_r, T, F), as a dict.

    ``repeats`` overrides the number of repeats of the two post-hoc scores (default 10, or 1
    with ``fast``); ``fast`` also shortens their training (500 and 1,000 iterations instead of
    the protocols' 2,000 and 5,000). ``workers`` processes compute the repeats of the post-hoc
    scores and the context-FID's encoders side by side (``metrics.repeats``; the numbers do not
    depend on it). Returns a JSON-ready dict (see ``docs/metrics.md``).

    Padded sets (``real_lengths`` (N_r,), ``fake_lengths`` (N_f,)): the discriminative and
    predictive scores read real steps only, beside the two length distributions
    (``ragged_metrics``); the scores that compare whole fixed-length sequences are left out.
    """
    settings = dict(FAST if fast else PROTOCOL)
    if repeats is not None:
        settings["repeats"] = repeats
    rng = np.random.default_rng(rng)
    real, fake, units = to_unit_interval(real, fake)
    if real_lengths is not None:
        return ragged_metrics(real, fake, real_lengths, fake_lengths, settings, rng, units,
                              dict(backend=backend, progress=progress, workers=workers),
                              "fast" if fast else "TimeGAN")
    t0 = time.perf_counter()
    disc_seed, pred_seed, fid_seed = repeat_seeds(rng, 3)        # one per score, drawn in order
    scores = {
        "disc": partial(discriminative_score, real, fake, repeats=settings["repeats"],
                        iterations=settings["disc_iterations"], rng=disc_seed),
        "pred": partial(predictive_score, fake, real, repeats=settings["repeats"],
                        iterations=settings["pred_iterations"], rng=pred_seed),
        "fid": partial(context_fid, real, fake, repeats=settings["fid_encoders"],
                       iterations=settings["fid_iterations"], rng=fid_seed)}
    options = dict(backend=backend, progress=progress, workers=workers)
    if workers == 1:
        done = {name: score(**options) for name, score in scores.items()}
    else:
        # the three scores submit their repeats to the same worker pool at once, so no worker
        # waits while another finishes the last repeats of one score (metrics/repeats.py)
        with ThreadPoolExecutor(len(scores)) as threads:
            futures = {name: threads.submit(score, **options) for name, score in scores.items()}
            try:
                done = dict(zip(futures, results(futures.values())))   # Ctrl-C: minirgan/interruptible.py
            except BaseException:                  # Ctrl-C: stop the workers, or the threads
                abandon_pools()                    # waiting for them would hold the exit
                raise
    disc, pred, fid = done["disc"], done["pred"], done["fid"]
    corr = correlational_score(real, fake, rng=rng)
    manifold = prdc(real, fake, rng=rng)
    few_real = random_subset(real, MMD_SAMPLES, rng)
    few_fake = random_subset(fake, MMD_SAMPLES, rng)
    return {"n_real": int(len(real)), "n_generated": int(len(fake)), "units": units,
            "protocol": "fast" if fast else "TimeGAN", **settings, "workers": int(workers),
            "discriminative_score": disc.to_dict(), "predictive_score": pred.to_dict(),
            "context_fid": fid.to_dict(), "correlational_score": corr.to_dict(), "prdc": manifold,
            "verdict": verdict(manifold, len(real), len(fake), fast, settings["repeats"]),
            "mmd2": mmd2(few_real, few_fake),
            "acf_distance": autocorrelation_distance(real, fake),
            "diversity": diversity_ratio(real, fake, rng=rng),
            "seconds": time.perf_counter() - t0}


def length_summary(lengths):
    """{"mean", "std", "min", "max"} of sequence lengths (N,)."""
    lengths = np.asarray(lengths, dtype=np.float64)
    return {"mean": float(lengths.mean()), "std": float(lengths.std()), "min": int(lengths.min()),
            "max": int(lengths.max())}


def ragged_metrics(real, fake, real_lengths, fake_lengths, settings, rng, units, options, protocol):
    """``evaluate_samples`` on padded sets (values in [0, 1]): the discriminative and predictive
    scores on real steps only, and the real and generated length distributions."""
    t0 = time.perf_counter()
    disc_seed, pred_seed = repeat_seeds(rng, 2)
    disc = discriminative_score(real, fake, repeats=settings["repeats"], iterations=settings["disc_iterations"],
                                rng=disc_seed, real_lengths=real_lengths, fake_lengths=fake_lengths, **options)
    pred = predictive_score(fake, real, repeats=settings["repeats"], iterations=settings["pred_iterations"],
                            rng=pred_seed, fake_lengths=fake_lengths, real_lengths=real_lengths, **options)
    return {"n_real": int(len(real)), "n_generated": int(len(fake)), "units": units,
            "protocol": protocol, **settings,
            "discriminative_score": disc.to_dict(), "predictive_score": pred.to_dict(),
            "lengths": {"real": length_summary(real_lengths), "generated": length_summary(fake_lengths)},
            "not_computed": "context-FID, correlational, PRDC, MMD, ACF and diversity compare fixed-length "
                            "sequences; a run on sequences of different lengths reports the scores above",
            "seconds": time.perf_counter() - t0}


def coverage_verdict(coverage):
    """One line on mode collapse from the coverage: the share of real sequences that have a
    generated one among their k nearest neighbours' distance."""
    share = f"the generated set reaches {coverage:.0%} of the real data's neighbourhoods"
    if coverage < COVERAGE_COLLAPSE:
        return f"mode collapse: {share} (coverage < {COVERAGE_COLLAPSE})"
    if coverage < COVERAGE_PARTIAL:
        return f"partial coverage: {share} (coverage < {COVERAGE_PARTIAL})"
    return f"covers the data: {share}"


def unreadable_because(manifold, n_real, n_generated, fast, repeats):
    """Why the scores are too noisy (or too contradictory) to read, as phrases ([] if none)."""
    reasons = []
    if min(n_real, n_generated) < FEW_SEQUENCES:
        reasons.append(f"only {min(n_real, n_generated)} sequences (fewer than {FEW_SEQUENCES}: the "
                       "post-hoc models learn and are tested on a handful)")
    if fast:
        reasons.append("--fast (short post-hoc training, not comparable)")
    elif repeats < 3:
        reasons.append(f"{repeats} repeat{'s' if repeats > 1 else ''} (no spread to judge the scores by)")
    if manifold["precision"] < PRECISION_FAR_BELOW:
        reasons.append(f"precision {manifold['precision']:.2f} is far below its real-vs-real floor "
                       "(about 0.95): the generated sequences lie off the data")
    return reasons


def verdict(manifold, n_real, n_generated, fast, repeats):
    """The verdict line of ``metrics.json`` and the summary: the coverage's verdict on mode
    collapse, preceded by "too noisy to read (why)" when :func:`unreadable_because` finds a
    reason, so that a low discriminative score from a handful of sequences never reads as a
    healthy result."""
    reasons = unreadable_because(manifold, n_real, n_generated, fast, repeats)
    said = coverage_verdict(manifold["coverage"])
    if not reasons:
        return said
    return (f"too noisy to read: {'; '.join(reasons)}. Look at the figures (samples.png, pca.png) "
            f"before trusting any number; the coverage alone says: {said}")


def label_metrics(real, real_classes, fake, fake_classes, n_classes, fast=False, rng=None,
                  backend=None, real_lengths=None, fake_lengths=None):
    """{"tstr"} of a conditional run's samples: TSTR beside TRTR (``metrics.tstr_score``) on
    sequences in [0, 1], 1 repeat of 300 classifier steps with ``fast``, else 3 of 600."""
    result = tstr_score(real, real_classes, fake, fake_classes, n_classes,
                        repeats=1 if fast else 3, iterations=300 if fast else 600, rng=rng,
                        backend=backend, real_lengths=real_lengths, fake_lengths=fake_lengths)
    found = {"tstr": result.to_dict()}
    if real_lengths is not None:
        # each class's generated lengths beside its real ones (lengths are drawn per class)
        found["lengths_by_class"] = {
            str(k): {"real": length_summary(np.asarray(real_lengths)[real_classes == k]),
                     "generated": length_summary(np.asarray(fake_lengths)[fake_classes == k])}
            for k in range(n_classes) if np.any(real_classes == k) and np.any(fake_classes == k)}
    return found


def digit_metrics(dataset, fake, fake_classes=None):
    """{"digits"}: the digit judge of ``dataset`` on generated images (N, T, F) in [0, 1];
    per asked class if ``fake_classes`` (N,) is given, else the class histogram."""
    judge = digit_judge(dataset)
    if fake_classes is None:
        return {"digits": judge.score_unconditional(fake).to_dict()}
    return {"digits": judge.score_conditional(fake, fake_classes).to_dict()}


def summary_lines(metrics):
    """A short human-readable summary of ``evaluate_samples``' dict."""
    d, p = metrics["discriminative_score"], metrics["predictive_score"]
    extra = []
    if "tstr" in metrics:
        t = metrics["tstr"]
        extra.append(f"TSTR accuracy         {t['mean']:.3f}   TRTR {np.mean(t['trtr']):.3f}   "
                     "(classifier trained on generated / real, tested on real)")
    if "digits" in metrics:
        g = metrics["digits"]
        if "recognised" in g:
            worst = min(v for v in g["recognised"] if v is not None)
            extra.append(f"digits recognised     {g['overall']:.1%} as the asked class (worst class "
                         f"{worst:.1%}); judge on real held-out digits {g['ceiling_overall']:.1%}")
        else:
            extra.append(f"digit classes seen    {g['covered']}/10, smallest share {g['min_share']:.1%}, "
                         f"TV to uniform {g['tv_to_uniform']:.3f}; judge on real held-out digits "
                         f"{g['ceiling']:.1%}")
    scores = [f"discriminative score  {d['mean']:.4f} ± {d['std']:.4f}   (0 = indistinguishable, 0.5 = separable)",
              f"predictive score      {p['mean']:.4f} ± {p['std']:.4f}   (MAE, train on generated, test on real)"]
    footer = (f"({metrics['protocol']} protocol, {metrics['repeats']} repeats, {metrics['n_real']} real and "
              f"{metrics['n_generated']} generated sequences, {metrics['units']} units)")
    if "lengths" in metrics:          # sequences of different lengths: real steps only
        r, g = metrics["lengths"]["real"], metrics["lengths"]["generated"]
        return extra + scores + [f"lengths               real {r['mean']:.1f} ± {r['std']:.1f}, generated "
                                 f"{g['mean']:.1f} ± {g['std']:.1f}", footer]
    return extra + scores + [f"MMD²                  {metrics['mmd2']:.5f}           (0 = same distribution)",
            f"context-FID           {metrics['context_fid']['mean']:.4f}            (0 = same embeddings; minirgan's GRU encoder)",
            f"correlational score   {metrics['correlational_score']['mean']:.4f}            (0 = same cross-feature correlations)",
            "precision / recall    {precision:.3f} / {recall:.3f}    density {density:.3f}   coverage {coverage:.3f}"
            .format(**metrics["prdc"]),
            f"autocorrelation dist. {metrics['acf_distance']:.4f}            (0 = same temporal structure)",
            f"diversity ratio       {metrics['diversity']:.3f}             (spread generated / real)",
            f"verdict: {metrics['verdict']}", footer]


# --------------------------------------------------------------------------- a run folder

def evaluate_run(run_dir, n=None, repeats=None, fast=False, seed=0, backend=None, progress=True,
                 figures=True, workers=1, which=None):
    """Evaluate a run folder: writes metrics.json (and the figures); returns the metrics dict.

    ``which``: the generator scored, "best" (best.npz, kept by selection in the run; the default
    when the folder has one) or "last" (the last step's); metrics.json names it and its step
    under "generator".

    n generated sequences (default: as many as the real data set has), drawn with ``seed``;
    repeats, fast, backend, workers: as in :func:`evaluate_samples`. The run folder's lock is
    held throughout (minirgan/run_lock.py): a run being trained or evaluated is refused.
    """
    run = Run(run_dir, which)
    _refuse_unscorable(run.config)
    with run_folder_lock(run_dir, "minirgan evaluate"):
        return _evaluate_locked(run, run_dir, n, repeats, fast, seed, backend, progress, figures, workers)


def _refuse_unscorable(config):
    """The post-hoc scores read complete sequences of the data's own width: a run with missing
    cells (NaN in its data) or with attributes as extra channels would get NaN or misread
    scores, so it is refused in one line rather than reported (issue 23, Rule 5)."""
    if config.missing is not None:
        raise UserError("evaluate does not score runs with --missing mask yet (their real data hold the "
                        "missing cells as NaN); use sample and compare per-feature statistics (docs/missing.md)")
    if config.static_columns is not None:
        raise UserError("evaluate does not score runs with --static-columns yet (the attributes are extra "
                        "channels of the data); use sample (docs/attributes.md)")


def _evaluate_locked(run, run_dir, n, repeats, fast, seed, backend, progress, figures, workers):
    """The rest of ``evaluate_run``, with the run folder's lock held."""
    real = run.real_data()
    n = len(real) if n is None else n
    if not (isinstance(n, (int, np.integer)) and n >= 2):
        raise ValueError(f"n must be an integer >= 2 (generated sequences to evaluate), got {n!r}")
    _, steps, features = real.shape
    check_sampling(run.config, n, steps, features, sample_chunk(steps, steps), whole=True)
    fake_classes = None
    if run.config.conditional:
        fake, fake_labels = run.labelled_samples(n, seed)        # every class in equal numbers
        fake_classes = run.label_map.encode(fake_labels)
    else:
        fake = run.samples(n, seed)
    # One BLAS thread, as in training: the post-hoc models' products are small, and two threads
    # that wait for a busy core spin (measured on 2 shared cores, --repeats 1: 258 s of CPU and
    # 24 min of wall time uncapped, 34 s and 2.7 min with one thread; docs/performance.md)
    # a run on sequences of different lengths: the generated ones' lengths, drawn as sample draws them
    real_lengths = run.run_data().lengths
    fake_lengths = None if real_lengths is None else run.sample_lengths(n, seed, fake_classes)
    with capped_blas(EVALUATION_BLAS_THREADS):
        metrics = evaluate_samples(real, fake, repeats=repeats, fast=fast, rng=seed, backend=backend,
                                   progress=progress, workers=workers, real_lengths=real_lengths,
                                   fake_lengths=fake_lengths)
    if fake_classes is not None:
        unit_real, unit_fake, _ = to_unit_interval(real, fake)
        metrics.update(label_metrics(unit_real, run.real_classes(), unit_fake, fake_classes,
                                     len(run.label_map), fast, seed, backend, real_lengths, fake_lengths))
    if run.info.get("name") in DIGIT_SETS:
        metrics.update(digit_metrics(run.info["name"], fake, fake_classes))
    metrics["run_dir"] = os.path.abspath(run_dir)
    metrics["generator"] = {"which": run.which, "step": run.generator_step}
    write_json(os.path.join(run_dir, EVALUATION_FILES["metrics"]), metrics, indent=2)
    if figures and real_lengths is None:        # figures of fixed-length sequences only
        from .plots import write_evaluation_figures     # matplotlib loads only when drawing
        paths = {k: os.path.join(run_dir, v) for k, v in EVALUATION_FILES.items() if k != "metrics"}
        write_evaluation_figures(real, fake, autocorrelation(real), autocorrelation(fake), paths,
                                 run.info.get("feature_names"))
    return metrics
