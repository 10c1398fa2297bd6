"""One BLAS thread, set on the first use of the kernels, for every BLAS in the process.

numba's ``np.dot`` calls SciPy's BLAS (a thread pool of its own, separate from
NumPy's). Each time step makes a few small products; with two threads, OpenBLAS
synchronises them at every call, and on a shared 2-core machine a waiting thread
often spins while its partner is descheduled. Measured on this machine under load:
a GRU forward+backward at (N, T, D, H) = (128, 24, 5, 24) took 10 ms with two
threads against 1.7–2 ms with one; at (64, 28, 28, 128), 250–420 ms against 36–90 ms.

NumPy's BLAS does the products before and after the time loops (input projections, weight
gradients, the dense layers). At a training step's sizes those are small too, and a second
pool of spinning threads slows the whole step: tutorial 06's own ``train_step`` loop, which
runs outside the cap of ``minirgan train``, made 4.1 steps/s against the CLI's 43.5 on the
same configuration (2 shared cores, load 2–4; issue 22 §5), and 26.5 with every BLAS at one
thread. So that every caller of the kernels gets the fast setting — the CLI, a notebook's
own loop, a script — the first use of the kernels (importing ``minirgan.kernels``) sets
every BLAS loaded in the process, SciPy's and NumPy's, to ``KERNEL_BLAS_THREADS`` threads
(``pin_blas_threads``). It is not undone: it is a process setting like the allocator's.
A caller who wants more threads for its own large products asks for them afterwards
(``threadpoolctl.threadpool_limits(n, "blas")``, or ``minirgan train --blas-threads n``,
which sets n for the run and restores the pin after it; ``minirgan/blas_cap.py``).
``limit_loop_blas_threads(n)`` changes SciPy's BLAS only (the loops'). Where a BLAS cannot
be controlled (e.g. Apple's Accelerate) this is a no-op.
"""

import os

from ..validation import check_count

KERNEL_BLAS_THREADS = 1      # every BLAS's threads once the kernels are in use (see above)


def scipy_blas_controllers():
    """threadpoolctl controllers of the BLAS libraries shipped inside SciPy (what numba calls)."""
    import scipy
    import scipy.linalg.cython_blas  # noqa: F401  (loads SciPy's BLAS so it can be found)
    from threadpoolctl import ThreadpoolController

    scipy_root = os.path.dirname(os.path.realpath(scipy.__file__))   # .../scipy, .../scipy.libs
    return [lib for lib in ThreadpoolController().lib_controllers
            if lib.user_api == "blas" and os.path.realpath(lib.filepath).startswith(scipy_root)]


def limit_loop_blas_threads(n=1):
    """Let SciPy's BLAS (the one inside the numba time loops) use ``n`` threads; returns n."""
    n = check_count("n", n)
    for lib in scipy_blas_controllers():
        lib.set_num_threads(n)
    return n


def pin_blas_threads():
    """The kernels' process setting: every BLAS loaded (NumPy's, and SciPy's, loaded here if it
    is not yet) at ``KERNEL_BLAS_THREADS`` threads; returns that count."""
    from threadpoolctl import threadpool_limits

    limit_loop_blas_threads(KERNEL_BLAS_THREADS)      # loads SciPy's BLAS, then sets it ...
    threadpool_limits(limits=KERNEL_BLAS_THREADS, user_api="blas")   # ... and all the others
    return KERNEL_BLAS_THREADS
