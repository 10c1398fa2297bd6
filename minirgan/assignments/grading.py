"""The grading mechanics shared by every assignment: load the student's file, run each check.

A check compares what the student's function returns with the library's reference (and, for
backward passes, with centred finite differences of the given forward pass), and also asks two
things of every graded call that DESIGN.md asks of the library: the inputs and the cache come
back unmodified, and a second call returns the same answer (no ``+=`` into state kept across
calls). A check reports the largest relative error ``|a − n| / max(1e-8, |a| + |n|)``.
"""

import copy
import importlib.util
import traceback
from dataclasses import dataclass
from pathlib import Path

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


def load_student_module(path):
    """Import the student's file as a fresh module (a syntax error is a GradeFailure)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: run `minirgan assignment start` first")
    spec = importlib.util.spec_from_file_location(f"student_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as err:
        line = traceback.extract_tb(err.__traceback__)[-1].lineno if err.__traceback__ else "?"
        raise GradeFailure(f"{path} does not import: {type(err).__name__}: {err} (line {line})") from None
    return module


def _snapshot(value):
    return copy.deepcopy(value)


def _same(a, b):
    """Exact equality of nested tuples/lists/dicts of arrays and scalars."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (tuple, list)):
        return isinstance(b, (tuple, list)) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.shape(a) == np.shape(b) and np.array_equal(a, b, equal_nan=True)
    return a == b or (a != a and b != b)


def call_pure(module, name, *args):
    """``module.name(*args)``, called twice; a GradeFailure if it modifies an argument or the
    two calls disagree. Returns the first call's result."""
    function = getattr(module, name, None)
    if function is None:
        raise GradeFailure(f"your file has no function {name}")
    before = _snapshot(args)
    first = _snapshot(function(*args))   # a copy: a later call may write into what it returned
    for i, (old, new) in enumerate(zip(before, args)):
        if not _same(old, new):
            raise GradeFailure(f"{name} modified its argument {i + 1} (an input or the cache): "
                               "compute new arrays instead of writing into them")
    second = function(*_snapshot(args))
    if not _same(first, second):
        raise GradeFailure(f"{name} gave a different answer on a second call: does it accumulate "
                           "into state kept between calls (e.g. += into a dict built once)?")
    return first


def compare(label, student, reference, threshold):
    """The relative error of one quantity; a GradeFailure naming it when it is too large."""
    student = np.asarray(student, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    if student.shape != reference.shape:
        raise GradeFailure(f"{label} has shape {student.shape}, expected {reference.shape}")
    if not np.all(np.isfinite(student)):
        raise GradeFailure(f"{label} holds NaN or inf values")
    error = relative_error(student, reference)
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


def grade(check, module):
    """Run one check on the student's module; a Result whatever happens inside."""
    try:
        error = check.run(module)
        return Result(check.function, True, error, "passed", "")
    except NotImplementedError:
        return Result(check.function, False, float("nan"), "not written yet", check.hint)
    except GradeFailure as failure:
        return Result(check.function, False, float("nan"), str(failure), check.hint)
    except Exception as err:  # the student's code crashed: say where, keep grading the rest
        frame = traceback.extract_tb(err.__traceback__)[-1]
        where = f"{Path(frame.filename).name} line {frame.lineno}"
        return Result(check.function, False, float("nan"),
                      f"raised {type(err).__name__}: {err} ({where})", check.hint)


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


