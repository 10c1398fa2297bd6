"""No command writes over an input of its run (issue 23, rule 3): ``train --out`` over the data
file it reads, ``sample -o`` over the run's data source, its checkpoint or any other run file.
"""

import os

from .errors import UserError


def same_file(a, b):
    """True if paths ``a`` and ``b`` name one file (the same path, or links to one file)."""
    a, b = os.fspath(a), os.fspath(b)
    if os.path.exists(a) and os.path.exists(b):
        return os.path.samefile(a, b)
    return os.path.realpath(a) == os.path.realpath(b)


def refuse_overwriting_inputs(inputs, outputs, what):
    """Raise UserError if one of ``outputs`` (paths to be written) is one of ``inputs`` (paths
    read); ``what`` names the command and option writing (e.g. "sample -o")."""
    for out in outputs:
        for source in inputs:
            if same_file(out, source):
                raise UserError(f"{what} would write over {out}, which this run reads ({source}): "
                                "choose another file or folder")
