"""The table of the lever "model selection inside the run" (docs/benchmarks.md, issue 26).

For every run folder trained with ``--select-every`` (e.g. the runs of ``minirgan sweep --out
DIR ... --select-every 250``), score the last step's generator and the kept best one with ``minirgan
evaluate --fast`` at each evaluation seed, and print a markdown table: per training seed the
best step, both generators' discriminative scores (mean over the evaluation seeds), and under it
the mean ± 95 % t-interval, standard deviation and range over training seeds.

    python benchmarks/selection_table.py DIR/seed=* [--eval-seeds 0 1 2]
    python benchmarks/selection_table.py DIR/*stock* --protocol full --workers 2

``--protocol full`` scores with the benchmark's protocol (``minirgan evaluate``: 10 repeats of
TimeGAN's 2,000- and 5,000-step post-hoc models) at evaluation seed 0 instead, and adds the
spread over the repeats of each generator (the 95 % t-interval Diffusion-TS reports).
A run folder scored by its sweep with the full protocol already holds its best generator's
scores in metrics.json; they are taken from there rather than computed again.

Each evaluation is kept as RUN/selection_<which>_s<seed>.json (``_full`` with the full protocol;
a run folder's metrics.json is rewritten by every evaluation), so a second call only prints.
"""

import argparse
import json
import os

import numpy as np

from minirgan.evaluate import evaluate_run
from minirgan.run import Run
from minirgan.sweep.intervals import t_interval


def scored(folder, which, seed, full=False, workers=1):
    """The metrics of ``which`` generator of a run folder at evaluation ``seed`` (a dict as in
    metrics.json), computed once and kept beside the run."""
    path = os.path.join(folder, f"selection_{which}_s{seed}{'_full' if full else ''}.json")
    if not os.path.exists(path):
        metrics = _sweep_scored(folder, which) if full and seed == 0 else None
        if metrics is None:
            metrics = evaluate_run(folder, fast=not full, seed=seed, which=which, progress=False,
                                   figures=False, workers=workers)
        with open(path, "w") as f:
            json.dump(metrics, f)
    with open(path) as f:
        return json.load(f)


def _sweep_scored(folder, which):
    """The run's metrics.json if it scores ``which`` generator with the full protocol at seed 0
    (as a sweep leaves it), else None."""
    path = os.path.join(folder, "metrics.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        metrics = json.load(f)
    full = metrics.get("protocol") != "fast" and metrics.get("repeats", 0) > 1
    return metrics if full and metrics.get("generator", {}).get("which") == which else None


def disc(metrics):
    """(discriminative score, the half-width of its 95 % t-interval over the repeats: NaN for one)."""
    scores = metrics["discriminative_score"]["scores"]
    return float(np.mean(scores)), t_interval(scores)[1] if len(scores) > 1 else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", metavar="RUN_DIR")
    parser.add_argument("--eval-seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--protocol", choices=("fast", "full"), default="fast")
    parser.add_argument("--workers", type=int, default=1, help="processes for the repeats")
    args = parser.parse_args()
    full = args.protocol == "full"
    seeds = [0] if full else args.eval_seeds
    rows = []
    for folder in args.folders:
        run = Run(folder, "best")
        # the best first: a sweep's metrics.json holds its scores until "last" is evaluated
        best = None if run.generator_step == run.step else [
            disc(scored(folder, "best", s, full, args.workers)) for s in seeds]
        last = [disc(scored(folder, "last", s, full, args.workers)) for s in seeds]
        best = last if best is None else best   # a best kept at the last step is the last G
        rows.append((run.config.seed, run.generator_step, run.step,
                     np.mean([d for d, _ in last]), np.mean([d for d, _ in best]),
                     last[0][1], best[0][1]))
    print("| training seed | best step (of) | last | best |\n| --- | --- | --- | --- |")
    for seed, step, total, last, best, last_ci, best_ci in rows:
        spread = (lambda ci: f" (± {ci:.3f})") if full else (lambda ci: "")
        print(f"| {seed} | {step} ({total}) | {last:.3f}{spread(last_ci)} | {best:.3f}{spread(best_ci)} |")
    for name, column in (("last", 3), ("best", 4)) if len(rows) > 1 else ():
        values = np.array([r[column] for r in rows])
        mean, half = t_interval(values)
        repeats = f"; over the repeats ± {np.mean([r[column + 2] for r in rows]):.3f} on average" if full else ""
        print(f"{name}: mean {mean:.3f} ± {half:.3f} (95 % t over training seeds), std "
              f"{values.std(ddof=1):.3f}, range {values.min():.3f}–{values.max():.3f}{repeats}")


if __name__ == "__main__":
    main()
