"""``--which best|last``: the generator ``sample`` and ``evaluate`` read (minirgan/selection.py)."""

from ..selection import WHICH


def add_which_argument(parser, verb):
    """Add ``--which`` to ``parser``; ``verb`` says what the command does with the generator."""
    parser.add_argument("--which", choices=WHICH, default=None,
                        help=f"the generator {verb}: best (best.npz, kept by a run trained with "
                             "--select-every) or last (the last step's weights) (default: best "
                             "when the run has one, else last)")


def open_run(run_dir, which):
    """``minirgan.run.Run(run_dir, which)``; a ``--which best`` the run cannot give is a UserError."""
    from ..errors import UserError
    from ..run import Run
    from ..selection import resolve_which
    try:
        resolve_which(which, Run.best_path(run_dir))
    except ValueError as err:
        raise UserError(f"--which: {err}") from None
    return Run(run_dir, which)
