"""Every failure is one line with its documented exit code; numbers that cannot be trusted are not
reported as results (issue 23, rules 4 and 5). docs/what_happens_when.md lists the cases.

One table: each case runs the command line as a user does (``python -m minirgan`` in a
subprocess, RuntimeWarning as an error) and checks the exit code, exactly one failure line on
stderr naming what went wrong, no traceback, and that nothing was lost (the run folder the
command read is unchanged, or the last good checkpoint is kept).

Faults the test cannot cause for real are injected into the child process only, by a few lines
run before ``minirgan``'s own code (``INJECT``): a full disk (``open`` for writing a file of a
given name, or its temporary name, returns a file whose ``write`` raises ENOSPC; no tmpfs is
needed), a read-only folder
(``open`` for writing raises EACCES: the tests may run as root, which chmod does not stop),
Ctrl-C during the imports (an import hook raises KeyboardInterrupt when numpy is imported) and
MemoryError. The runs are tiny (H = 4, a few steps).
"""

import ctypes
import glob
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
import zlib

import numpy as np
import pytest

from minirgan.checkpoint import load_checkpoint
from minirgan.errors import EXIT_CODES

TINY = ["--iterations", "4", "--hidden", "4", "--batch", "8", "--noise-dim", "2", "--seq-len", "8",
        "--n-data", "40", "--metrics-every", "0", "--no-progress"]
DOCS = os.path.join(os.path.dirname(__file__), "..", "docs", "what_happens_when.md")

# Faults injected into the child (see the module); each is Python run before minirgan's main.
FULL_DISK = """
import builtins, errno, os
_open, _folder, _name = builtins.open, os.path.abspath({folder!r}), {name!r}
class _Full:
    def __init__(self, f, name): self._f, self._name = f, name
    def write(self, data): raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), self._name)
    def __getattr__(self, name): return getattr(self._f, name)
    def __enter__(self): return self
    def __exit__(self, *exc): self._f.close()
def open(file, mode="r", *args, **kwargs):
    f = _open(file, mode, *args, **kwargs)
    if isinstance(file, (str, os.PathLike)) and any(c in mode for c in "wax") \\
            and os.path.dirname(os.path.abspath(file)) == _folder \\
            and _name in os.path.basename(file):   # the file, or its temporary name
        return _Full(f, os.fspath(file))
    return f
builtins.open = open
"""
READ_ONLY = """
import builtins, errno, os
_open, _under = builtins.open, os.path.abspath({where!r})
def open(file, mode="r", *args, **kwargs):
    if isinstance(file, (str, os.PathLike)) and any(c in mode for c in "wax+") \\
            and os.path.abspath(file).startswith(_under):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(file))
    return _open(file, mode, *args, **kwargs)
builtins.open = open
"""
CTRL_C_IN_IMPORTS = """
import sys
class _CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == "numpy":
            raise KeyboardInterrupt
sys.meta_path.insert(0, _CtrlC())
"""
OUT_OF_MEMORY = """
import minirgan.run
def _boom(*args, **kwargs):
    raise MemoryError("Unable to allocate 7.28 TiB for an array with shape (1000000, 1000000)")
minirgan.run.draw_samples = _boom
"""
LOSSES_BLOW_UP = """
import minirgan.train
_step = minirgan.train.train_step
def train_step(G, D, opt_g, *args, **kwargs):
    record = _step(G, D, opt_g, *args, **kwargs)
    if opt_g.t > 6:                         # G's steps 7, 8, ...: D's logits saturated
        record["loss_d"], record["loss_g"] = 900.0, 1200.0
    return record
minirgan.train.train_step = train_step
"""
RUN_MAIN = "\nimport runpy\nrunpy.run_module('minirgan', run_name='__main__', alter_sys=True)\n"


def command(args, inject=None):
    head = [sys.executable, "-W", "error::RuntimeWarning"]
    if inject is None:
        return head + ["-m", "minirgan", *map(str, args)]
    return head + ["-c", inject + RUN_MAIN, *map(str, args)]


def failure_line(stderr):
    """The one line a failure prints (the informational "training a ..." line aside)."""
    lines = [l for l in stderr.strip().splitlines() if l.strip() and not l.startswith("training a ")]
    assert len(lines) == 1, stderr[-3000:]
    return lines[0]


def digest(folder):
    """{file: sha256} of a folder, to show that nothing in it changed."""
    return {name: hashlib.sha256(open(os.path.join(folder, name), "rb").read()).hexdigest()
            for name in sorted(os.listdir(folder)) if os.path.isfile(os.path.join(folder, name))}


def checkpoint_step(folder):
    return load_checkpoint(os.path.join(folder, "checkpoint.npz"))["step"]


def last_metrics_step(folder):
    return [json.loads(l)["step"] for l in open(os.path.join(folder, "metrics.jsonl"))][-1]


# ---------------------------------------------------------------- preparing the cases' files

def npy_header(shape, dtype="<f8"):
    out = io.BytesIO()
    np.lib.format.write_array_header_1_0(out, {"descr": dtype, "fortran_order": False, "shape": shape})
    return out.getvalue()


def add_member(run, name, data, compress=zipfile.ZIP_STORED):
    """Add an entry to ``run``'s checkpoint (a zip of .npy files, as np.savez writes it)."""
    with zipfile.ZipFile(os.path.join(run, "checkpoint.npz"), "a", compression=compress) as z:
        z.writestr(name, data)


def forge_huge_entry(tmp, run):
    add_member(run, "G/forged.npy", npy_header((1_000_000, 1_000_000)) + b"\0" * 64)


def add_decompression_bomb(tmp, run):
    # 100 MB of zeros in ~100 kB: the 3 MB -> 3 GB of the issue, a thirtieth of the size
    add_member(run, "G/bomb.npy", npy_header((12_500_000,)) + bytes(100_000_000), zipfile.ZIP_DEFLATED)


def write_huge_header_npy(tmp, run):
    with open(os.path.join(tmp, "huge.npy"), "wb") as f:
        f.write(npy_header((100_000, 100_000, 3)) + b"\0" * 800)


def write_forged_npz(tmp, run):
    with zipfile.ZipFile(os.path.join(tmp, "forged.npz"), "w") as z:
        z.writestr("x.npy", npy_header((10_000_000, 24, 100)) + b"\0" * 800)
        z.writestr("lengths.npy", npy_header((10_000_000,), "<i8") + b"\0" * 80)


def write_big_npy(tmp, run):
    np.save(os.path.join(tmp, "big.npy"), np.random.default_rng(0).random((500, 8, 60)))   # 1.9 MB, T = 8


def write_wide_csv(tmp, run):
    rows = np.random.default_rng(0).random((2000, 8))               # about 150 kB of text
    np.savetxt(os.path.join(tmp, "wide.csv"), rows, delimiter=",", header=",".join("abcdefgh"), comments="")


def make_folder(name):
    return lambda tmp, run: os.makedirs(os.path.join(tmp, name))


def make_file(name):
    return lambda tmp, run: open(os.path.join(tmp, name), "w").close()


def retype_config(field, value):
    def prepare(tmp, run):
        path = os.path.join(run, "config.json")
        config = json.load(open(path))
        config[field] = value
        json.dump(config, open(path, "w"))
    return prepare


# ---------------------------------------------------------------- what must hold afterwards

def run_unchanged(tmp, run, before):
    assert digest(run) == before


def checkpoint_kept_at(step):
    def check(tmp, run, before):
        assert checkpoint_step(run) == step
    return check


def checkpoint_at_last_step(tmp, run, before):
    assert checkpoint_step(run) == last_metrics_step(run) >= 4


def checkpoint_of_the_whole_run(tmp, run, before):
    assert checkpoint_step(run) == last_metrics_step(run) == 4


def no_new_run(name):
    def check(tmp, run, before):
        assert not os.path.exists(os.path.join(tmp, name, "checkpoint.npz"))
        assert digest(run) == before
    return check


# ---------------------------------------------------------------- the table

# evaluate with far more work than the seconds before a signal, on 2 workers: at 50 repeats a
# quiet machine finished the evaluation before the signal came, and the case saw exit 0
EVALUATE_LONG = ["evaluate", "{run}", "--fast", "--repeats", "500", "--workers", "2", "--no-progress",
                 "--no-figures"]

# Each case: the command's arguments ({run}: a copy of a tiny trained run, {tmp}: its folder),
# what to prepare, the exit code, phrases its one line must hold, and what must hold afterwards.
# inject: a fault in the child; env: extra environment; signal: sent once ``ready`` says so.
CASES = [
    dict(id="config.json-with-a-string-for-a-number", prepare=retype_config("lr_g", "0.001"),
         args=["train", "--out", "{run}", "--resume", "--iterations", "8", "--no-progress"],
         code=2, says=["config.json", "lr_g must be a number, got '0.001'"], after=run_unchanged),
    dict(id="config.json-with-a-list-for-an-integer", prepare=retype_config("hidden", [4]),
         args=["train", "--out", "{run}", "--resume", "--iterations", "8", "--no-progress"],
         code=2, says=["config.json", "hidden must be an integer"], after=run_unchanged),
    dict(id="checkpoint-entry-claiming-10^12-elements", prepare=forge_huge_entry,
         args=["sample", "{run}", "-n", "3", "-o", "{tmp}/s.npy"],
         code=2, says=["checkpoint.npz", "G/forged", "(1000000, 1000000)", "8 TB", "64 bytes"],
         after=run_unchanged),
    dict(id="checkpoint-entry-that-is-a-decompression-bomb", prepare=add_decompression_bomb,
         args=["evaluate", "{run}", "--fast", "--no-figures"],
         code=2, says=["checkpoint.npz", "G/bomb", "decompression bomb"], after=run_unchanged),
    dict(id="npy-header-claiming-a-huge-shape", prepare=write_huge_header_npy,
         args=["train", "--data", "{tmp}/huge.npy", "--out", "{tmp}/new", *TINY[2:]],
         code=2, says=["huge.npy", "(100000, 100000, 3)", "240 GB", "800 bytes"], after=no_new_run("new")),
    dict(id="npz-data-entry-claiming-a-huge-shape", prepare=write_forged_npz,
         args=["train", "--data", "{tmp}/forged.npz", "--out", "{tmp}/new", *TINY],
         code=2, says=["forged.npz", "entry x", "(10000000, 24, 100)", "192 GB", "800 bytes"],
         after=no_new_run("new")),
    dict(id="npy-larger-than-the-memory-budget", prepare=write_big_npy, env={"MINIRGAN_MEMORY_BUDGET": "1e6"},
         args=["train", "--data", "{tmp}/big.npy", "--out", "{tmp}/new", *TINY[2:]],
         code=3, says=["big.npy", "1.92 MB", "the 1 MB available"], after=no_new_run("new")),
    dict(id="csv-larger-than-the-memory-budget", prepare=write_wide_csv, env={"MINIRGAN_MEMORY_BUDGET": "1e6"},
         args=["train", "--data", "{tmp}/wide.csv", "--out", "{tmp}/new", *TINY[2:]],
         code=3, says=["reading", "wide.csv", "the 1 MB available", "fewer rows"], after=no_new_run("new")),
    dict(id="hidden-100000", args=["train", "--out", "{tmp}/new", *TINY, "--hidden", "100000"],
         code=3, says=["--hidden 100000", "TB of memory", "a smaller --hidden"], after=no_new_run("new")),
    dict(id="sample-length-10-million", env={"MINIRGAN_MEMORY_BUDGET": "4e9"},
         args=["sample", "{run}", "-n", "1", "--length", "10000000", "-o", "{tmp}/long.csv"],
         code=3, says=["10000000 steps", "GB of memory", "--length"], after=run_unchanged, timeout=60),
    dict(id="sample-n-beyond-memory-to-csv", env={"MINIRGAN_MEMORY_BUDGET": "4e9"},
         args=["sample", "{run}", "-n", "100000000", "-o", "{tmp}/many.csv"],
         code=3, says=["100000000 samples", "fewer (-n)"], after=run_unchanged, timeout=60),
    dict(id="out-of-memory-anywhere", inject=OUT_OF_MEMORY,
         args=["sample", "{run}", "-n", "3", "-o", "{tmp}/s.csv"],
         code=3, says=["out of memory", "Unable to allocate 7.28 TiB", "-n"], after=run_unchanged),
    dict(id="sample-o-names-a-folder", prepare=make_folder("d.npy"),
         args=["sample", "{run}", "-n", "3", "-o", "{tmp}/d.npy"],
         code=2, says=["d.npy", "is a folder"], after=run_unchanged),
    dict(id="train-out-names-a-file", prepare=make_file("afile"),
         args=["train", "--out", "{tmp}/afile", *TINY],
         code=2, says=["afile", "already exists"], after=run_unchanged),
    dict(id="full-disk-while-drawing-the-figures", inject=FULL_DISK.format(folder="{run}", name="samples.png"),
         args=["train", "--out", "{run}", "--resume", "--iterations", "6", "--no-progress"],
         code=4, says=["samples.png", "no space left"], after=checkpoint_at_last_step),
    dict(id="full-disk-writing-samples", inject=FULL_DISK.format(folder="{tmp}", name="out.csv"),
         args=["sample", "{run}", "-n", "3", "-o", "{tmp}/out.csv"],
         code=4, says=["out.csv", "no space left"], after=run_unchanged),
    dict(id="read-only-run-folder", inject=READ_ONLY.format(where="{run}"),
         args=["train", "--out", "{run}", "--resume", "--iterations", "6", "--no-progress"],
         code=5, says=["{run}", "permission denied"], after=run_unchanged),
    dict(id="ctrl-c-during-the-imports", inject=CTRL_C_IN_IMPORTS,
         args=["sample", "{run}", "-n", "3", "-o", "{tmp}/s.npy"],
         code=130, says=["minirgan: interrupted"], after=run_unchanged),
    dict(id="sigterm-during-training", signal=signal.SIGTERM,
         args=["train", "--out", "{tmp}/long", *TINY[2:], "--iterations", "100000",
               "--checkpoint-every", "100000"],
         ready=lambda tmp: steps_written(os.path.join(tmp, "long")) >= 5,
         code=143, says=["terminated after step", "resume with: minirgan train --out"],
         after=lambda tmp, run, before: checkpoint_at_last_step(tmp, os.path.join(tmp, "long"), before)),
    dict(id="ctrl-c-reaches-evaluate-and-its-workers", signal=signal.SIGINT, group=True,
         args=EVALUATE_LONG, ready=None, code=130, says=["minirgan evaluate: interrupted"], after=run_unchanged, timeout=120),
    # the kernel hands a process's signal to one of its threads, not always the main one, where
    # alone Python runs the handler: Ctrl-C as a terminal sends it, the leader's copy taken by
    # another thread (minirgan/interruptible.py; lost in most full test runs before)
    dict(id="ctrl-c-taken-by-another-thread-of-evaluate", signal=signal.SIGINT, group="another thread",
         args=EVALUATE_LONG, ready=None, code=130, says=["minirgan evaluate: interrupted"], after=run_unchanged, timeout=120),
    dict(id="ctrl-c-taken-by-another-thread-of-a-sweep", signal=signal.SIGINT, group="another thread",
         args=["sweep", "--out", "{tmp}/sweep", "--seeds", "0", "1", "--workers", "2", *TINY[2:],
               "--iterations", "100000", "--checkpoint-every", "100000", "--no-figures"],
         ready=lambda tmp: all(steps_written(os.path.join(tmp, "sweep", f"seed={s}")) >= 5 for s in (0, 1)),
         code=130, says=["minirgan sweep: interrupted"], timeout=120,
         after=lambda tmp, run, before: [checkpoint_at_last_step(tmp, os.path.join(tmp, "sweep", f"seed={s}"),
                                                                 before) for s in (0, 1)]),
    dict(id="sigterm-during-evaluate", signal=signal.SIGTERM, ready=lambda tmp: time.sleep(6) or True,
         args=["evaluate", "{run}", "--fast", "--repeats", "500", "--workers", "1", "--no-progress",
               "--no-figures"],
         code=143, says=["minirgan evaluate: terminated"], after=run_unchanged, timeout=120),
    dict(id="lr-100-for-300-steps", args=["train", "--out", "{tmp}/new", *TINY, "--lr", "100",
                                          "--iterations", "300"],
         code=1, says=["training diverged at step", "stayed above 50", "--lr"],
         after=lambda tmp, run, before: None),
    dict(id="lr-1e9", args=["train", "--out", "{tmp}/new", *TINY, "--lr", "1e9", "--iterations", "300"],
         code=1, says=["training diverged at step", "stayed above 50"], after=lambda tmp, run, before: None),
    dict(id="divergence-keeps-the-last-good-checkpoint", inject=LOSSES_BLOW_UP,
         args=["train", "--out", "{tmp}/new", *TINY, "--iterations", "300", "--checkpoint-every", "2"],
         code=1, says=["training diverged at step 20", "last good checkpoint (step 6)"],
         after=lambda tmp, run, before: checkpoint_kept_at(6)(tmp, os.path.join(tmp, "new"), before)),
    # rule 5: a score that cannot be read is not reported as a result (exit 0, the verdict says so)
    dict(id="evaluate-on-40-sequences-with-fast", args=["evaluate", "{run}", "--fast", "--no-figures",
                                                        "--no-progress"],
         code=0, says=["verdict: too noisy to read: only 40 sequences", "--fast",
                       "before trusting any number"], after=lambda tmp, run, before: None),
]


HEEDED_WITHIN = 20                  # seconds from a signal to the exit (one training step, a checkpoint)
SYS_TGKILL = {"x86_64": 234, "aarch64": 131}


def group_members(pgid):
    """The pids of process group ``pgid`` (from /proc/PID/stat: its 5th field, after the name)."""
    members = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = open(stat).read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue                                         # ended meanwhile
        if int(fields[2]) == pgid:
            members.append(int(stat.split("/")[2]))
    return members


def signal_group_through_another_thread(pgid, signum):
    """Send ``signum`` to every process of the group ``pgid``, as a terminal's Ctrl-C does, the
    leader's copy to its newest thread other than the main one (tgkill), as the kernel may."""
    libc = ctypes.CDLL(None, use_errno=True)
    for pid in group_members(pgid):
        if pid != pgid:
            os.kill(pid, signum)
            continue
        threads = [int(os.path.basename(t)) for t in glob.glob(f"/proc/{pid}/task/*")]
        thread = max(t for t in threads if t != pid)
        if libc.syscall(SYS_TGKILL[os.uname().machine], pid, thread, signum) != 0:
            raise OSError(ctypes.get_errno(), f"tgkill of thread {thread} of process {pid}")


def steps_written(run):
    path = os.path.join(run, "metrics.jsonl")
    return sum(1 for _ in open(path)) if os.path.exists(path) else 0


def workers_started(pid, n=2):
    """True once process ``pid`` has ``n`` children (evaluate's worker pool; any of its threads
    may have started them)."""
    children = []
    for task in glob.glob(f"/proc/{pid}/task/*/children"):
        try:
            children += open(task).read().split()
        except OSError:
            pass
    workers = 0
    for child in children:
        try:
            workers += b"spawn_main" in open(f"/proc/{child}/cmdline", "rb").read()
        except OSError:
            pass
    return workers >= n


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """One tiny trained run, copied for each case."""
    where = tmp_path_factory.mktemp("tiny")
    result = subprocess.run(command(["train", "--out", where / "run", *TINY]), cwd=where,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return where / "run"


def fill(value, tmp, run):
    return str(value).replace("{run}", str(run)).replace("{tmp}", str(tmp))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_a_failure_is_one_line_with_its_exit_code_and_nothing_is_lost(case, tiny_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(tiny_run, run)
    if case.get("prepare"):
        case["prepare"](str(tmp_path), str(run))
    before = digest(run)
    args = [fill(a, tmp_path, run) for a in case["args"]]
    inject = fill(case["inject"], tmp_path, run) if case.get("inject") else None
    env = {**os.environ, **case.get("env", {})}
    timeout = case.get("timeout", 180)
    if "signal" not in case:
        try:
            result = subprocess.run(command(args, inject), cwd=tmp_path, env=env, capture_output=True,
                                    text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"no answer in {timeout} s (nothing refused it)")
        code, out, err = result.returncode, result.stdout, result.stderr
    else:
        proc = subprocess.Popen(command(args, inject), cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        ready = case["ready"] or (lambda tmp: workers_started(proc.pid))
        deadline = time.time() + timeout
        while not ready(str(tmp_path)):
            assert proc.poll() is None and time.time() < deadline, proc.communicate()
            time.sleep(0.2)
        if case.get("group"):
            time.sleep(3)                     # the workers are computing
        if case.get("group") == "another thread":
            signal_group_through_another_thread(proc.pid, case["signal"])
        elif case.get("group"):
            os.killpg(proc.pid, case["signal"])   # as a terminal's Ctrl-C: the whole group
        else:
            proc.send_signal(case["signal"])
        # heeded at once, not after the work in hand (a lost signal used to end it minutes later)
        try:
            out, err = proc.communicate(timeout=HEEDED_WITHIN)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)             # leave nothing behind
            out, err = proc.communicate()
            pytest.fail(f"still running {HEEDED_WITHIN} s after the signal: {err[-2000:]}")
        code = proc.returncode
    assert "Traceback" not in out + err, err[-3000:]
    assert code == case["code"], (code, err[-3000:])
    line = failure_line(err) if code else [l for l in out.splitlines() if l.startswith("verdict")][0]
    assert line.startswith("minirgan" if code else "verdict"), line
    for phrase in case["says"]:
        assert fill(phrase, tmp_path, run) in line, (phrase, line)
    case["after"](str(tmp_path), str(run), before)


# ---------------------------------------------------------------- the tables agree

def documented_exit_codes():
    """{code: meaning} of the table under "## Exit codes" in docs/what_happens_when.md."""
    text = open(DOCS).read()
    section = text.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| \*\*(\d+)\*\* \| (.+?) \|$", section, flags=re.M)
    return {int(code): meaning for code, meaning in rows}


def test_the_documented_exit_codes_are_the_codes_the_command_line_uses():
    assert documented_exit_codes() == EXIT_CODES


def test_every_exit_code_the_table_cases_expect_is_documented():
    assert {c["code"] for c in CASES} <= set(EXIT_CODES)
