"""Every file minirgan writes is replaced atomically: written to a temporary name in the same
folder, flushed, fsync'd and renamed over the target (issue 23, rule 3).

A reader (or a process started after a crash) sees either the previous complete file or the new
complete one, never a half-written one: ``os.replace`` is atomic within a file system, which is
why the temporary file lives in the target's own folder. A write that fails (an exception,
Ctrl-C) removes its temporary file; a process killed outright (SIGKILL, power loss) leaves one
behind under a name :func:`is_temporary` recognises, which the next command holding the run
folder's lock removes (``minirgan.run_lock``).

* :func:`atomic_path` — a temporary path to write by any means (``np.lib.format.open_memmap``,
  ``np.savez``), swapped in on success.
* :func:`atomic_open` — the same, as an open file object (text or binary).
* :func:`write_json` — a JSON file (UTF-8, ending in a newline): every JSON file minirgan
  writes goes through it.
"""

import contextlib
import json
import os
import uuid

TEMP_MARK = ".tmp-"          # ".NAME.tmp-<pid>-<random>.EXT": a write in progress (or a killed one)


def temporary_name(path):
    """A fresh temporary path beside ``path``: hidden, naming the file, the pid and a random part,
    ending in the file's own extension (writers that choose a format by it still do)."""
    folder, name = os.path.split(os.path.abspath(path))
    ext = os.path.splitext(name)[1]
    return os.path.join(folder, f".{name}{TEMP_MARK}{os.getpid()}-{uuid.uuid4().hex[:8]}{ext}")


def is_temporary(name):
    """True if the file name ``name`` is one of :func:`temporary_name`'s."""
    return name.startswith(".") and TEMP_MARK in name


def _fsync_path(path, flags=os.O_RDONLY):
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder):
    """Make a rename in ``folder`` durable (where the OS allows a folder to be fsync'd)."""
    try:
        _fsync_path(folder)
    except OSError:          # e.g. a file system that cannot fsync folders: the rename still holds
        pass


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path beside ``path``; when the block ends normally, fsync that file and
    rename it to ``path`` (then fsync the folder). If the block raises (or is interrupted), the
    temporary file is removed and ``path`` is left as it was."""
    tmp = temporary_name(path)
    try:
        yield tmp
        _fsync_path(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        raise
    fsync_folder(os.path.dirname(os.path.abspath(path)))


@contextlib.contextmanager
def atomic_open(path, mode="w", **kwargs):
    """``open(path, mode)`` for writing ("w", "wb"; ``kwargs`` as for open), atomically: the file
    object writes a temporary file that replaces ``path`` when the block ends normally."""
    if not mode.startswith("w"):
        raise ValueError(f"atomic_open writes whole files (mode 'w' or 'wb'), got {mode!r}")
    with atomic_path(path) as tmp:
        with open(tmp, mode, **kwargs) as f:
            yield f
            f.flush()


def write_json(path, obj, **dump_kwargs):
    """Write ``obj`` as JSON (``json.dump(obj, f, **dump_kwargs)``, then a newline) to ``path``
    atomically, in UTF-8."""
    with atomic_open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, **dump_kwargs)
        f.write("\n")
