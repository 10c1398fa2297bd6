"""``minirgan assignment list | start | check | grade | autograder``: graded assignments.

``start NAME [DIR]`` writes DIR/NAME.py (DIR defaults to the current folder) with the functions to
write stubbed out; ``check NAME [DIR]`` grades that file and exits 0 only when every function
passes; ``grade NAME SUBMISSIONS`` grades one folder per student into a table (and ``--csv``,
``--json``); ``autograder NAME -o FILE.zip`` builds a Gradescope autograder. Every student's file
runs in its own child process with ``--timeout`` and ``--memory`` limits.
"""

import sys

from .. import assignments
from ..assignments import autograder, batch
from .counts import check_counts

NAME = "assignment"
HELP = "graded assignments: list, start (writes a student file), check one file, grade a class, build a Gradescope autograder"
ACTIONS = ("list", "start", "check", "grade", "autograder")


def add_arguments(parser):
    parser.add_argument("action", choices=ACTIONS, help="what to do")
    parser.add_argument("name", nargs="?", metavar="NAME", help=f"one of: {', '.join(assignments.NAMES)}")
    parser.add_argument("dir", nargs="?", default=None, metavar="DIR",
                        help="start/check: the student's folder (default: the current folder); "
                             "grade: the folder holding one folder per student")
    parser.add_argument("--overwrite", action="store_true",
                        help="with start: replace an existing student file (its work is lost)")
    parser.add_argument("--timeout", type=float, default=60.0, metavar="S",
                        help="seconds one student's file may run, all its functions together (default 60)")
    parser.add_argument("--memory", type=int, default=2048, metavar="MB",
                        help="memory (address space) one student's process may use, Linux only (default 2048)")
    parser.add_argument("--seed", type=int, default=None,
                        help="draw the problems with this seed (default: random per run; to reproduce a report)")
    parser.add_argument("--jobs", type=int, default=None, metavar="J",
                        help="grade: students graded at once (default: one per core)")
    parser.add_argument("--json", default=None, metavar="FILE",
                        help="grade: write each student's result, in Gradescope's results.json fields")
    parser.add_argument("--csv", default=None, metavar="FILE", help="grade: write the table as CSV")
    parser.add_argument("-o", "--output", default=None, metavar="FILE", help="autograder: the zip to write")


def _limits(args):
    if not args.timeout > 0 or args.memory < 64:
        raise ValueError("--timeout must be > 0 seconds and --memory at least 64 MB")
    return assignments.Limits(args.timeout, args.memory)


def run(args):
    if args.action == "list":
        width = max(map(len, assignments.NAMES))
        for name in assignments.NAMES:
            functions = ", ".join(f"{f} ({p} pt)" for f, p in assignments.points(name).items())
            print(f"{name:<{width}}  {assignments.TITLES[name]}\n{'':<{width}}  writes: {functions}")
        return 0
    if args.name is None:
        raise ValueError(f"{args.action} needs an assignment NAME: one of {', '.join(assignments.NAMES)}")
    assignments.check_name(args.name)
    return {"start": _start, "check": _check, "grade": _grade, "autograder": _autograder}[args.action](args)


def _start(args):
    directory = args.dir or "."
    try:
        path = assignments.start(args.name, directory, overwrite=args.overwrite)
    except FileExistsError as err:
        raise ValueError(str(err)) from None
    print(f"wrote {path}: fill in the functions marked YOUR CODE HERE, then run\n"
          f"  minirgan assignment check {args.name} {directory}")
    return 0


def _check(args):
    path = assignments.student_path(args.name, args.dir or ".")
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: run `minirgan assignment start` first")
    graded = assignments.grade_file(args.name, path, _limits(args), args.seed)
    print(graded.report())
    if graded.output.strip():
        print("\nwhat your file printed (truncated):\n" + graded.output.rstrip())
    return 0 if all(r.passed for r in graded.results) else 1


def _grade(args):
    if args.dir is None:
        raise ValueError("grade needs the SUBMISSIONS folder: one folder per student, each with "
                         f"{args.name}.py")
    check_counts(("--jobs", args.jobs))
    graded = batch.grade_folder(args.name, args.dir, _limits(args), args.jobs, args.seed)
    if not graded:
        raise ValueError(f"{args.dir} holds no student folders")
    print(batch.table(graded))
    if args.json:
        batch.write_json(graded, args.json)
    if args.csv:
        batch.write_csv(args.name, graded, args.csv)
    written = " and ".join(f for f in (args.json, args.csv) if f)
    print(f"{len(graded)} students graded" + (f"; wrote {written}" if written else ""), file=sys.stderr)
    return 0


def _autograder(args):
    if not args.output:
        raise ValueError("autograder needs -o FILE.zip")
    path = autograder.build(args.name, args.output, _limits(args))
    print(f"wrote {path}: upload it as the Gradescope autograder of {args.name!r} "
          f"(students submit {args.name}.py)")
    return 0
