"""``python -m minirgan`` runs the command line (``minirgan.cli.entry``)."""

from .cli import entry

entry()
