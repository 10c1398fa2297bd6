"""Graded assignments: a student writes the backward passes, losses and optimiser of minirgan.

``minirgan assignment list`` names them; ``start NAME DIR`` writes ``DIR/NAME.py`` with the
signatures, docstrings (shapes, equation numbers) and given forward passes, and each function
to write replaced by ``raise NotImplementedError``; ``check NAME DIR`` grades it against the
library's reference and finite differences and prints a per-function report.
"""

from .checks import CHECKS
from .grading import GradeFailure, Result, format_report, grade, load_student_module
from .workspace import source_text, start, strip_solutions, student_path

TITLES = {
    "dense": "the output layer's backward pass (E2)",
    "rnn": "one RNN step backward and BPTT over a sequence (E1)",
    "gru": "one GRU step backward, standard (E11–E15) and reset-after forms",
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


def check(name, directory):
    """Grade ``directory/name.py``: a list of Result, one per graded function."""
    module = load_student_module(student_path(check_name(name), directory))
    return [grade(c, module) for c in CHECKS[name]]


__all__ = ["NAMES", "TITLES", "CHECKS", "check", "check_name", "start", "strip_solutions",
           "source_text", "student_path", "format_report", "grade", "Result", "GradeFailure"]
