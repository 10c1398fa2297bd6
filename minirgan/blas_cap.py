"""A cap on the threads of every BLAS in the process, for the length of a ``with`` block.

``train`` runs inside ``capped_blas(config.blas_threads)`` and ``evaluate_run`` inside
``capped_blas(1)``: their products are small, and more BLAS threads gain nothing at those sizes
while losing a lot when a thread waits for a busy core (docs/performance.md). The cap is
threadpoolctl's: it sets the thread count of each BLAS library loaded in the process and
restores the counts it found when the block ends.

This module is not part of ``minirgan.kernels``, so that importing ``train`` or ``evaluate``
does not load numba or make the kernels' process settings (``import minirgan`` changes
nothing; the settings come with the first use of the kernels, ``kernels/__init__.py``).
"""

import sys
from contextlib import contextmanager

from .validation import check_count


@contextmanager
def capped_blas(n):
    """A ``with`` block in which every BLAS uses ``n`` threads; leaving it restores the thread
    counts found on entering it. n: a positive integer.

    One exception: when the kernels are first used inside the block, their setting (one thread
    for every BLAS, ``kernels/blas_threads.py``) would be undone by that restore, which puts
    back what was found before them; so it is made again on leaving.
    """
    from threadpoolctl import threadpool_limits

    n = check_count("n", n)
    kernels_in_use = "minirgan.kernels" in sys.modules
    try:
        with threadpool_limits(limits=n, user_api="blas"):
            yield
    finally:
        if not kernels_in_use and "minirgan.kernels" in sys.modules:
            from .kernels.blas_threads import pin_blas_threads
            pin_blas_threads()
