"""A run is never lost, mixed up or silently wrong (issue 23, rules 1–3), case by case.

Rule 1: the run folder owns its data (``data.npz``, minirgan/run_data.py). Rule 2: one writer
per run folder (minirgan/run_lock.py) and default folders that never collide. Rule 3: every file
replaced atomically (minirgan/atomic.py), nothing deleted before the new run is known to start,
no command writes over an input of its run. Each case runs the command line as a user does
(``test_reliability.cli``) and checks the exit code, the one line, no traceback, and that nothing
was lost (the run's files are byte for byte what they were). docs/what_happens_when.md lists them.
"""

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from minirgan.atomic import atomic_open, temporary_name, write_json
from minirgan.checkpoint import load_checkpoint
from minirgan.run import Run, read_metrics, write_metrics
from minirgan.run_data import read_run_data, write_run_data
from minirgan.run_lock import run_folder_lock
from test_reliability import TINY, assert_clean, cli

CHECKED = ("config.json", "data.npz", "metrics.jsonl", "checkpoint.npz", "samples.png")


def write_series(path, seed, rows=60):
    """A two-column CSV series far from [0, 1], different for each seed."""
    rng = np.random.default_rng(seed)
    t = np.arange(rows)
    data = np.stack([100 + 50 * np.sin(0.2 * t + rng.uniform(0, 3)), rng.normal(size=rows)], axis=1)
    np.savetxt(path, data, delimiter=",", header="price,noise", comments="")
    return data


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A run folder trained for 4 steps on a CSV (and on a .npy with two classes of labels)."""
    base = tmp_path_factory.mktemp("trained")
    write_series(base / "my.csv", 0)
    assert_clean(cli("train", "--data", "my.csv", "--out", "run", *TINY, "--checkpoint-every", "2",
                     cwd=base), 0)
    rng = np.random.default_rng(1)
    np.save(base / "d.npy", rng.normal(size=(40, 8, 2)))
    np.save(base / "labels.npy", np.arange(40) % 2)
    assert_clean(cli("train", "--data", "d.npy", "--labels", "labels.npy", "--out", "crun", *TINY,
                     cwd=base), 0)
    return base


@pytest.fixture
def work(trained, tmp_path):
    """A private copy of the trained folders and their sources (cwd for the commands); each
    copied data.npz names the copied sources, as if the runs had been trained here."""
    shutil.copytree(trained, tmp_path, dirs_exist_ok=True)
    for run in ("run", "crun"):
        saved = read_run_data(tmp_path / run / "data.npz")
        for source in saved.sources:
            source["path"] = str(tmp_path / os.path.basename(source["path"]))
        write_run_data(tmp_path / run / "data.npz", saved)
    return tmp_path


def contents(folder, names=CHECKED):
    """{name: bytes} of a run folder's files, to show nothing was lost or changed."""
    return {n: (folder / n).read_bytes() for n in names if (folder / n).exists()}


# --------------------------------------------------------------------------- rule 1

def test_data_npz_holds_the_scaled_training_data_and_the_sources_hash(work):
    saved = read_run_data(work / "run" / "data.npz")
    (source,) = saved.sources
    assert source["role"] == "data" and os.path.isabs(source["path"])
    assert source["path"].endswith(os.sep + "my.csv")
    assert source["size"] == os.path.getsize(work / "my.csv") and len(source["sha256"]) == 64
    assert saved.data.shape == (40, 8, 2) and saved.data.min() >= 0 and saved.data.max() <= 1
    labelled = read_run_data(work / "crun" / "data.npz")
    np.testing.assert_array_equal(np.sort(np.unique(labelled.classes)), [0, 1])
    assert [s["role"] for s in labelled.sources] == ["data", "labels"]


def test_a_source_replaced_by_another_file_of_the_same_name_changes_nothing(work):
    original = Run(work / "run").real_data()
    write_series(work / "my.csv", 7, rows=90)                  # another file, same name
    run = Run(work / "run")
    np.testing.assert_array_equal(run.real_data(), original)


def test_evaluate_works_with_the_source_gone_and_scores_the_training_data(work):
    n_real = len(Run(work / "run").real_data())
    os.remove(work / "my.csv")
    assert_clean(cli("evaluate", "run", "--fast", "--no-figures", "--no-progress", "--workers", "1",
                     cwd=work, timeout=300), 0)
    assert json.loads((work / "run" / "metrics.json").read_text())["n_real"] == n_real


@pytest.mark.parametrize("change, code, phrase", [
    ("moved", 0, None),
    ("edited", 2, "--data changed since the run started"),
    ("labels edited", 2, "--labels changed since the run started"),
])
def test_resume_reads_its_own_data_and_refuses_a_changed_source(work, change, code, phrase):
    run = "crun" if change.startswith("labels") else "run"
    before = contents(work / run)
    if change == "moved":
        os.rename(work / "my.csv", work / "elsewhere.csv")
    elif change == "edited":
        with open(work / "my.csv", "a") as f:
            f.write("1.0,2.0\n")
    else:
        np.save(work / "labels.npy", np.arange(40) % 2 == 0)
    result = cli("train", "--out", run, "--resume", "--iterations", "6", "--no-progress", cwd=work)
    assert_clean(result, code, *([phrase] if phrase else []))
    if code:
        assert contents(work / run) == before
    else:
        assert [r["step"] for r in read_metrics(work / run / "metrics.jsonl")] == list(range(1, 7))
        assert (work / run / "data.npz").read_bytes() == before["data.npz"]


def test_a_folder_from_before_data_npz_regenerates_its_data_and_resume_writes_it(work, monkeypatch):
    monkeypatch.chdir(work)                   # such a folder's config names --data as typed
    original = Run(work / "run").real_data()
    saved = (work / "run" / "data.npz").read_bytes()
    os.remove(work / "run" / "data.npz")
    np.testing.assert_array_equal(Run(work / "run").real_data(), original)
    assert_clean(cli("train", "--out", "run", "--resume", "--iterations", "5", "--no-progress",
                     cwd=work), 0)
    np.testing.assert_array_equal(read_run_data(work / "run" / "data.npz").data,
                                  read_run_data_bytes(saved, work).data)


def read_run_data_bytes(content, folder):
    """read_run_data of a data.npz given as bytes."""
    path = folder / "copy.npz"
    path.write_bytes(content)
    return read_run_data(path)


# --------------------------------------------------------------------------- rule 2

@pytest.mark.parametrize("command", [
    ("train", "--out", "run", "--resume", "--iterations", "6", "--no-progress"),
    ("sample", "run", "-n", "5"),                             # writes run/samples.npy
    ("evaluate", "run", "--fast", "--no-progress"),
])
def test_a_run_folder_in_use_is_refused_naming_the_holder(work, command):
    before = contents(work / "run")
    with run_folder_lock(str(work / "run"), "a test holding it"):
        result = cli(*command, cwd=work)
    assert_clean(result, 2, "is in use by pid", str(os.getpid()), "a test holding it")
    assert contents(work / "run") == before
    assert not (work / "run" / "samples.npy").exists()


def test_a_stale_lock_left_by_a_dead_process_does_not_block(work):
    (work / "run" / "run.lock").write_text("pid 999999 on elsewhere (minirgan train, since 2020)\n")
    assert_clean(cli("train", "--out", "run", "--resume", "--iterations", "6", "--no-progress",
                     cwd=work), 0)
    assert len(read_metrics(work / "run" / "metrics.jsonl")) == 6


def test_two_runs_started_at_once_with_the_default_out_get_their_own_folders(work):
    command = [sys.executable, "-m", "minirgan", "train", *TINY]
    procs = [subprocess.Popen(command, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(2)]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    folders = sorted((work / "runs").iterdir())
    assert len(folders) == 2
    for folder in folders:
        assert [r["step"] for r in read_metrics(folder / "metrics.jsonl")] == [1, 2, 3, 4]
        assert load_checkpoint(folder / "checkpoint.npz")["step"] == 4


# --------------------------------------------------------------------------- rule 3

@pytest.mark.parametrize("run, options, phrase", [
    ("run", ("--data", "my.csv", "--seq-len", "1"), "T >= 2"),
    ("crun", ("--data", "d.npy", "--labels", "one_class.npy"), "at least 2 classes"),
])
def test_overwrite_deletes_nothing_before_the_new_run_is_known_to_start(work, run, options, phrase):
    np.save(work / "one_class.npy", np.zeros(40, dtype=np.int64))
    before = contents(work / run)
    result = cli("train", "--out", run, "--overwrite", *TINY, *options, cwd=work)   # the last --seq-len counts
    assert_clean(result, 2, phrase)
    assert contents(work / run) == before


@pytest.mark.parametrize("run, target", [("run", "my.csv"), ("crun", "d.npy"), ("crun", "labels.npy")])
def test_sample_refuses_to_write_over_an_input_of_the_run(work, run, target):
    before = (work / target).read_bytes()
    result = cli("sample", run, "-n", "4", "-o", target, cwd=work)
    assert_clean(result, 2, "would write over")
    assert (work / target).read_bytes() == before


def test_resume_after_a_kill_mid_record_keeps_every_whole_record(work):
    path = work / "run" / "metrics.jsonl"
    text = path.read_text()
    path.write_text(text + text.splitlines()[-1][:17])         # a record cut by SIGKILL
    assert_clean(cli("train", "--out", "run", "--resume", "--iterations", "6", "--no-progress",
                     cwd=work), 0)
    assert [r["step"] for r in read_metrics(path)] == [1, 2, 3, 4, 5, 6]


class Stop(KeyboardInterrupt):
    """Ctrl-C in the middle of a write."""


def interrupted_after(n, write):
    """A function doing ``write`` n times, then raising Stop."""
    calls = {"n": 0}

    def once(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > n:
            raise Stop
        return write(*args, **kwargs)
    return once


def test_a_metrics_rewrite_cut_short_leaves_the_previous_file_whole(work, monkeypatch):
    import minirgan.run as run_module
    path = work / "run" / "metrics.jsonl"
    before = path.read_bytes()
    records = read_metrics(path) * 50
    monkeypatch.setattr(run_module, "metrics_line", interrupted_after(3, run_module.metrics_line))
    with pytest.raises(Stop):
        write_metrics(path, records)
    assert path.read_bytes() == before
    assert [p for p in os.listdir(work / "run") if ".tmp-" in p] == []


def test_a_sample_csv_cut_short_leaves_no_half_file(work, monkeypatch):
    import minirgan.datasets.csv_output as csv_output
    out = work / "s.csv"
    out.write_text("previous\n")
    samples = np.ones((50, 8, 2))
    real_writer = csv_output.csv.writer

    class CutWriter:
        def __init__(self, f):
            self.inner = real_writer(f)
            self.writerow = interrupted_after(20, self.inner.writerow)

    monkeypatch.setattr(csv_output.csv, "writer", CutWriter)
    with pytest.raises(Stop):
        csv_output.write_samples_csv(out, samples)
    assert out.read_text() == "previous\n"


def test_a_figure_cut_short_leaves_the_previous_one(work):
    from minirgan.plots.figure import axes_grid, save
    path = work / "run" / "samples.png"
    before = path.read_bytes()
    fig, _ = axes_grid(1, 1, 2, 2)

    def cut_savefig(f, **kwargs):
        f.write(b"\x89PNG partial")
        raise Stop
    fig.savefig = cut_savefig
    with pytest.raises(Stop):
        save(fig, str(path))
    assert path.read_bytes() == before


def test_temporary_files_of_a_killed_writer_are_removed_by_the_next_command(work):
    left = temporary_name(work / "run" / "checkpoint.npz")
    with open(left, "wb") as f:
        f.write(b"half a checkpoint")
    assert_clean(cli("sample", "run", "-n", "3", cwd=work), 0)       # writes run/samples.npy
    assert not os.path.exists(left)


def test_atomic_open_replaces_or_keeps(tmp_path):
    path = tmp_path / "f.txt"
    with atomic_open(path) as f:
        f.write("one")
    with pytest.raises(Stop):
        with atomic_open(path) as f:
            f.write("two")
            raise Stop
    assert path.read_text() == "one" and os.listdir(tmp_path) == ["f.txt"]


def test_write_json_replaces_or_keeps(tmp_path):
    path = tmp_path / "f.json"
    write_json(path, {"b": 1, "é": [2.5]}, indent=1, sort_keys=True, ensure_ascii=False)
    assert path.read_bytes() == '{\n "b": 1,\n "é": [\n  2.5\n ]\n}\n'.encode("utf-8")
    with pytest.raises(TypeError):                         # not serialisable: half written
        write_json(path, {"a": object()})
    assert json.loads(path.read_text(encoding="utf-8")) == {"b": 1, "é": [2.5]}
    assert os.listdir(tmp_path) == ["f.json"]


def test_the_lock_is_reentrant_within_a_process_and_released_by_the_outermost_block(work):
    folder = str(work / "run")
    with run_folder_lock(folder, "outer"):
        with run_folder_lock(folder, "inner"):
            pass
        busy = cli("sample", "run", "-n", "3", cwd=work)       # still held by the outer block
    assert_clean(busy, 2, "is in use by pid", "outer")
    assert_clean(cli("sample", "run", "-n", "3", cwd=work), 0)


# Writers that open a file for writing themselves, and why they need not go through atomic.py.
OWN_WRITERS = {
    ("train.py", "_train_locked"): "metrics.jsonl is appended to; read_metrics drops a torn last line",
    ("assignments/sandbox.py", "run_child"): "the child's inputs, in its own temporary folder",
    ("sweep/report.py", "_write_csv"): "called by _atomic with atomic_path's temporary name",
    ("sweep/report.py", "_write_text"): "called by _atomic with atomic_path's temporary name",
}


def _plain_writes(path):
    """(function name, line) of each open(..., "w"/"a"/"x"), ZipFile(..., "w"/"a"/"x") or
    .write_text/.write_bytes in ``path``."""
    import ast

    tree = ast.parse(path.read_text())
    found = []
    for func in ast.walk(tree):
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        covered = {id(n) for w in ast.walk(func) if isinstance(w, ast.With)
                   and any(isinstance(i.context_expr, ast.Call)
                           and getattr(i.context_expr.func, "id", "").startswith("atomic_") for i in w.items)
                   for n in ast.walk(w)}            # inside `with atomic_open(...) as f, ...:`
        for node in ast.walk(func):
            if not isinstance(node, ast.Call) or id(node) in covered:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in ("write_text", "write_bytes"):
                found.append((func.name, node.lineno))
            elif (name == "open" and isinstance(node.func, ast.Name)) or name == "ZipFile":
                modes = [k.value for k in node.keywords if k.arg == "mode"] + node.args[1:2]
                if any(isinstance(m, ast.Constant) and set(str(m.value)) & set("wax+") for m in modes):
                    found.append((func.name, node.lineno))
    return found


def test_every_json_file_the_library_writes_goes_through_write_json():
    """``json.dump`` is called in one place, ``atomic.write_json``: every JSON file is replaced
    atomically and written alike (UTF-8, a final newline)."""
    import ast
    from pathlib import Path

    package = Path(__file__).resolve().parents[1] / "minirgan"
    calls = [f"{path.relative_to(package).as_posix()}:{node.lineno}"
             for path in sorted(package.rglob("*.py")) for node in ast.walk(ast.parse(path.read_text()))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
             and node.func.attr == "dump" and getattr(node.func.value, "id", "") == "json"]
    assert [c.split(":")[0] for c in calls] == ["atomic.py"], calls


def test_every_file_the_library_writes_goes_through_atomic():
    """No module opens a file for writing itself (a reader, or a crash, could see half of it),
    but the few named in OWN_WRITERS; the rest write through minirgan.atomic."""
    from pathlib import Path

    package = Path(__file__).resolve().parents[1] / "minirgan"
    bypass = []
    for path in sorted(package.rglob("*.py")):
        where = path.relative_to(package).as_posix()
        if where == "atomic.py":
            continue
        bypass += [f"{where}:{line} in {func}()" for func, line in _plain_writes(path)
                   if (where, func) not in OWN_WRITERS]
    assert not bypass, "writes not through minirgan.atomic: " + ", ".join(bypass)
