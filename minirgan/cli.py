"""The ``minirgan`` command line: one subcommand per module in ``minirgan/commands``.

Each command module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int``. The commands import the library, never this module, and raise what goes
wrong; :func:`main` is the one boundary that turns every failure into one line on stderr and
an exit code of ``minirgan.errors.EXIT_CODES`` (:func:`failure`): a user's mistake (UserError,
ValueError, a missing file), an OS error by its errno (no space, permission, a folder, a file
that exists), running out of memory, Ctrl-C (also during the imports) and SIGTERM. Only a bug
(any other exception) prints a traceback.

This module imports nothing heavy at the top: ``minirgan/__init__`` loads the library lazily,
so the imports that take time happen inside :func:`main`, where Ctrl-C is caught.
"""

import errno
import os
import signal
import sys
import traceback

from .errors import (BUG, DIVERGED, INTERRUPTED, MEMORY, NO_SPACE, OS_ERROR, PERMISSION, TERMINATED,
                     USAGE, NotEnoughMemory, Terminated, UserError)

# Command modules under minirgan/commands, in the order `minirgan --help` lists them.
COMMANDS = ["gradcheck", "train", "sample", "evaluate", "sweep", "assignment"]

# errno -> (exit code, what the line says after the file's name)
OS_ERRORS = {
    errno.ENOSPC: (NO_SPACE, "no space left on the device: free some space or write elsewhere, "
                             "then run the command again"),
    errno.EDQUOT: (NO_SPACE, "the disk quota is full: free some space or write elsewhere"),
    errno.EACCES: (PERMISSION, "permission denied: make it writable (or readable), or choose "
                               "another path"),
    errno.EPERM: (PERMISSION, "operation not permitted: choose another path"),
    errno.EROFS: (PERMISSION, "the file system is read-only: choose another path"),
    errno.EISDIR: (USAGE, "is a folder, not a file: name a file"),
    errno.ENOTDIR: (USAGE, "a part of this path is a file, not a folder"),
    errno.EEXIST: (USAGE, "already exists: choose another name, or remove it first"),
    errno.ENOENT: (USAGE, "no such file or folder"),
    errno.ENAMETOOLONG: (USAGE, "the name is too long"),
}


def build_parser():
    import argparse
    import importlib

    parser = argparse.ArgumentParser(
        prog="minirgan",
        description="Recurrent GANs from scratch in NumPy: gradient checks, training, sampling, evaluation.")
    from . import __version__
    parser.add_argument("--version", action="version", version=f"minirgan {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        module = importlib.import_module(f"minirgan.commands.{name}")
        cmd = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(cmd)
        cmd.set_defaults(run=module.run)
    return parser


def _os_error(err):
    """The first OSError with an errno in ``err``'s chain of causes (a failed clean-up, or an
    error raised while handling it, can hide the ENOSPC that caused it), or None."""
    seen = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        if isinstance(err, OSError) and err.errno is not None:
            return err
        err = err.__cause__ if err.__cause__ is not None else (
            None if err.__suppress_context__ else err.__context__)
    return None


def failure(err):
    """(exit code, one line) for an exception that ended a command; (BUG, line) for a bug."""
    # training's own exceptions; no import here (a Ctrl-C during the imports ends up here)
    guards = sys.modules.get("minirgan.guards")
    TrainingDiverged, TrainingInterrupted = ((guards.TrainingDiverged, guards.TrainingInterrupted)
                                             if guards else ((), ()))
    if isinstance(err, TrainingInterrupted):               # its message says what was saved where
        code = TERMINATED if err.signum == signal.SIGTERM else INTERRUPTED
        out = os.path.dirname(err.checkpoint) or "."
        return code, f"{err}; resume with: minirgan train --out {out} --resume"
    if isinstance(err, Terminated):
        return TERMINATED, "terminated (SIGTERM)"
    if isinstance(err, KeyboardInterrupt):
        return INTERRUPTED, "interrupted"
    if isinstance(err, TrainingDiverged):
        return DIVERGED, str(err)
    if isinstance(err, NotEnoughMemory):
        return MEMORY, str(err)
    if isinstance(err, MemoryError):
        what = f" ({err})" if str(err) else ""
        return MEMORY, (f"out of memory{what}: ask for less (-n, --length, --batch, --hidden, "
                        "--n-data) or free some memory")
    oserror = _os_error(err)
    if oserror is not None:
        code, what = OS_ERRORS.get(oserror.errno, (OS_ERROR, oserror.strerror or str(oserror)))
        # the OS error itself, or a resource (space, permission, ...) behind another error;
        # a path mistake behind the library's own message keeps that message (below)
        if oserror is err or code != USAGE:
            name = oserror.filename if oserror.filename is not None else "a file"
            return code, f"{name}: {what}"
    if isinstance(err, (UserError, ValueError, FileNotFoundError)):
        return USAGE, str(err)
    return BUG, f"internal error ({type(err).__name__}: {err}); this is a bug, please report it"


def _raise_terminated(signum, frame):
    raise Terminated


def main(argv=None):
    """Run the command line; returns the exit code (see ``minirgan.errors.EXIT_CODES``)."""
    prefix = "minirgan"
    try:
        if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _raise_terminated)     # SIGTERM unwinds like Ctrl-C
        args = build_parser().parse_args(argv)
        prefix = f"minirgan {args.command}"
        return args.run(args)
    except SystemExit:                        # argparse: --help, --version, a usage error (2)
        raise
    except BaseException as err:              # noqa: B036 -- the one boundary of the program
        code, line = failure(err)
        if code == BUG:
            traceback.print_exc()
        print(f"{prefix}: error: {line}" if code in (USAGE, MEMORY, NO_SPACE, PERMISSION, OS_ERROR)
              else f"{prefix}: {line}", file=sys.stderr)
        return code


def entry():
    """The console script and ``python -m minirgan``: exits with :func:`main`'s code."""
    sys.exit(main())


if __name__ == "__main__":
    entry()
