"""The commands' count options (``-n``, ``--length``, ``--repeats``, ``--workers``, ``--jobs``).

Each one given is checked by ``validation.check_count``, the library's one check of a count, so
``minirgan sweep --workers 0`` says ``--workers must be a positive integer, got 0`` as
``minirgan train --hidden 0`` does: a ValueError, which the CLI's boundary turns into one line
and exit code 2.
"""

from ..validation import check_count


def check_counts(*options):
    """Check each ``(flag, value)`` or ``(flag, value, minimum)`` whose value was given (not None)."""
    for flag, value, *minimum in options:
        if value is not None:
            check_count(flag, value, *minimum)
