"""Errors a user can fix, shared by the library and the command line, and the exit codes.

``UserError`` lives here, below every module that raises it, so the commands import it from
the library and nothing in the library reaches up into ``minirgan.cli`` or
``minirgan/commands``. The CLI's top level (``minirgan.cli.main``) turns every kind of failure
into one line on stderr and one of the exit codes of :data:`EXIT_CODES`; the table in
``docs/what_happens_when.md`` is this dict (``tests/test_failures.py`` compares them).
"""

# Every exit code of the ``minirgan`` command, and what it means (docs/what_happens_when.md).
EXIT_CODES = {
    0: "done",
    1: "training diverged (NaN or inf, or losses that stay above what a sane run reaches); "
       "the last good checkpoint is kept. For gradcheck and assignment check: a check failed",
    2: "a problem with what was asked or with the data: an option, a path (missing, a folder, "
       "already there), a damaged or foreign file",
    3: "not enough memory: refused before allocating (the message gives the estimate), or "
       "the system ran out",
    4: "no space left on the device (or the disk quota is full)",
    5: "permission denied (a read-only file, folder or file system)",
    6: "another error of the operating system (the message gives it)",
    70: "an internal error (a bug in minirgan): the traceback is printed, please report it",
    130: "interrupted (Ctrl-C, SIGINT); training checkpoints its last completed step first",
    143: "terminated (SIGTERM); training checkpoints its last completed step first",
}
OK, DIVERGED, USAGE, MEMORY, NO_SPACE, PERMISSION, OS_ERROR, BUG, INTERRUPTED, TERMINATED = EXIT_CODES


class UserError(Exception):
    """An error in what the user asked for (an argument, a path), reported without a traceback."""


class NotEnoughMemory(UserError):
    """An array (read from a file's header, or implied by options) would not fit in the memory
    budget (``minirgan.memory_budget``); the message gives the estimate. Exit code 3."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C's KeyboardInterrupt (so every clean-up that runs on Ctrl-C
    runs on it too) while the command line runs. Exit code 143."""


class NonFiniteError(ValueError):
    """An array that must be finite holds NaN or inf (raised by ``validation.check_finite``). In
    training it means the run has diverged, and the loop reports it as ``TrainingDiverged``."""
