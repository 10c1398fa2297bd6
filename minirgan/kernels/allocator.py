"""Keep freed memory in the process instead of handing it back to the OS (glibc only).

Every forward pass allocates fresh arrays of a few hundred kB to a few MB (the
hidden states and gates that the backward pass needs). glibc's default returns
such blocks to the OS when they are freed and takes them back, one page fault per
4 kB page, at the next call. On the 2-core virtual machine this package is developed
on a page fault costs about 1.6 µs: a GRU or LSTM forward at (N, T, D, H) =
(128, 24, 5, 24) spent more time faulting pages in (about 1.6 ms) than computing
(0.8 ms). Raising glibc's trim and mmap thresholds (what the environment variables
MALLOC_TRIM_THRESHOLD_ and MALLOC_MMAP_THRESHOLD_ do) makes those pages stay.

The cost: a process keeps up to ``TRIM_BYTES`` of freed memory for reuse. This is
process-wide and also speeds up NumPy and anything else in the process. Set the
environment variable MINIRGAN_KEEP_FREED_MEMORY=0 before importing to skip it.
"""

import ctypes
import os
import sys

TRIM_BYTES = 256 << 20        # freed memory kept before glibc returns any to the OS
MMAP_BYTES = 64 << 20         # blocks below this come from the reusable heap
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3    # mallopt parameter numbers (malloc.h)


def keep_freed_memory():
    """Apply the thresholds; True if applied (Linux with glibc, not opted out)."""
    if os.environ.get("MINIRGAN_KEEP_FREED_MEMORY", "1") == "0" or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_BYTES) and libc.mallopt(_M_TRIM_THRESHOLD, TRIM_BYTES))
    except (OSError, AttributeError):          # not glibc (musl, macOS): nothing to do
        return False
