"""Errors a user can fix, shared by the library and the command line.

``UserError`` lives here, below every module that raises it, so the commands import it from
the library and nothing in the library reaches up into ``minirgan.cli`` or
``minirgan/commands``. The CLI prints it (and ValueError, FileNotFoundError) as one line,
without a traceback.
"""


class UserError(Exception):
    """An error in what the user asked for (an argument, a path), reported without a traceback."""


class NonFiniteError(ValueError):
    """An array that must be finite holds NaN or inf (raised by ``validation.check_finite``). In
    training it means the run has diverged, and the loop reports it as ``TrainingDiverged``."""
