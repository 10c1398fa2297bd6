"""Check what a ``.npy`` or ``.npz`` file claims before NumPy allocates it (issue 23, rule 4).

An array file starts with a header (shape, dtype); ``np.load`` allocates what the header says
and only then reads the data, so a 1 kB file whose header claims 10¹² elements asks for
7 TiB, and a 3 MB compressed ``.npz`` member of zeros unpacks to 3 GB. :func:`check_array_file`
reads the headers only and refuses, before any allocation:

* an entry whose header claims more bytes than the file (or zip member) holds: damaged or
  forged (a ValueError naming the file and the entry; for a zip member the size compared is
  the one its zip directory declares, which ``zipfile`` checks while reading);
* a compressed member that would unpack to more than :data:`MAX_RATIO` times its compressed
  size once it is larger than :data:`SMALL` (real data compresses a few times, not a thousand);
* arrays that together exceed the memory budget (``minirgan.memory_budget``):
  NotEnoughMemory, exit code 3.

Every reader of array files calls it first (checkpoint.npz, data.npz, best.npz, a user's
``.npy`` or ``.npz`` data and ``.npy`` labels):
``check_array_file(path)``, then ``np.load(path, allow_pickle=False)`` as before. A run's own
files (checkpoint.npz, data.npz, best.npz) call :func:`check_or_refuse` with their reader's
one-line error, so one message (with that file's advice) says "damaged or forged".
"""

import os
import zipfile
import zlib

import numpy as np

from .memory_budget import check_fits, format_bytes

# Everything np.load (and reading an .npz's members) raises on a damaged or foreign file: every
# reader catches these and says so in one line, never a traceback.
LOAD_ERRORS = (OSError, ValueError, EOFError, KeyError, TypeError, zipfile.BadZipFile, zlib.error)


class ArrayHeaderError(ValueError):
    """An array file whose header cannot be believed; ``detail`` says why without the path."""

    def __init__(self, path, detail):
        super().__init__(f"{path}: {detail}")
        self.path, self.detail = path, detail


MAX_RATIO = 200          # the largest uncompressed / compressed size of a member taken as data
SMALL = 64 * 2 ** 20     # members up to this size are not held to MAX_RATIO (64 MiB)


def _header(f, path, where):
    """(header length in bytes, data bytes the header claims, shape, dtype) of the .npy stream
    ``f`` of the file ``path``; ``where`` names the entry ("" for a .npy file)."""
    try:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f, max_header_size=100000)
        else:
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(f, max_header_size=100000)
    except (ValueError, EOFError, OSError) as err:
        raise ArrayHeaderError(path, f"{where}not a readable .npy array header ({err})") from None
    count = 1
    for n in shape:
        count *= int(n)
    return f.tell(), count * dtype.itemsize, shape, dtype


def _claims(where, shape, dtype, nbytes):
    return f"{where or 'its header '}claims shape {tuple(shape)} of {dtype} ({format_bytes(nbytes)})"


def check_array_file(path):
    """Check every array header of the .npy or .npz file at ``path`` against the file's size
    and the memory budget (see the module); returns the total bytes the arrays take.

    ArrayHeaderError (a ValueError) for a header that claims more than the file holds or an
    implausible compression; NotEnoughMemory when the arrays exceed the budget. A file that is not an
    array file at all is left to ``np.load`` (which says so)."""
    path = os.fspath(path)
    with open(path, "rb") as f:
        magic = f.read(6)
    if magic == b"\x93NUMPY":
        with open(path, "rb") as f:
            offset, nbytes, shape, dtype = _header(f, path, "")
        held = os.path.getsize(path) - offset
        if nbytes > held:
            raise ArrayHeaderError(path, f"{_claims('', shape, dtype, nbytes)} but the file holds "
                                   f"{format_bytes(held)}: it is damaged or truncated")
        total = nbytes
    elif magic[:4] == b"PK\x03\x04":
        total = _check_members(path)
    else:
        return 0
    check_fits(f"the arrays in {path}", total, "this file is too large to read on this machine "
               "(or its header is forged)")
    return total


def check_or_refuse(path, unreadable):
    """:func:`check_array_file` of ``path``, a header it refuses raised as
    ``unreadable(path, "damaged or forged (why)")``: the reader's own exception (one line with
    its advice, the same it raises when ``np.load`` fails). Returns the total bytes."""
    try:
        return check_array_file(path)
    except ArrayHeaderError as err:
        raise unreadable(path, f"damaged or forged ({err.detail})") from None


def _check_members(path):
    total = 0
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0                                           # np.load reports it
    with archive:
        for info in archive.infolist():
            if not info.filename.endswith(".npy"):
                continue
            where = f"entry {info.filename[:-4]} "
            try:
                with archive.open(info) as member:
                    offset, nbytes, shape, dtype = _header(member, path, where)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as err:
                raise ArrayHeaderError(path, f"{where}cannot be read ({err})") from None
            held = info.file_size - offset
            if nbytes > held:
                raise ArrayHeaderError(path, f"{_claims(where, shape, dtype, nbytes)} but holds "
                                       f"{format_bytes(max(held, 0))}: damaged or forged")
            if info.compress_type != zipfile.ZIP_STORED and info.file_size > SMALL \
                    and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise ArrayHeaderError(path, f"{where}unpacks {format_bytes(info.compress_size)} into "
                                       f"{format_bytes(info.file_size)} (more than {MAX_RATIO} "
                                       "times): refused as a decompression bomb")
            total += nbytes
    return total
