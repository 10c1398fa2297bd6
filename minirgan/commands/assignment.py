"""``minirgan assignment list | start NAME [DIR] | check NAME [DIR]``: graded assignments.

``start`` writes DIR/NAME.py (DIR defaults to the current folder) with the functions to write
stubbed out; ``check`` grades that file and exits 0 only when every function passes.
"""

from .. import assignments

NAME = "assignment"
HELP = "graded assignments: list them, start one (writes a student file), check a student's file"


def add_arguments(parser):
    parser.add_argument("action", choices=("list", "start", "check"), help="what to do")
    parser.add_argument("name", nargs="?", metavar="NAME", help=f"one of: {', '.join(assignments.NAMES)}")
    parser.add_argument("dir", nargs="?", default=".", metavar="DIR",
                        help="the student's folder (default: the current folder)")
    parser.add_argument("--overwrite", action="store_true",
                        help="with start: replace an existing student file (its work is lost)")


def run(args):
    if args.action == "list":
        width = max(map(len, assignments.NAMES))
        for name in assignments.NAMES:
            functions = ", ".join(c.function for c in assignments.CHECKS[name])
            print(f"{name:<{width}}  {assignments.TITLES[name]}\n{'':<{width}}  writes: {functions}")
        return 0
    if args.name is None:
        raise ValueError(f"{args.action} needs an assignment NAME: one of {', '.join(assignments.NAMES)}")
    assignments.check_name(args.name)
    if args.action == "start":
        try:
            path = assignments.start(args.name, args.dir, overwrite=args.overwrite)
        except FileExistsError as err:
            raise ValueError(str(err)) from None
        print(f"wrote {path}: fill in the functions marked YOUR CODE HERE, then run\n"
              f"  minirgan assignment check {args.name} {args.dir}")
        return 0
    try:
        results = assignments.check(args.name, args.dir)
    except assignments.GradeFailure as err:
        raise ValueError(str(err)) from None
    print(assignments.format_report(args.name, results))
    return 0 if all(r.passed for r in results) else 1
