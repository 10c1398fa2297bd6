"""The ``minirgan`` command line: one subcommand per module in ``minirgan/commands``.

Each command module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int``. Errors the user can fix (bad data, bad paths) are raised as
``minirgan.errors.UserError`` (or ValueError, FileNotFoundError) and printed as one clear
line, without a traceback. The commands import the library, never this module.
"""

import argparse
import importlib
import sys

from .errors import UserError

# Command modules under minirgan/commands, in the order `minirgan --help` lists them.
COMMANDS = ["gradcheck", "train", "sample", "evaluate", "sweep", "assignment"]


def build_parser():
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


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (UserError, ValueError, FileNotFoundError) as err:
        print(f"minirgan {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:                 # Ctrl-C outside training's own handling
        print(f"minirgan {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
