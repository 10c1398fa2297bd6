"""``minirgan evaluate RUN_DIR [-n N] [--repeats R] [--fast]``: score a trained generator.

Writes ``metrics.json`` (TimeGAN's discriminative and predictive scores, context-FID, the
correlational score, precision / recall / density / coverage and a verdict on mode collapse
from the coverage, MMD², autocorrelation distance, diversity ratio) and three figures (pca.png, marginals.png, autocorrelation.png) into
the run folder, and prints a summary. See ``minirgan.evaluate`` and ``docs/metrics.md``.
"""

import os

from ..backend import BACKENDS
from .counts import check_counts
from .which import add_which_argument, open_run

NAME = "evaluate"
HELP = "score a trained run (TimeGAN's discriminative/predictive scores, MMD², ...) and draw figures"


def add_arguments(parser):
    parser.add_argument("run_dir", metavar="RUN_DIR", help="a run folder written by minirgan train")
    add_which_argument(parser, "scored")
    parser.add_argument("-n", type=int, default=None,
                        help="generated sequences to evaluate (default: as many as the real data)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="repeats of the two post-hoc scores (default 10, or 1 with --fast)")
    parser.add_argument("--fast", action="store_true",
                        help="short post-hoc training (500/1000 iterations, 1 repeat): a quick look, "
                             "not comparable with published numbers")
    parser.add_argument("--seed", type=int, default=0, help="seed of the noise and the scores (default 0)")
    parser.add_argument("--backend", choices=BACKENDS, default=None,
                        help="implementation of the post-hoc models' GRU (default: package default)")
    parser.add_argument("--workers", type=int, default=None,
                        help="processes computing the repeats side by side (default: one per core; "
                             "the scores do not depend on it)")
    parser.add_argument("--no-figures", action="store_true", help="write metrics.json only")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")


def run(args):
    from ..evaluate import EVALUATION_FILES, evaluate_run, summary_lines
    from ..metrics.repeats import available_cores

    check_counts(("-n", args.n, 2), ("--repeats", args.repeats), ("--workers", args.workers))
    metrics = evaluate_run(args.run_dir, n=args.n, repeats=args.repeats, fast=args.fast,
                           seed=args.seed, backend=args.backend, progress=not args.no_progress,
                           figures=not args.no_figures,
                           workers=available_cores() if args.workers is None else args.workers,
                           which=open_run(args.run_dir, args.which).which)
    print("\n".join(summary_lines(metrics)))
    written = [EVALUATION_FILES["metrics"]] + ([] if args.no_figures or "lengths" in metrics else
                                               [v for k, v in EVALUATION_FILES.items() if k != "metrics"])
    print(f"wrote {', '.join(written)} to {os.path.abspath(args.run_dir)}")
    return 0
