"""Kill the commands at random moments and check that no run is lost (issue 23; SQLite's crash
tests are the model).

``train`` (a new run), ``train --resume``, ``sample`` (into the run folder and to a CSV beside it)
and ``evaluate --fast`` run as subprocesses and get SIGKILL, SIGINT or SIGTERM after a seeded
random delay. After every kill the invariants are checked:

* every file in the run folder loads (config.json, data.npz, checkpoint.npz, metrics.jsonl,
  the figures, samples.npy, metrics.json; a temporary file of a killed write is ignored, and the
  next command holding the lock removes it), and a CSV written beside it is whole or absent;
* the checkpoint's step ≤ the metrics' last step ≤ the checkpoint's step + checkpoint_every, and
  the records are steps 1, 2, … without a gap;
* nothing that existed before was lost: data.npz is byte for byte the same, the checkpoint's step
  never goes back, every record kept is the one seen before for its step (a resumed run computes
  the same records), every file that was there is still there;
* at the end, ``--resume`` runs to completion and leaves no temporary file.

The number of kills is bounded for CI (``MINIRGAN_FAULT_KILLS``, default 10, and at most
``MINIRGAN_FAULT_SECONDS`` = 70 s of killing; the seed is ``MINIRGAN_FAULT_SEED``): run a long mode
by hand with e.g. ``MINIRGAN_FAULT_KILLS=300`` (no time limit then). Run with ``-s`` to see each
kill.
"""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np

from minirgan.atomic import is_temporary
from minirgan.checkpoint import load_checkpoint
from minirgan.config import TrainConfig
from minirgan.run import read_metrics
from minirgan.run_data import read_run_data

KILLS = int(os.environ.get("MINIRGAN_FAULT_KILLS", "10"))
# and a time budget, so that a slow machine stays inside CI's limit (the long mode lifts it)
SECONDS = float(os.environ.get("MINIRGAN_FAULT_SECONDS", "70" if "MINIRGAN_FAULT_KILLS" not in os.environ
                               else "inf"))
SEED = int(os.environ.get("MINIRGAN_FAULT_SEED", "0"))
SIGNALS = (signal.SIGKILL, signal.SIGINT, signal.SIGTERM)
EVERY = 5                                   # --checkpoint-every of the runs
SMALL = ["--data", "series.csv", "--seq-len", "8", "--hidden", "4", "--batch", "8", "--noise-dim", "2",
         "--n-data", "40", "--metrics-every", "0", "--checkpoint-every", str(EVERY), "--no-progress"]


def minirgan(*args):
    return [sys.executable, "-m", "minirgan", *map(str, args)]


def load_every_file(folder):
    """Load each file of a run folder as its reader does (raises if one cannot be read)."""
    import matplotlib.image
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if is_temporary(name) or name == "run.lock":
            continue
        if name == "config.json":
            TrainConfig.load(path)
        elif name == "data.npz":
            read_run_data(path)
        elif name == "checkpoint.npz":
            load_checkpoint(path)
        elif name == "metrics.jsonl":
            read_metrics(path)
        elif name.endswith(".json"):
            with open(path) as f:
                json.load(f)
        elif name.endswith(".npy"):
            np.load(path, allow_pickle=False)
        elif name.endswith(".npz"):
            with np.load(path, allow_pickle=False) as f:
                [f[k] for k in f.files]
        elif name.endswith(".png"):
            matplotlib.image.imread(path)
        else:
            raise AssertionError(f"unexpected file {name} in {folder}")


def check_csv(path, rows):
    """A samples CSV is absent or whole: a header and ``rows`` rows of numbers."""
    if os.path.exists(path):
        table = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
        assert table.shape[0] == rows, (path, table.shape)


class Folder:
    """What a run folder held after the last command, to compare with after the next."""

    def __init__(self, folder, seen):
        self.folder, self.seen = folder, seen
        self.files = {n for n in os.listdir(folder) if not is_temporary(n)}
        self.step = load_checkpoint(os.path.join(folder, "checkpoint.npz"))["step"]
        with open(os.path.join(folder, "data.npz"), "rb") as f:
            self.data = f.read()

    def check_after(self):
        """The invariants of the module docstring, against this earlier state; the new state."""
        load_every_file(self.folder)
        now = Folder(self.folder, self.seen)
        assert self.files <= now.files, self.files - now.files
        assert now.data == self.data
        assert now.step >= self.step
        check_records(self.folder, now.step, self.seen)
        return now


def check_records(folder, step, seen):
    """Steps 1..last without a gap, step ≤ last ≤ step + EVERY, each record as seen before."""
    records = read_metrics(os.path.join(folder, "metrics.jsonl"))
    steps = [r["step"] for r in records]
    assert steps == list(range(1, len(steps) + 1)), steps[-5:]
    assert step <= len(steps) <= step + EVERY, (step, len(steps))
    for r in records:
        assert seen.setdefault(r["step"], r) == r, r["step"]


def run_and_kill(command, cwd, delay, sig):
    """Start ``command``, send ``sig`` after ``delay`` s unless it finished; its exit code
    (negative: killed by that signal; 130: it caught Ctrl-C)."""
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return proc.wait(timeout=delay)           # finished before its signal
    except subprocess.TimeoutExpired:
        proc.send_signal(sig)
    try:
        return proc.wait(timeout=120)
    except subprocess.TimeoutExpired:          # a second Ctrl-C stops at once
        proc.send_signal(signal.SIGKILL)
        return proc.wait()


def test_killed_commands_never_lose_or_damage_a_run(tmp_path):
    rng = np.random.default_rng(SEED)
    t = np.arange(80)
    np.savetxt(tmp_path / "series.csv", np.stack([100 + 50 * np.sin(0.2 * t), np.cos(0.05 * t)], 1),
               delimiter=",", header="price,temperature", comments="")
    t0 = time.time()
    subprocess.run(minirgan("train", "--out", "run", "--iterations", 2 * EVERY, *SMALL), cwd=tmp_path,
                   check=True, capture_output=True)
    # delays up to what a short command takes here, so that the kills fall in the imports, the
    # setup, the training loop and the final figures alike, however busy the machine is (with
    # twice that, 96 of 150 commands had finished before their signal)
    longest = max(4.0, time.time() - t0)
    seen = {}
    run = Folder(str(tmp_path / "run"), seen)
    check_records(run.folder, run.step, seen)
    started = time.time()
    kinds = ("resume", "resume", "new", "sample", "sample csv", "evaluate")
    kills = interrupted = 0
    for kills in range(1, KILLS + 1):
        kind = kinds[rng.integers(len(kinds))]
        sig, delay = SIGNALS[rng.integers(len(SIGNALS))], float(rng.uniform(0.3, longest))
        target = run.step + int(rng.integers(1, 300))
        command = {
            "resume": minirgan("train", "--out", "run", "--resume", "--iterations", target, "--no-progress"),
            "new": minirgan("train", "--out", "new", "--overwrite", "--iterations", 400, *SMALL),
            "sample": minirgan("sample", "run", "-n", 5000),
            "sample csv": minirgan("sample", "run", "-n", 3000, "-o", "s.csv"),
            "evaluate": minirgan("evaluate", "run", "--fast", "--no-progress", "--workers", 1),
        }[kind]
        code = run_and_kill(command, tmp_path, delay, sig)
        interrupted += code != 0
        run = run.check_after()
        print(f"kill {kills}: {kind} {sig.name} after {delay:.2f} s -> exit {code}, checkpoint step {run.step}")
        check_csv(tmp_path / "s.csv", 3000 * 8)
        new = tmp_path / "new"
        if new.exists():
            load_every_file(new)
            if (new / "checkpoint.npz").exists():
                check_records(new, load_checkpoint(new / "checkpoint.npz")["step"], {})
        if time.time() - started > SECONDS:
            break
    final = run.step + 20
    done = subprocess.run(minirgan("train", "--out", "run", "--resume", "--iterations", final, "--no-progress"),
                          cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    run = run.check_after()
    assert run.step == final and len(read_metrics(os.path.join(run.folder, "metrics.jsonl"))) == final
    assert not [n for n in os.listdir(run.folder) if is_temporary(n)]
    print(f"{kills} rounds ({interrupted} commands stopped by their signal, the others finished "
          f"first) survived in {time.time() - started:.0f} s")
