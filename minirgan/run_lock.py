"""One writer per run folder (issue 23, rule 2): a lock held for the life of every command that
writes a run folder (``train``, ``train --resume``, ``evaluate``, ``sample`` into the folder).

The lock is ``fcntl.flock`` on the file ``RUN_DIR/run.lock``, which holds the holder's pid, host,
command and start time so that a refusal can name it. The kernel releases a flock when its
holder exits, however it exits (SIGKILL included), so a lock file left by a dead process is
stale by construction: the next command takes the lock and writes its own name in it. While
holding the lock, nobody else writes the folder, so any temporary file found there
(``minirgan.atomic``) was left by a killed writer and is removed.

(flock works on local file systems; on a network file system that does not support it the
lock cannot be taken and the command refuses with the OS's reason.)
"""

import contextlib
import fcntl
import os
import socket
import time

from .atomic import is_temporary
from .errors import UserError

LOCK_NAME = "run.lock"
_HELD = {}      # real path of a run folder -> how many blocks of this process hold its lock


class RunFolderBusy(UserError):
    """Another process holds the run folder's lock; the message names it."""


def _holder(fd):
    """The text the current holder wrote in the lock file (one line), or a placeholder."""
    try:
        text = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return text or "another process (it has not written its name yet)"


def remove_stale_temporaries(run_dir):
    """Remove the temporary files a killed writer left in ``run_dir`` (call with the lock held)."""
    for name in os.listdir(run_dir):
        if is_temporary(name):
            with contextlib.suppress(FileNotFoundError):
                os.remove(os.path.join(run_dir, name))


@contextlib.contextmanager
def run_folder_lock(run_dir, command):
    """Hold the lock of the existing folder ``run_dir`` for the block, as ``command`` (a few
    words, e.g. "minirgan train"); raise RunFolderBusy naming the holder if another process has it.
    A process already holding the lock may take it again (a sweep's task holds it around the
    ``train`` and ``evaluate`` it calls); it is released when the outermost block ends."""
    path = os.path.join(run_dir, LOCK_NAME)
    key = os.path.realpath(run_dir)
    if _HELD.get(key):
        _HELD[key] += 1
        try:
            yield path
        finally:
            _HELD[key] -= 1
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunFolderBusy(f"{run_dir} is in use by {_holder(fd)}: wait for it to finish, or "
                                f"stop that process (its lock is released when it exits)") from None
        os.ftruncate(fd, 0)
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()} ({command}, since {stamp})\n"
                  .encode(), 0)
        remove_stale_temporaries(run_dir)
        _HELD[key] = 1
        try:
            yield path
        finally:
            del _HELD[key]
            os.ftruncate(fd, 0)            # released: no holder to name
    finally:
        os.close(fd)                       # closing the descriptor releases the flock

