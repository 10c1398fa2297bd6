"""What counts as the library's own answer, per assignment, and how the grader finds its use.

A student's file may use NumPy and the forward passes it is given (and, for ``train_step``, the
library's pieces); calling minirgan's reference implementation of a graded function counts as
not written. Two independent checks enforce it:

* in the child, ``child.Guard`` replaces each of :data:`REFERENCES` by a stub that records the call
  and raises, in every minirgan module, however the student's code reaches it (any import path,
  the cell registry, a reload);
* in the grader's process, :func:`scan` reads the student's source (``ast.parse``, nothing runs)
  and flags an import of one of those names from minirgan, an attribute access to one, or a string
  naming one (``getattr(module, "dense_backward")``).

Each entry is (module, qualified name): the public function, and the private step or numba
wrapper that every other path reaches, so that a call through ``D.backward`` or ``CELLS`` is
caught too.
"""

import ast

REFERENCES = {
    "dense": [("minirgan.dense", "dense_backward")],
    "rnn": [("minirgan.rnn", "rnn_step_backward"), ("minirgan.rnn", "rnn_backward"),
            ("minirgan.rnn", "_step_backward"), ("minirgan.kernels.rnn_kernels", "rnn_backward_numba")],
    "gru": [("minirgan.gru", "gru_step_backward"), ("minirgan.gru", "gru_backward"),
            ("minirgan.gru", "_step_backward"), ("minirgan.kernels.gru_kernels", "gru_backward_numba")],
    "lstm": [("minirgan.lstm", "lstm_step_backward"), ("minirgan.lstm", "lstm_backward"),
             ("minirgan.lstm", "_step_backward"), ("minirgan.kernels.lstm_kernels", "lstm_backward_numba")],
    "losses": [("minirgan.losses", "discriminator_loss"), ("minirgan.losses", "generator_loss")],
    "adam": [("minirgan.optim", "Adam._update")],
    "train_step": [("minirgan.train", "train_step")],
}


def targets(name):
    """The child's stub list for assignment ``name``: [(module, qualified name, label)]."""
    return [(module, qualname, f"{module}.{qualname.replace('._update', '.step')}")
            for module, qualname in REFERENCES[name]]


def _docstrings(tree):
    """The string constants that are docstrings or bare expression statements (comments)."""
    return {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}


def scan(name, tree):
    """The first use of a graded reference in the parsed student file ``tree``: a phrase with
    its line, or None."""
    names = {qualname.split(".")[0] for _, qualname in REFERENCES[name]}
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        found = None
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("minirgan"):
            found = next((a.name for a in node.names if a.name in names or a.name == "*"), None)
            found = f"from {node.module} import {found}" if found else None
        elif isinstance(node, ast.Attribute) and node.attr in names:
            found = f".{node.attr}"
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
              and node.value.rsplit(".", 1)[-1] in names):
            found = repr(node.value)
        if found:
            return f"{found} (line {node.lineno})"
    return None
