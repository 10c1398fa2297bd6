"""The cell-level tutorials (1–4) run the NumPy reference a student reads, and say so.

Every call there to a sequence function or a model (``rnn_forward``, ``gru_forward``,
``lstm_forward``, ``Discriminator``, ``Generator``) passes ``backend="numpy"``; the step functions
exist only in NumPy. Each of these tutorials says once that the numba kernels compute the same
numbers faster, naming the test that checks it (``tests/test_kernels.py``). Tutorial 4's training
parts go through ``train_memory`` of ``tutorials/_memory_task.py``, which runs the kernels.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CELL_LEVEL = sorted((ROOT / "tutorials" / "src").glob("0[1-4]_*.py"))
NEEDS_BACKEND = {"rnn_forward", "gru_forward", "lstm_forward", "Discriminator", "Generator"}


def calls_without_the_reference(source):
    """``"line: name"`` of each call in ``source`` that needs a backend and does not pass "numpy"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        if name not in NEEDS_BACKEND:
            continue
        backend = [k.value for k in node.keywords if k.arg == "backend"]
        if not (backend and isinstance(backend[0], ast.Constant) and backend[0].value == "numpy"):
            found.append(f"{node.lineno}: {name}")
    return found


def test_there_are_four_cell_level_tutorials():
    assert len(CELL_LEVEL) == 4


@pytest.mark.parametrize("source", CELL_LEVEL, ids=lambda p: p.stem)
def test_cell_level_tutorial_runs_the_numpy_reference_and_says_so(source):
    text = source.read_text(encoding="utf-8")
    assert not calls_without_the_reference(text), calls_without_the_reference(text)
    prose = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    assert 'backend="numpy"' in prose and "numba kernels" in prose and "tests/test_kernels.py" in prose


def test_the_check_finds_a_call_to_the_default_backend():
    source = ('h, c = mr.gru_forward(x, None, p)\n'
              'h, c = mr.rnn_forward(x, None, p, backend="numpy")\n'
              'D = Discriminator(1, hidden=4, backend="numba")\n')
    assert calls_without_the_reference(source) == ["1: gru_forward", "3: Discriminator"]
