"""The table of the lever "model selection inside the run" (docs/benchmarks.md, issue 26).

For every run folder trained with ``--select-every`` (e.g. the runs of ``minirgan sweep --out
DIR ... --select-every 250``), score the last step's generator and the kept best one with ``minirgan
evaluate --fast`` at each evaluation seed, and print a markdown table: per training seed the
best step, both generators' discriminative scores (mean over the evaluation seeds), and under it
the mean ± 95 % t-interval, standard deviation and range over training seeds.

    python benchmarks/selection_table.py DIR/seed=* [--eval-seeds 0 1 2]

Each evaluation is kept as RUN/selection_<which>_s<seed>.json (a run folder's metrics.json is
rewritten by every evaluation), so a second call only prints.
"""

import argparse
import json
import os

import numpy as np

from minirgan.evaluate import evaluate_run
from minirgan.run import Run
from minirgan.sweep.intervals import t_interval


def scored(folder, which, seed):
    """The discriminative score of ``which`` generator of a run folder at evaluation ``seed``."""
    path = os.path.join(folder, f"selection_{which}_s{seed}.json")
    if not os.path.exists(path):
        metrics = evaluate_run(folder, fast=True, seed=seed, which=which, progress=False,
                               figures=False, workers=1)
        with open(path, "w") as f:
            json.dump(metrics, f)
    with open(path) as f:
        return json.load(f)["discriminative_score"]["mean"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", metavar="RUN_DIR")
    parser.add_argument("--eval-seeds", type=int, nargs="+", default=[0])
    args = parser.parse_args()
    rows = []
    for folder in args.folders:
        run = Run(folder, "best")
        last = [scored(folder, "last", s) for s in args.eval_seeds]
        # a best kept at the last step is the last generator: the same scores
        best = last if run.generator_step == run.step else [scored(folder, "best", s)
                                                             for s in args.eval_seeds]
        rows.append((run.config.seed, run.generator_step, run.step, np.mean(last), np.mean(best)))
    print("| training seed | best step (of) | last | best |\n| --- | --- | --- | --- |")
    for seed, step, total, last, best in rows:
        print(f"| {seed} | {step} ({total}) | {last:.3f} | {best:.3f} |")
    for name, column in (("last", 3), ("best", 4)) if len(rows) > 1 else ():
        values = np.array([r[column] for r in rows])
        mean, half = t_interval(values)
        print(f"{name}: mean {mean:.3f} ± {half:.3f} (95 % t), std {values.std(ddof=1):.3f}, "
              f"range {values.min():.3f}–{values.max():.3f}")


if __name__ == "__main__":
    main()
