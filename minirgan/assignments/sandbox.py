"""Run a student's file in a fresh interpreter with limits, and read back what it sent.

The child (``child.py``) runs in a new ``sys.executable -I`` process (isolated mode: no user site,
no ``PYTHON*`` variables, no current folder on ``sys.path``), with a clean environment, its working
directory a new temporary folder holding a copy of the student's file and the inputs, and
stdout/stderr captured to a file. Limits: a wall-clock timeout (the whole process group is
killed), and on Linux ``resource.setrlimit`` in ``preexec_fn`` for address space (memory), CPU
seconds, the size of any file it writes, and no core dumps.

The answers come back as ``.npz`` files read with ``allow_pickle=False``, after checking that each
is a regular file of bounded size (uncompressed, too), so a hostile child can send wrong values
but cannot run code in the grader or make it read gigabytes.
"""

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..array_headers import check_array_file
from ..atomic import write_json
from .child import STRUCTURE, decode

try:
    import resource
except ImportError:               # not on Windows: no memory limit there, the timeout still holds
    resource = None

CHILD = Path(__file__).with_name("child.py")
ROOT = Path(__file__).resolve().parents[2]      # the folder holding this minirgan package
MAX_ANSWER_BYTES = 64 * 2**20
MAX_SHOWN = 3000


@dataclass
class Limits:
    """What one submission may use: wall-clock seconds and memory in MB."""
    timeout: float = 60.0
    memory_mb: int = 2048


@dataclass
class ChildRun:
    """What came back from one child process.

    imported:  the decoded ``import.npz`` (None if the child never got that far);
    answers:   per check, the decoded ``out_<i>.npz``, or None when missing;
    unreadable: per check, why an answer that exists could not be read ('' when fine);
    ending:    "timeout", "exit code N" or "signal NAME";
    output:    the child's stdout and stderr, truncated.
    """
    imported: object
    answers: list
    unreadable: list
    ending: str
    output: str
    seconds: float
    limits: Limits = field(default_factory=Limits)


def _set_limits(limits):
    """The ``preexec_fn``: runs in the child between fork and exec. It only calls setrlimit (no
    imports, no locks), which keeps it safe while ``batch`` runs several graders in threads."""
    memory = int(limits.memory_mb) * 2**20
    cpu = int(limits.timeout) + 2

    def apply():
        for kind, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, cpu),
                            (resource.RLIMIT_FSIZE, MAX_ANSWER_BYTES), (resource.RLIMIT_CORE, 0)):
            try:
                resource.setrlimit(kind, (value, value))
            except (ValueError, OSError):
                pass                   # a hard limit already lower: keep it
    return apply


def _environment(folder):
    """A clean environment: nothing of the grader's but the path to the interpreter's tools."""
    return {"PATH": os.defpath, "HOME": folder, "TMPDIR": folder, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "MPLBACKEND": "Agg", "NUMBA_CACHE_DIR": os.path.join(folder, ".numba")}


def read_answer(path):
    """The value a child wrote to ``path`` (None if it is not there); ValueError if unreadable."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ANSWER_BYTES:
        raise ValueError("not a regular file of a sensible size")
    try:
        with zipfile.ZipFile(path) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_ANSWER_BYTES:
                raise ValueError("too large")
        check_array_file(path)          # each header against its member's size, before np.load
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
        return decode(str(arrays.pop(STRUCTURE)[()]), arrays)
    except ValueError:
        raise
    except Exception as err:        # a malformed zip, missing keys, bad JSON: one reason
        raise ValueError(f"{type(err).__name__}: {err}") from None


def _shown(path):
    """The captured output: its start and end when long."""
    with open(path, "rb") as f:
        data = f.read(MAX_SHOWN + 1)
        size = os.fstat(f.fileno()).st_size
        tail = b""
        if size > MAX_SHOWN:
            f.seek(max(size - 500, MAX_SHOWN))
            tail = f.read()
    text = data[:MAX_SHOWN].decode("utf-8", "replace")
    if size > MAX_SHOWN:
        text += f"\n… ({size - MAX_SHOWN - len(tail)} bytes left out) …\n" + tail.decode("utf-8", "replace")
    return text


def run_child(name, student_file, problems, targets, limits):
    """Run the student's ``student_file`` against ``problems`` (a list of checks.Problem) in a
    fresh interpreter; a :class:`ChildRun`. Never raises for anything the child does."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="minirgan-grade-", ignore_cleanup_errors=True) as folder:
        student = os.path.join(folder, f"{name}.py")
        shutil.copyfile(student_file, student)
        for i, problem in enumerate(problems):
            np.savez(os.path.join(folder, f"in_{i}.npz"), **problem.data)
        manifest = os.path.join(folder, "manifest.json")
        write_json(manifest, {"name": name, "student": student, "targets": targets,
                              "memory_mb": limits.memory_mb, "checks": [p.spec for p in problems]})
        boot = (f"import sys; sys.path[:] = [{str(ROOT)!r}] + [p for p in sys.path if p]; "
                f"sys.argv = ['minirgan-child', {manifest!r}]; import runpy; "
                f"runpy.run_path({str(CHILD)!r}, run_name='__minirgan_child__')")
        with open(os.path.join(folder, "output.txt"), "wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-I", "-c", boot], cwd=folder, env=_environment(folder),
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                preexec_fn=_set_limits(limits) if resource is not None and sys.platform.startswith("linux") else None)
            try:
                ending = _ending(process.wait(timeout=limits.timeout))
            except subprocess.TimeoutExpired:
                ending = "timeout"
            finally:
                _kill_group(process)
        answers, unreadable = [], []
        for i in range(len(problems)):
            try:
                answers.append(read_answer(os.path.join(folder, f"out_{i}.npz")))
                unreadable.append("")
            except ValueError as err:
                answers.append(None)
                unreadable.append(str(err))
        try:
            imported = read_answer(os.path.join(folder, "import.npz"))
        except ValueError:
            imported = None
        return ChildRun(imported, answers, unreadable, ending, _shown(os.path.join(folder, "output.txt")),
                        time.monotonic() - started, limits)


def _ending(code):
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def _kill_group(process):
    """Kill whatever is left of the child's process group (it may have started others)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        pass
    process.wait()
