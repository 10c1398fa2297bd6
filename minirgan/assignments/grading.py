"""The grading mechanics shared by every assignment, in the grader's process.

A check compares what the student's function returned (sent back by the child process, see
``child.py`` and ``sandbox.py``) with the library's reference (and, for backward passes, with
centred finite differences of the forward pass), and also asks two things of every graded call
that DESIGN.md asks of the library: the inputs and the cache come back unmodified, and a second
call returns the same answer (no ``+=`` into state kept across calls). A check reports the
largest relative error ``|a − n| / max(1e-8, |a| + |n|)``.
"""

from dataclasses import dataclass

import numpy as np

from ..gradcheck import relative_error


class GradeFailure(Exception):
    """A check found the student's function wrong; the message says how."""


@dataclass
class Result:
    """The outcome of one graded function."""
    function: str
    passed: bool
    error: float          # largest relative error measured (nan when nothing could be compared)
    message: str
    hint: str
    max_points: int = 1

    @property
    def points(self):
        return self.max_points if self.passed else 0


def _same(a, b):
    """Exact equality of nested tuples/lists/dicts of arrays and scalars."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (tuple, list)):
        return isinstance(b, (tuple, list)) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.shape(a) == np.shape(b) and np.array_equal(a, b, equal_nan=True)
    return a == b or (a != a and b != b)


def pure_answer(name, call):
    """The answer of the first of the child's two calls of ``name``; a GradeFailure if the call
    modified an argument or the two calls disagree (``child._pure_call`` sent all four)."""
    if not isinstance(call, dict) or not {"first", "second", "before", "after"} <= set(call):
        raise GradeFailure(f"the answer of {name} could not be read back")
    for i, (old, new) in enumerate(zip(call["before"], call["after"])):
        if not _same(old, new):
            raise GradeFailure(f"{name} modified its argument {i + 1} (an input or the cache): "
                               "compute new arrays instead of writing into them")
    if not _same(call["first"], call["second"]):
        raise GradeFailure(f"{name} gave a different answer on a second call: does it accumulate "
                           "into state kept between calls (e.g. += into a dict built once)?")
    return call["first"]


FD_FLOOR = 1e-4


def compare(label, student, reference, threshold, numerical=False):
    """The relative error of one quantity; a GradeFailure naming it when it is too large.

    ``numerical``: the reference is a finite difference, whose error is absolute (about 1e-12
    times the gradient's scale), so an entry below ``FD_FLOOR`` times the largest one is held
    to that scale instead of to itself (otherwise a correct answer fails on a random problem that
    happens to have a gradient entry near zero)."""
    try:
        student = np.asarray(student, dtype=np.float64)
    except (TypeError, ValueError):
        raise GradeFailure(f"{label} is not an array of numbers (got {student!r:.60})") from None
    reference = np.asarray(reference, dtype=np.float64)
    if student.shape != reference.shape:
        raise GradeFailure(f"{label} has shape {student.shape}, expected {reference.shape}")
    if not np.all(np.isfinite(student)):
        raise GradeFailure(f"{label} holds NaN or inf values")
    error = relative_error(student, reference)
    if numerical and reference.size:
        floor = max(1e-8, FD_FLOOR * float(np.max(np.abs(reference))))
        error = float(np.max(np.abs(student - reference) / np.maximum(floor, np.abs(student) + np.abs(reference))))
    if not error <= threshold:
        raise GradeFailure(f"{label}: relative error {error:.2e} (must be ≤ {threshold:.0e})")
    return error


def compare_grads(label, student, reference, threshold):
    """``compare`` for each key of a gradient dict; the keys must match exactly."""
    if not isinstance(student, dict):
        raise GradeFailure(f"{label} must be a dict keyed by parameter name, got {type(student).__name__}")
    if set(student) != set(reference):
        raise GradeFailure(f"{label} has keys {sorted(student)}, expected {sorted(reference)}")
    return max(compare(f"{label}[{k!r}]", student[k], reference[k], threshold) for k in sorted(reference))


def format_report(name, results):
    """A per-function table, then a one-line verdict."""
    lines = [f"assignment {name}:"]
    width = max(len(r.function) for r in results)
    for r in results:
        status = "PASS" if r.passed else "FAIL"
        err = "" if r.error != r.error else f"  max rel. error {r.error:.1e}"
        lines.append(f"  {status}  {r.function:<{width}}{err}  {r.message if not r.passed else ''}".rstrip())
        if not r.passed and r.hint:
            lines.append(f"        hint: {r.hint}")
    passed = sum(r.passed for r in results)
    lines.append(f"{passed} of {len(results)} functions pass" + (" — all done." if passed == len(results) else "."))
    return "\n".join(lines)


