"""A class in one call: grade every student's folder, in parallel, into a table, CSV and JSON.

``SUBMISSIONS`` holds one folder per student (the folder's name is the student), each with the
student's ``NAME.py``. Each submission is graded by :func:`submission.grade_file` (its own child
process, so the pool's workers only wait and judge: threads are enough). A missing file, a syntax
error, a timeout — anything — is that student's 0 with a reason, never a failed batch.

The JSON holds, per student, the fields of Gradescope's ``results.json`` (``score``,
``max_score``, ``tests`` with ``name``, ``score``, ``max_score``, ``output``), so the same dict
is what the Gradescope autograder writes (``autograder.py``).
"""

import csv
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import atomic
from .checks import CHECKS
from .grading import Result
from .submission import Submission, grade_file


def find_submission(folder, name):
    """The student's file in ``folder``: ``NAME.py``, else the only ``.py`` file there (a
    course tool may rename an upload), else the ``NAME.py`` that is missing."""
    folder = Path(folder)
    wanted = folder / f"{name}.py"
    if wanted.exists():
        return wanted
    others = sorted(folder.glob("*.py"))
    return others[0] if len(others) == 1 else wanted


def grade_one(name, folder, limits, seed=None):
    """``grade_file`` on the student's file in ``folder``, a Submission whatever happens."""
    try:
        return grade_file(name, find_submission(folder, name), limits, seed)
    except Exception as err:        # the grader's own trouble (disk full, …): this student only
        message = f"the grader could not grade this submission: {type(err).__name__}: {err}"
        return Submission(name, [Result(c.function, False, float("nan"), message, "", c.points)
                                 for c in CHECKS[name]])


def grade_folder(name, submissions, limits, jobs=None, seed=None):
    """{student: Submission} for every folder in ``submissions``, in name order."""
    students = sorted(p for p in Path(submissions).iterdir() if p.is_dir() and not p.name.startswith("."))
    jobs = max(1, jobs or os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        graded = pool.map(lambda p: grade_one(name, p, limits, seed), students)
        return dict(zip((p.name for p in students), graded))


def _test_output(result):
    if result.passed:
        return "passed" + ("" if result.error != result.error else f" (max rel. error {result.error:.1e})")
    return result.message + (f"\nhint: {result.hint}" if result.hint else "")


def gradescope(submission):
    """One submission as Gradescope's ``results.json``."""
    output = f"problems drawn with seed {submission.seed}"
    if submission.output.strip():
        output += "\n\nwhat your file printed (truncated):\n" + submission.output
    return {"score": submission.score, "max_score": submission.max_score,
            "execution_time": round(submission.seconds, 2), "output": output,
            "tests": [{"name": r.function, "score": r.points, "max_score": r.max_points,
                       "output": _test_output(r)} for r in submission.results]}


def failed(submission):
    """The failed functions, in a few words: one shared reason if all failed alike."""
    bad = [r for r in submission.results if not r.passed]
    if len(bad) == len(submission.results) and len({r.message for r in bad}) == 1:
        return bad[0].message
    return ", ".join(r.function for r in bad)


def table(graded):
    """The class as a plain-text table: student, points, max, what failed."""
    width = max([len("student")] + [len(s) for s in graded])
    lines = [f"{'student':<{width}}  points  max  failed"]
    for student, sub in graded.items():
        lines.append(f"{student:<{width}}  {sub.score:>6}  {sub.max_score:>3}  {failed(sub)}".rstrip())
    return "\n".join(lines)


def write_json(graded, path):
    atomic.write_json(path, {student: gradescope(sub) for student, sub in graded.items()}, indent=1,
                      ensure_ascii=False)


def write_csv(name, graded, path):
    functions = [c.function for c in CHECKS[name]]
    with atomic.atomic_open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["student", "score", "max_score", *functions, "failed"])
        for student, sub in graded.items():
            out.writerow([student, sub.score, sub.max_score, *(r.points for r in sub.results), failed(sub)])
