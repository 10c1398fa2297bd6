"""One thread for the BLAS calls inside the compiled time loops.

numba's ``np.dot`` calls SciPy's BLAS (a thread pool of its own, separate from
NumPy's). Each time step makes a few small products; with two threads, OpenBLAS
synchronises them at every call, and on a shared 2-core machine a waiting thread
often spins while its partner is descheduled. Measured on this machine under load:
a GRU forward+backward at (N, T, D, H) = (128, 24, 5, 24) took 10 ms with two
threads against 1.7–2 ms with one; at (64, 28, 28, 128), 250–420 ms against 36–90 ms.
So the kernels pin SciPy's BLAS to one thread (``limit_loop_blas_threads``). NumPy's
BLAS, which does the few large products before and after the time loop, keeps its
threads here (``minirgan train`` caps every BLAS with ``--blas-threads``, default 1).
Only SciPy's own BLAS library is touched; where it cannot be controlled (e.g. Apple's
Accelerate) this is a no-op.
"""

import os

from ..validation import check_count


def scipy_blas_controllers():
    """threadpoolctl controllers of the BLAS libraries shipped inside SciPy (what numba calls)."""
    import scipy
    import scipy.linalg.cython_blas  # noqa: F401  (loads SciPy's BLAS so it can be found)
    from threadpoolctl import ThreadpoolController

    scipy_root = os.path.dirname(os.path.realpath(scipy.__file__))   # .../scipy, .../scipy.libs
    return [lib for lib in ThreadpoolController().lib_controllers
            if lib.user_api == "blas" and os.path.realpath(lib.filepath).startswith(scipy_root)]


def capped_blas(n):
    """A ``with`` block in which every BLAS uses at most ``n`` threads (threadpoolctl's cap).

    Leaving the block restores the thread counts found on entering it. Importing this module
    pins the loop BLAS first (the package's ``__init__``), so what is restored is the pin, not
    SciPy's default, even when the kernels are first used inside the block.
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=check_count("n", n), user_api="blas")


def limit_loop_blas_threads(n=1):
    """Let SciPy's BLAS (the one inside the numba time loops) use ``n`` threads; returns n."""
    n = check_count("n", n)
    for lib in scipy_blas_controllers():
        lib.set_num_threads(n)
    return n
