"""numba kernels: the same forward and BPTT passes as the NumPy reference, fast.

One file per cell (``rnn_kernels``, ``gru_kernels``, ``lstm_kernels``), called by
``rnn_forward(..., backend="numba")`` and friends after they have validated and
cast their inputs; ``scalar_math`` holds the vectorisable exp/sigmoid/tanh and the
shared ``@njit`` options, ``layout`` the time-major array helpers; ``blas_threads`` and
``allocator`` hold the two process settings that the kernels make on import.
"""

from .allocator import keep_freed_memory
from .blas_threads import limit_loop_blas_threads

# The per-step products are small: one BLAS thread beats two (see blas_threads).
limit_loop_blas_threads(1)
# Fresh cache arrays every call: reuse freed pages instead of faulting them in (see allocator).
keep_freed_memory()
