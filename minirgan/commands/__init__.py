"""Subcommands of the ``minirgan`` command line, one module each (see ``minirgan.cli``)."""
