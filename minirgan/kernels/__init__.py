"""numba kernels: the same forward and BPTT passes as the NumPy reference, fast.

One file per cell (``rnn_kernels``, ``gru_kernels``, ``lstm_kernels``), called by
``rnn_forward(..., backend="numba")`` and friends after they have validated and
cast their inputs; ``scalar_math`` holds the vectorisable exp/sigmoid/tanh and the
shared ``@njit`` options, ``layout`` the time-major array helpers.

Importing this package is the first use of the numba backend: ``import minirgan`` never
imports it (``recurrence.numba_kernel`` does, on the first numba call), and this is the one
place that changes the process, once: ``cache_dir`` points numba's on-disk cache at a
per-user folder (first: before any kernel is decorated), ``blas_threads`` sets every BLAS
(SciPy's, inside the time loops, and NumPy's) to one thread, ``allocator`` keeps freed memory
in the process. Nothing here imports it to
read a constant: whatever a module outside the kernels needs lives outside this package
(the BLAS cap of training and evaluation is ``minirgan/blas_cap.py``).
"""

from .cache_dir import use_user_cache_dir

# numba's cache outside the installed package (pip cannot remove it there; see cache_dir).
use_user_cache_dir()

from .allocator import keep_freed_memory  # noqa: E402  (after the cache folder is set)
from .blas_threads import limit_loop_blas_threads, pin_blas_threads  # noqa: E402, F401

# A training step's products are small: one BLAS thread beats two, for every caller of the
# kernels, not only inside `minirgan train`'s cap (see blas_threads).
pin_blas_threads()
# Fresh cache arrays every call: reuse freed pages instead of faulting them in (see allocator).
keep_freed_memory()
