"""Which implementation the sequence functions use: the readable NumPy reference or numba.

``rnn_forward(..., backend=None)`` and friends take ``backend="numpy"`` or
``backend="numba"``; ``None`` means the package-wide default set here. The
forward pass records the backend in its cache, so the backward follows it.
"""

BACKENDS = ("numpy", "numba")
DEFAULT_BACKEND = "numba"          # the fast kernels; "numpy" is the readable reference
_default = {"name": DEFAULT_BACKEND}


def set_backend(name):
    """Set the package-wide default backend ("numpy" or "numba")."""
    if name is None:
        raise ValueError(f"backend must be one of {BACKENDS}, got None")
    _default["name"] = resolve_backend(name)


def get_backend():
    """The package-wide default backend."""
    return _default["name"]


def resolve_backend(backend):
    """``backend`` itself if valid, the default if None; a clear error otherwise."""
    if backend is None:
        return _default["name"]
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    return backend
