"""Issue 22 §1: a student's file cannot fool, hang or crash the grader.

Each case runs the CLI as a subprocess on a hostile file (``check``, or ``grade`` over a class of
hostile students) and asserts the grade (a FAIL or 0 points, with the reason) and that the grader
finishes within its timeout. Before the
grader ran the file in its own process, each of these passed or hung.
"""

import json
import subprocess
import sys
import time

import numpy as np
import pytest

from minirgan import assignments
from minirgan.assignments import checks

BLANK_DENSE = assignments.strip_solutions(assignments.source_text("dense"))
GOOD_DENSE = assignments.source_text("dense")


def _check(tmp_path, name, text, *options, budget=30):
    (tmp_path / "work").mkdir(exist_ok=True)
    (tmp_path / "work" / f"{name}.py").write_text(text, encoding="utf-8")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "minirgan", "assignment", "check", name, "work", *options],
                          capture_output=True, text=True, cwd=tmp_path, timeout=budget)
    report = done.stdout.split("\nwhat your file printed")[0]
    return done, report, time.monotonic() - started


def _fails(done, report, reason):
    assert done.returncode == 1, done.stdout + done.stderr
    assert "PASS" not in report and "all done" not in report, report
    assert reason in report, report


def test_a_correct_file_gets_full_marks(tmp_path):
    done, report, _ = _check(tmp_path, "dense", GOOD_DENSE)
    assert done.returncode == 0 and "all done" in report and "10 of 10 points" in report, done.stdout + done.stderr


# hostile students of one class, graded in one `grade` run (one grader, their children in parallel;
# a generous timeout, since two of them import minirgan on a loaded machine: the endless loop has
# its own test below)
HOSTILE = {
    "exit_at_import": "import sys; sys.exit(0)\n" + GOOD_DENSE,
    "patches_compare": "import minirgan.assignments.checks as c\nc.compare = lambda *a, **k: 0.0\n" + BLANK_DENSE,
    "fake_report": ('print("assignment dense:\\n  PASS  dense_backward  max rel. error 1.0e-11\\n'
                    '1 of 1 functions pass — all done.")\nimport os; os._exit(0)\n' + GOOD_DENSE),
    "memory_blow_up": GOOD_DENSE.replace("    h, params = cache\n", "    h, params = cache\n    keep = []\n"
                                         "    while True:\n        keep.append(np.empty(2**25))\n"),
    "imports_answer": GOOD_DENSE.replace("import numpy as np\n", "import numpy as np\n"
                                         "from minirgan.dense import dense_backward as _answer\n"),
    "hides_answer": GOOD_DENSE + ("\n\nimport importlib\n_lib = importlib.import_module('minirgan.' + 'dense')\n\n\n"
                                  "def dense_backward(dy, cache):\n    h, params = cache\n"
                                  "    return getattr(_lib, 'dense_' + 'backward')(dy, _lib.dense_forward(h, params)[1])\n"),
}


@pytest.fixture(scope="module")
def hostile_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    for student, text in HOSTILE.items():
        (root / "submissions" / student).mkdir(parents=True)
        (root / "submissions" / student / "dense.py").write_text(text, encoding="utf-8")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "minirgan", "assignment", "grade", "dense", "submissions",
                           "--timeout", "30", "--memory", "600", "--jobs", "2", "--json", "grades.json"],
                          capture_output=True, text=True, cwd=root, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads((root / "grades.json").read_text()), done.stdout, time.monotonic() - started


@pytest.mark.parametrize("student, reason", [
    ("exit_at_import", "ended the process (exit code 0) while importing it"),
    ("patches_compare", "not written yet"),
    ("fake_report", "ended the process (exit code 0)"),
    ("memory_blow_up", "ran out of memory (the limit is 600 MB)"),
    ("imports_answer", "from minirgan.dense import dense_backward (line"),
    ("hides_answer", "counted as not written: it calls minirgan's own minirgan.dense.dense_backward"),
])
def test_a_hostile_file_gets_zero_with_its_reason(hostile_class, student, reason):
    grades, table, seconds = hostile_class
    [test] = grades[student]["tests"]
    assert grades[student]["score"] == test["score"] == 0 and grades[student]["max_score"] == 10
    assert reason in test["output"], test["output"]
    assert student in table
    assert seconds < 45


def test_an_endless_loop_times_out(tmp_path):
    done, report, seconds = _check(tmp_path, "dense", GOOD_DENSE + "\nwhile True:\n    pass\n", "--timeout", "3")
    _fails(done, report, "timed out: the grader stopped your file after 3 s while importing it")
    assert seconds < 20


# the library's answer reached without naming it: a method (Adam.step) and the cell registry
HIDDEN_CALLS = [
    ("adam", "\n\ndef adam_step(w, g, m, v, t, lr=2e-4, beta1=0.5, beta2=0.999, eps=1e-8):\n"
             "    import importlib\n"
             "    opt = getattr(importlib.import_module('minirgan.optim'), 'Ad' + 'am')(lr, beta1, beta2, eps)\n"
             "    params = {'w': w.copy()}\n"
             "    opt.step(params, {'w': g})\n"
             "    return params['w'], opt.state['m']['w'], opt.state['v']['w']\n",
     "calls minirgan's own minirgan.optim.Adam.step"),
    ("gru", "\n\ndef gru_step_backward(dh_next, cache):\n"
            "    import importlib\n"
            "    hx, z, u, rx, c, params = cache\n"
            "    cell = importlib.import_module('minirgan.cells').CELLS['gru']\n"
            "    dx, (dh_prev,), grads = cell.step_backward((dh_next,), (hx, z, u, rx, c, None), params, False)\n"
            "    return dx, dh_prev, grads\n",
     "calls minirgan's own minirgan.gru._step_backward"),
]


@pytest.mark.parametrize("name, cheat, reason", HIDDEN_CALLS, ids=[c[0] for c in HIDDEN_CALLS])
def test_the_librarys_answer_through_any_path_counts_as_not_written(tmp_path, name, cheat, reason):
    done, report, _ = _check(tmp_path, name, assignments.source_text(name) + cheat)
    assert done.returncode == 1 and reason in report.split("\n")[1], report


def test_a_hard_coded_answer_fails_on_a_new_run(tmp_path):
    """The answer of one run's problem, written into the file: right for that seed, wrong on
    the next run (the shapes and values are random per run)."""
    problem = checks.CHECKS["dense"][0].problem(np.random.default_rng([1, 0]))
    inputs = {"h": problem.data["h"]}
    params = {k: problem.data[f"param_{k}"] for k in ("W_hy", "b_y")}
    dh, grads = checks.DENSE.reference(inputs, params, problem.data["dy"])
    literal = lambda a: f"np.array({a.tolist()!r})"
    hard = GOOD_DENSE.split("def dense_backward")[0] + (
        "def dense_backward(dy, cache):\n"
        f"    return {literal(dh)}, {{'W_hy': {literal(grads['W_hy'])}, 'b_y': {literal(grads['b_y'])}}}\n")
    done, report, _ = _check(tmp_path, "dense", hard, "--seed", "1")
    assert done.returncode == 0, done.stdout       # the one run it was written for
    done, report, _ = _check(tmp_path, "dense", hard)
    _fails(done, report, "dense_backward")


def test_every_graded_reference_exists():
    """A renamed library function would leave its stub with nothing to replace: fail here first."""
    import importlib
    import types
    from minirgan.assignments.references import REFERENCES
    for name, entries in REFERENCES.items():
        for module, qualname in entries:
            obj = importlib.import_module(module)
            for part in qualname.split("."):
                obj = getattr(obj, part)
            assert isinstance(obj, types.FunctionType), (name, module, qualname)


def test_an_answer_whose_header_claims_more_than_it_holds_is_refused_before_loading(tmp_path):
    """A hostile child's answer .npz goes through array_headers.check_array_file like every
    array file minirgan reads: a member whose header claims 8 MB but holds a few bytes is named
    as forged before np.load allocates what the header says."""
    import io
    import zipfile

    from minirgan.assignments.sandbox import read_answer

    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False,
                                                  "shape": (1_000_000,)})
    with zipfile.ZipFile(tmp_path / "out_0.npz", "w") as z:
        z.writestr("x.npy", header.getvalue() + b"\0" * 64)
    with pytest.raises(ValueError, match=r"claims shape \(1000000,\)"):
        read_answer(str(tmp_path / "out_0.npz"))
