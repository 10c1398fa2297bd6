"""Issue 22 §2: a class in one command, in the formats course tools read.

``grade`` on a folder of students (good, missing, syntax error, timeout) writes a table, a CSV
and a JSON whose entries have Gradescope's results.json fields; ``autograder`` builds a zip whose
``run_autograder`` grades a submission under a fake ``$AUTOGRADER_ROOT``.
"""

import csv
import json
import os
import stat
import subprocess
import sys
import zipfile

from minirgan import __version__, assignments

GOOD = assignments.source_text("dense")


def _validate_gradescope(entry):
    """The fields and types of Gradescope's results.json (score, max_score, tests[...])."""
    assert isinstance(entry["score"], (int, float)) and isinstance(entry["max_score"], (int, float))
    assert isinstance(entry["tests"], list) and entry["tests"]
    for test in entry["tests"]:
        assert {"name", "score", "max_score", "output"} <= set(test)
        assert isinstance(test["name"], str) and isinstance(test["output"], str)
        assert 0 <= test["score"] <= test["max_score"]
    assert entry["score"] == sum(t["score"] for t in entry["tests"])
    assert entry["max_score"] == sum(t["max_score"] for t in entry["tests"])


def test_grade_a_class_of_good_missing_broken_and_hanging_files(tmp_path):
    students = {"alice": GOOD, "bob": None, "carol": "def dense_backward(dy, cache)\n    return\n",
                "dave": GOOD + "\nwhile True:\n    pass\n"}
    for student, text in students.items():
        (tmp_path / "subs" / student).mkdir(parents=True)
        if text is not None:
            (tmp_path / "subs" / student / "dense.py").write_text(text)
    done = subprocess.run([sys.executable, "-m", "minirgan", "assignment", "grade", "dense", "subs", "--timeout", "3",
                           "--jobs", "2", "--json", "grades.json", "--csv", "grades.csv"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    grades = json.loads((tmp_path / "grades.json").read_text())
    assert sorted(grades) == sorted(students)
    for entry in grades.values():
        _validate_gradescope(entry)
    assert grades["alice"]["score"] == grades["alice"]["max_score"] == 10
    reasons = {s: grades[s]["tests"][0]["output"] for s in ("bob", "carol", "dave")}
    assert all(grades[s]["score"] == 0 for s in reasons)
    assert "there is no file dense.py" in reasons["bob"]
    assert "SyntaxError" in reasons["carol"] and "line 1" in reasons["carol"]
    assert "timed out" in reasons["dave"]
    rows = list(csv.DictReader((tmp_path / "grades.csv").open()))
    assert [r["student"] for r in rows] == sorted(students)
    assert {r["student"]: int(r["score"]) for r in rows} == {"alice": 10, "bob": 0, "carol": 0, "dave": 0}
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["student", "points", "max", "failed"]
    assert any(line.split()[:3] == ["alice", "10", "10"] for line in lines)


def test_autograder_zip_runs_under_a_fake_root(tmp_path):
    run = lambda *a, **k: subprocess.run(a, capture_output=True, text=True, timeout=120, **k)
    built = run(sys.executable, "-m", "minirgan", "assignment", "autograder", "dense", "-o", "ag.zip",
                "--timeout", "20", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    with zipfile.ZipFile(tmp_path / "ag.zip") as z:
        names = set(z.namelist())
        assert {"setup.sh", "run_autograder", "minirgan-src/pyproject.toml",
                "minirgan-src/minirgan/assignments/child.py"} <= names
        assert f'version = "{__version__}"' in z.read("minirgan-src/pyproject.toml").decode()
        assert "pip install ./minirgan-src" in z.read("setup.sh").decode()
        z.extractall(tmp_path / "source")
    script = tmp_path / "source" / "run_autograder"
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    (root / "submission" / "dense.py").write_text(GOOD)
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "PYTHON": sys.executable}
    graded = run(str(script), env=env, cwd=tmp_path)
    assert graded.returncode == 0, graded.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    _validate_gradescope(results)
    assert results["score"] == results["max_score"] == 10
