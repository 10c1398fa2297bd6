"""``minirgan gradcheck``: prove every hand-written backward pass against finite differences."""

from ..backend import BACKENDS
from ..cells import CELL_TYPES, VARIANTS
from ..errors import UserError
from ..gradcheck import THRESHOLDS, cell_gradcheck, format_report

NAME = "gradcheck"
HELP = "check every cell's backward pass against centred finite differences (float64)"


def add_arguments(parser):
    parser.add_argument("--cell", choices=CELL_TYPES, action="append",
                        help="cell to check (repeatable; default: all, with every variant)")
    parser.add_argument("--level", choices=[*THRESHOLDS, "both"], default="both",
                        help="check the one-step functions, the sequence functions, or both")
    parser.add_argument("--backend", choices=BACKENDS, default="numpy",
                        help="implementation of the sequence functions to check")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random problem")
    parser.add_argument("--ragged", action="store_true",
                        help="check the sequence functions on a padded batch of ragged lengths "
                             "(1, T and random ones): the masked pass, M1 (docs/masking.md)")


def run(args):
    wanted = args.cell or CELL_TYPES
    variants = [name for name, (cell, _) in VARIANTS.items() if cell.name in wanted]
    levels = list(THRESHOLDS) if args.level == "both" else [args.level]
    if args.ragged and "sequence" not in levels:
        raise UserError("--ragged checks the sequence functions (a step has no length); "
                         "use it with --level sequence or both")
    rows = []
    for level in levels:
        for variant in variants:
            rows += cell_gradcheck(variant, level, seed=args.seed, backend=args.backend,
                                   ragged=args.ragged and level == "sequence")
    print(format_report(rows))
    failed = [r for r in rows if not r.passed]
    limits = ", ".join(f"{value:.0e} for a {level}" for level, value in THRESHOLDS.items())
    print(f"\n{len(rows) - len(failed)} of {len(rows)} gradients agree with finite differences "
          f"(thresholds: CS231n's {limits}).")
    return 1 if failed else 0
