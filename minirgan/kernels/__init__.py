"""numba kernels: the same forward and BPTT passes as the NumPy reference, fast.

One file per cell (``rnn_kernels``, ``gru_kernels``, ``lstm_kernels``), called by
``rnn_forward(..., backend="numba")`` and friends after they have validated and
cast their inputs; ``scalar_math`` holds the vectorisable exp/sigmoid/tanh and the
shared ``@njit`` options, ``layout`` the time-major array helpers; ``blas_threads`` and
``allocator`` hold the two process settings that the kernels make on import; ``cache_dir``
points numba's on-disk cache at a per-user folder (first: before any kernel is decorated).
"""

from .cache_dir import use_user_cache_dir

# numba's cache outside the installed package (pip cannot remove it there; see cache_dir).
use_user_cache_dir()

from .allocator import keep_freed_memory  # noqa: E402  (after the cache folder is set)
from .blas_threads import limit_loop_blas_threads  # noqa: E402

# The per-step products are small: one BLAS thread beats two (see blas_threads).
limit_loop_blas_threads(1)
# Fresh cache arrays every call: reuse freed pages instead of faulting them in (see allocator).
keep_freed_memory()
