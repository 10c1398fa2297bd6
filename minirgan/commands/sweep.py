"""``minirgan sweep --out DIR --seeds 0-4 [--set KEY=V1,V2 ...] [train options]``: many runs, one table.

Every combination of the ``--set`` values × every seed is trained as an ordinary run folder
under DIR, sampled and scored (``minirgan evaluate``, ``--fast`` or ``--quick``); DIR/sweep.csv
has one row per run, DIR/summary.md one row per setting, DIR/scores.png the scores per
setting. The runs go to a local process pool (``--workers``) or a Dask cluster
(``--scheduler``). Running the same command again finishes an interrupted sweep. See
``minirgan.sweep`` and docs/sweeps.md.
"""

from ..errors import UserError
from . import train as train_command
from .counts import check_counts

NAME = "sweep"
HELP = ("train and score every combination of --set values x --seeds, on a local process pool "
        "or a Dask cluster; one table")


def add_arguments(parser):
    parser.add_argument("--out", required=True, metavar="DIR",
                        help="the sweep's folder: one run folder per setting and seed, sweep.csv, "
                             "summary.md, scores.png (rerun the same command to resume)")
    parser.add_argument("--seeds", nargs="+", default=["0-4"], metavar="SEED",
                        help="training seeds: numbers and ranges, e.g. 0-4 or 0 1 2 (default: 0-4)")
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="KEY=V1,V2",
                        help="a setting to vary, e.g. --set hidden=16,32 --set lr=1e-3,5e-4 (a train "
                             "option without its dashes or a TrainConfig field); repeatable: "
                             "every combination is run")
    scoring = parser.add_mutually_exclusive_group()
    scoring.add_argument("--fast", action="store_true",
                         help="score with minirgan evaluate --fast (a quick look, not comparable "
                              "with published numbers)")
    scoring.add_argument("--quick", action="store_true",
                         help="score with the training log's cheap metrics only (MMD², "
                              "autocorrelation distance, diversity): for smoke tests")
    parser.add_argument("--workers", type=int, default=None,
                        help="processes of the local pool (default: one per core)")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="run on the Dask cluster whose scheduler is at ADDRESS "
                             "(tcp://HOST:PORT); the workers need DIR at the same path (a shared "
                             "filesystem) and minirgan installed")
    parser.add_argument("--no-figures", action="store_true",
                        help="no figures in the run folders (the sweep's scores.png is still drawn)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    train_command.add_config_arguments(parser.add_argument_group("base configuration (the options "
                                                                 "of minirgan train)"),
                                       exclude=("seed",))


def _setting(text):
    """A --set argument with a train flag's name turned into its field (clip -> clip_norm)."""
    from ..sweep import parse_setting
    key, sep, values = text.partition("=")
    flag = "--" + key.strip().lstrip("-")
    fields = {f: field for field, f in train_command.FLAGS.items()}
    return parse_setting(f"{fields.get(flag, key)}{sep}{values}")


def run(args):
    from ..config import TrainConfig
    from ..sweep import parse_seeds, run_sweep

    check_counts(("--workers", args.workers))
    if args.workers is not None and args.scheduler is not None:
        raise UserError("--workers sizes the local pool and --scheduler uses a Dask cluster: give one")
    base = train_command.validated(TrainConfig(**train_command.given_options(args)), args)
    settings = [_setting(text) for text in args.settings]
    seeds = parse_seeds(args.seeds)
    scoring = "fast" if args.fast else "quick" if args.quick else "full"
    table = run_sweep(args.out, base, settings, seeds, scoring=scoring, figures=not args.no_figures,
                      workers=args.workers, scheduler=args.scheduler, progress=not args.no_progress)
    failed = sum(row["status"] != "ok" for row in table)
    print(f"wrote {args.out}/sweep.csv ({len(table)} runs), summary.md and scores.png"
          + (f"; {failed} run(s) diverged (see summary.md)" if failed else ""))
    return 0
