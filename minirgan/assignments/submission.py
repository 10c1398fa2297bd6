"""Grade one student's file: read it, run it in a child process, judge every function here.

The order: the file must exist and parse (``ast.parse`` in the grader: nothing of it runs here);
:func:`references.scan` looks for the library's own answer in its source; the problems are drawn
with a seed that is random per run (or given, to reproduce a report); the child runs the
student's functions (``sandbox.run_child``); each check's verdict is computed from what came
back. Whatever the file does — exit, crash, hang, exhaust memory, send garbage — each function
gets a :class:`Result` with a one-line reason; nothing here raises because of the student.
"""

import ast
import secrets
import time
from dataclasses import dataclass, field

import numpy as np

from .checks import CHECKS
from .grading import GradeFailure, Result, format_report
from .references import scan, targets
from .sandbox import Limits, run_child


@dataclass
class Submission:
    """The grade of one file: a Result per function, the child's output, the seed, the time."""
    name: str
    results: list
    output: str = ""
    seed: int = 0
    seconds: float = 0.0
    notes: list = field(default_factory=list)

    @property
    def score(self):
        return sum(r.points for r in self.results)

    @property
    def max_score(self):
        return sum(r.max_points for r in self.results)

    def report(self):
        """The per-function report, then the seed (to reproduce it) and the points."""
        return (format_report(self.name, self.results) + f"\n(problems drawn with seed {self.seed}; "
                f"{self.score} of {self.max_score} points)")


def _all_fail(name, message, hint_too=False):
    return [Result(c.function, False, float("nan"), message, c.hint if hint_too else "", c.points)
            for c in CHECKS[name]]


def _parse(path):
    """The parsed file, or a one-line reason it cannot be graded."""
    try:
        source = path.read_bytes()
    except FileNotFoundError:
        return None, f"there is no file {path.name}"
    except OSError as err:
        return None, f"{path.name} cannot be read: {err.strerror}"
    try:
        return ast.parse(source, filename=path.name), ""
    except SyntaxError as err:
        return None, f"your file does not import: SyntaxError: {err.msg} (line {err.lineno})"
    except (ValueError, RecursionError, MemoryError) as err:
        return None, f"your file cannot be parsed: {type(err).__name__}"


def grade_file(name, path, limits=None, seed=None):
    """Grade ``path`` as assignment ``name``: a :class:`Submission`."""
    limits = limits or Limits()
    seed = secrets.randbits(63) if seed is None else int(seed)
    started = time.monotonic()
    tree, reason = _parse(path)
    if tree is None:
        return Submission(name, _all_fail(name, reason), seed=seed)
    used = scan(name, tree)
    if used:
        return Submission(name, _all_fail(name, f"counted as not written: your file uses minirgan's own "
                                                f"answer, {used}"), seed=seed)
    checks = CHECKS[name]
    problems = [c.problem(np.random.default_rng([seed, i])) for i, c in enumerate(checks)]
    run = run_child(name, path, problems, targets(name), limits)
    results = _verdicts(name, checks, problems, run)
    return Submission(name, results, run.output, seed, time.monotonic() - started)


def _stopped(run, where):
    """Why the child produced nothing for ``where`` (the first check it did not finish)."""
    if run.ending == "timeout":
        return f"timed out: the grader stopped your file after {run.limits.timeout:g} s {where}"
    if run.ending in ("signal SIGKILL", "signal SIGSEGV", "signal SIGABRT", "signal SIGBUS"):
        return (f"your file's process was killed ({run.ending}) {where}; if it used much memory, "
                f"the limit is {run.limits.memory_mb} MB")
    if run.ending == "signal SIGXCPU":
        return f"your file used more than {run.limits.timeout:g} s of CPU time {where}"
    return (f"your file ended the process ({run.ending}) {where}: sys.exit, os._exit or a crash "
            "in your file? no answer was sent back")


def _verdicts(name, checks, problems, run):
    imported = run.imported if isinstance(run.imported, dict) else None
    if imported is None:
        return _all_fail(name, _stopped(run, "while importing it"))
    if imported.get("called"):
        return _all_fail(name, f"counted as not written: importing your file called minirgan's own "
                               f"{imported['called'][0]}")
    if "error" in imported:
        return _all_fail(name, f"your file does not import: {imported['error']}")
    results, stopped_at = [], None
    for check, problem, answer, unreadable in zip(checks, problems, run.answers, run.unreadable):
        fail = lambda message, hint=True: Result(check.function, False, float("nan"), message,
                                                 check.hint if hint else "", check.points)
        if answer is None:
            if unreadable:
                results.append(fail(f"its answer could not be read ({unreadable})", hint=False))
            elif stopped_at is None:
                stopped_at = check.function
                results.append(fail(_stopped(run, f"while running {check.function}"), hint=False))
            else:
                results.append(fail(f"not run: the grader stopped your file during {stopped_at}", hint=False))
            continue
        results.append(_verdict(check, problem, answer, fail))
    return results


def _verdict(check, problem, answer, fail):
    """One function's Result from the child's answer (a dict written by ``child.main``)."""
    if not isinstance(answer, dict):
        return fail("its answer could not be read", hint=False)
    if answer.get("called"):
        return fail(f"counted as not written: it calls minirgan's own {answer['called'][0]}", hint=False)
    if "not_written" in answer:
        return fail("not written yet")
    if "error" in answer:
        return fail(str(answer["error"]))
    try:
        error = check.verify(problem, answer.get("answer"))
    except GradeFailure as failure:
        return fail(str(failure))
    except Exception as err:          # an answer of the wrong kind somewhere deep inside
        return fail(f"its answer has the wrong form ({type(err).__name__}: {err})")
    return Result(check.function, True, error, "passed", "", check.points)
