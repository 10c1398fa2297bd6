"""``minirgan gradcheck``: prove every hand-written backward pass against finite differences."""

from ..gradcheck import CELLS, cell_gradcheck, format_report

NAME = "gradcheck"
HELP = "check every cell's backward pass against centred finite differences (float64)"


def add_arguments(parser):
    parser.add_argument("--cell", choices=["rnn", "gru", "lstm"], action="append",
                        help="cell to check (repeatable; default: all, with every variant)")
    parser.add_argument("--level", choices=["step", "sequence", "both"], default="both",
                        help="check the one-step functions, the sequence functions, or both")
    parser.add_argument("--backend", choices=["numpy", "numba"], default="numpy",
                        help="implementation of the sequence functions to check")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random problem")


def run(args):
    wanted = args.cell or ["rnn", "gru", "lstm"]
    cells = [c for c in CELLS if c.split("-")[0] in wanted]
    levels = ["step", "sequence"] if args.level == "both" else [args.level]
    rows = []
    for level in levels:
        for cell in cells:
            rows += cell_gradcheck(cell, level, seed=args.seed, backend=args.backend)
    print(format_report(rows))
    failed = [r for r in rows if not r.passed]
    print(f"\n{len(rows) - len(failed)} of {len(rows)} gradients agree with finite differences "
          "(thresholds: CS231n's 1e-8 for a step, 1e-6 for a sequence).")
    return 1 if failed else 0
