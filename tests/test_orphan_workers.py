"""No worker outlives the process that owns its pool (minirgan/worker_pool.py).

One sweep of one run is started three times, and each time stopped while its worker trains:
SIGKILL to ``minirgan sweep``; SIGTERM to a plain script that runs the sweep without minirgan's
command line (SIGTERM's default action ends it at once, as ``pkill -f`` did to
benchmarks/benchmark_table.py); SIGTERM to ``minirgan sweep`` alone (not its process group).
Each time every process the sweep had started (the pool's worker, multiprocessing's resource
tracker) must be gone within :data:`GONE_SECONDS`, the run must be checkpointed at the last
step it logged (the worker stopped as on Ctrl-C), and at the end the same command resumes the
run from there and finishes it.
"""

import contextlib
import csv
import os
import signal
import subprocess
import sys
import time

from minirgan.checkpoint import checkpoint_step
from minirgan.cli import main
from minirgan.run import read_metrics

ITERATIONS = 1000           # far more than a phase trains; a few seconds for the final rerun
GONE_SECONDS = 20
START_SECONDS = 120         # to the first checkpoint of a phase, however busy the machine is
SWEEP = ["sweep", "--seeds", "0", "--quick", "--workers", "1", "--n-data", "200", "--iterations",
         str(ITERATIONS), "--batch", "16", "--hidden", "8", "--checkpoint-every", "10",
         "--metrics-every", "0", "--no-figures", "--no-progress"]
SCRIPT = '''import sys

from minirgan.cli import build_parser

if __name__ == "__main__":      # the sweep without minirgan.cli.main: SIGTERM keeps its default action
    args = build_parser().parse_args(sys.argv[1:])
    args.run(args)
'''


def descendants(pid):
    """The live processes started by ``pid`` and by them (psutil if installed, else /proc)."""
    try:
        import psutil
    except ImportError:
        parents = {}
        for entry in os.listdir("/proc"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
        found, todo = [], [pid]
        while todo:
            above = todo.pop()
            children = [p for p, parent in parents.items() if parent == above]
            found += children
            todo += children
        return found
    return [p.pid for p in psutil.Process(pid).children(recursive=True)]


def alive(pid):
    """True while ``pid`` runs (a zombie nobody has reaped yet has ended)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:                                    # no /proc: ask the OS
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def stop_while_training(argv, signum, checkpoint, cwd):
    """Start ``argv``, send ``signum`` once its run has written a new checkpoint; (exit code,
    the processes it had started that are still alive GONE_SECONDS later)."""
    before = checkpoint_step(checkpoint) or 0
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + START_SECONDS
        while (checkpoint_step(checkpoint) or 0) <= before:
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "the run did not start training"
            time.sleep(0.05)
        started = descendants(proc.pid)
        assert started, "no worker process found"
        proc.send_signal(signum)
        code = proc.wait(timeout=60)
        deadline = time.monotonic() + GONE_SECONDS
        while [p for p in started if alive(p)] and time.monotonic() < deadline:
            time.sleep(0.1)
        return code, [p for p in started if alive(p)]
    finally:
        with contextlib.suppress(ProcessLookupError):  # a failed test leaves nothing behind
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def test_no_worker_outlives_a_killed_or_terminated_sweep(tmp_path):
    out = tmp_path / "sweep"
    checkpoint = out / "seed=0" / "checkpoint.npz"
    (tmp_path / "sweep_script.py").write_text(SCRIPT)
    minirgan = [sys.executable, "-m", "minirgan", *SWEEP, "--out", str(out)]
    script = [sys.executable, "sweep_script.py", *SWEEP, "--out", str(out)]
    steps = [0]
    for argv, signum, exit_code in ((minirgan, signal.SIGKILL, -signal.SIGKILL),
                                    (script, signal.SIGTERM, -signal.SIGTERM),
                                    (minirgan, signal.SIGTERM, 143)):
        code, left = stop_while_training(argv, signum, str(checkpoint), tmp_path)
        assert code == exit_code and not left, (signum, code, left)
        step = checkpoint_step(str(checkpoint))
        # the worker stopped as on Ctrl-C: its last logged step is the checkpoint's
        assert steps[-1] < step < ITERATIONS
        assert len(read_metrics(str(out / "seed=0" / "metrics.jsonl"))) == step
        steps.append(step)
    assert main([*SWEEP, "--out", str(out)]) == 0
    with open(out / "sweep.csv", newline="") as f:
        (row,) = csv.DictReader(f)
    assert row["status"] == "ok" and int(row["resumed_from"]) == steps[-1]
    assert int(row["steps"]) == checkpoint_step(str(checkpoint)) == ITERATIONS


def test_no_worker_outlives_a_killed_evaluate(tmp_path):
    """``evaluate --workers 2`` killed outright while its workers compute repeats: they end too."""
    run = tmp_path / "run"
    assert main(["train", "--out", str(run), "--iterations", "4", "--hidden", "4", "--batch", "8",
                 "--n-data", "40", "--seq-len", "8", "--metrics-every", "0", "--no-progress"]) == 0
    proc = subprocess.Popen([sys.executable, "-m", "minirgan", "evaluate", str(run), "--fast",
                             "--repeats", "500", "--workers", "2", "--no-progress", "--no-figures"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + START_SECONDS
        while len(workers := [p for p in descendants(proc.pid) if b"spawn_main" in _cmdline(p)]) < 2:
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.1)
        time.sleep(2)                                  # computing repeats
        started = descendants(proc.pid)
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + GONE_SECONDS
        while [p for p in started if alive(p)] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [p for p in started if alive(p)], (workers, started)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return b""
