"""Graded assignments: a student writes the backward passes, losses and optimiser of minirgan.

``minirgan assignment list`` names them; ``start NAME DIR`` writes ``DIR/NAME.py`` with the
signatures, docstrings (shapes, equation numbers) and given forward passes, and each function
to write replaced by ``raise NotImplementedError``; ``check NAME DIR`` grades it against the
library's reference and finite differences and prints a per-function report; ``grade NAME
SUBMISSIONS`` grades a class (``batch.py``), ``autograder`` builds a Gradescope autograder.

The student's file never runs in the grader's process: a fresh interpreter per submission runs
it under limits (``sandbox.py``, ``child.py``) and sends the answers back as arrays; the
reference, the finite differences and the verdict are computed here (``submission.py``).
"""

from .checks import CHECKS
from .grading import GradeFailure, Result, format_report
from .sandbox import Limits
from .submission import Submission, grade_file
from .workspace import source_text, start, strip_solutions, student_path

TITLES = {
    "dense": "the output layer's backward pass (E2)",
    "rnn": "one RNN step backward and BPTT over a sequence (E1)",
    "gru": "one GRU step backward, standard (E11–E15) and reset-after forms, and BPTT from the step",
    "lstm": "one LSTM step backward (two states)",
    "losses": "GAN losses from logits and their gradients (E4, E5, C6, LSGAN, WGAN)",
    "adam": "one step of Adam (A4)",
    "train_step": "the nine steps of one GAN training step, wired from the pieces (E3–E5, C6, C2)",
}
NAMES = tuple(TITLES)


def check_name(name):
    if name not in TITLES:
        raise ValueError(f"no assignment {name!r}; the assignments are {', '.join(NAMES)}")
    return name


def check(name, directory, limits=None, seed=None):
    """Grade ``directory/name.py`` in a child process: a list of Result, one per graded function."""
    path = student_path(check_name(name), directory)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: run `minirgan assignment start` first")
    return grade_file(name, path, limits, seed).results


def points(name):
    """The points of each graded function of assignment ``name`` (set in checks.CHECKS)."""
    return {c.function: c.points for c in CHECKS[check_name(name)]}


__all__ = ["NAMES", "TITLES", "CHECKS", "check", "check_name", "points", "start", "strip_solutions",
           "source_text", "student_path", "format_report", "grade_file", "Limits", "Submission",
           "Result", "GradeFailure"]
