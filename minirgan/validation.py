"""Input checks shared by every public function.

Bad input should fail at the door with a ``ValueError`` that names the argument
and the shape it should have, never with a broadcasting error from deep inside
a backward pass.
"""

import numpy as np


def as_float_array(name, a):
    """Return ``a`` as a floating ndarray (ints become float64); reject non-numeric input."""
    arr = np.asarray(a)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise ValueError(f"{name} must be a numeric array, got dtype {arr.dtype}")
    if not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float64)
    return arr


def check_finite(name, arr):
    """Raise if ``arr`` holds NaN or inf, saying where the first one is."""
    bad = ~np.isfinite(arr)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{name} contains NaN or inf (first at index {where})")


def check_shape(name, arr, expected, letters):
    """Check ``arr.shape`` against ``expected``; None entries match any size.

    ``letters`` spells the expected shape for the message, e.g. "(N, T, D)".
    """
    if arr.ndim != len(expected):
        raise ValueError(
            f"{name} must have shape {letters} ({len(expected)}-D), got {arr.ndim}-D shape {arr.shape}"
        )
    for got, want in zip(arr.shape, expected):
        if want is not None and got != want:
            filled = "(" + ", ".join("?" if w is None else str(w) for w in expected) + ")"
            raise ValueError(f"{name} must have shape {letters} = {filled}, got {arr.shape}")


def sequence_input(name, x):
    """Validate a batch of sequences (N, T, D): numeric, 3-D, non-empty, finite."""
    x = as_float_array(name, x)
    check_shape(name, x, (None, None, None), "(N, T, D)")
    if 0 in x.shape:
        raise ValueError(f"{name} must have N, T, D >= 1, got shape {x.shape}")
    check_finite(name, x)
    return x


def check_params(params, shapes, where):
    """Check that ``params`` holds exactly the arrays in ``shapes`` (name -> shape).

    Returns a dict of the same arrays (not copies) as ndarrays. Extra keys are
    allowed only if named in ``shapes``; missing keys and wrong shapes raise.
    """
    if not isinstance(params, dict):
        raise ValueError(f"{where}: params must be a dict of arrays, got {type(params).__name__}")
    missing = [k for k in shapes if k not in params]
    if missing:
        raise ValueError(f"{where}: params is missing {missing}; expected keys {list(shapes)}")
    out = {}
    for key, shape in shapes.items():
        arr = as_float_array(f"params[{key!r}]", params[key])
        if arr.shape != tuple(shape):
            raise ValueError(f"{where}: params[{key!r}] must have shape {tuple(shape)}, got {arr.shape}")
        check_finite(f"params[{key!r}]", arr)
        out[key] = arr
    return out


def initial_state(name, h0, N, H, dtype):
    """Validate an initial state (N, H), or make zeros when ``h0`` is None."""
    if h0 is None:
        return np.zeros((N, H), dtype=dtype)
    h0 = as_float_array(name, h0)
    check_shape(name, h0, (N, H), "(N, H)")
    check_finite(name, h0)
    return h0.astype(dtype, copy=False)


def result_dtype(*arrays):
    """The floating dtype that the inputs promote to (float32 stays float32)."""
    return np.result_type(*[a.dtype for a in arrays])


def upstream_gradient(name, dh, shape, dtype):
    """Validate an upstream gradient against the forward output's shape."""
    dh = as_float_array(name, dh)
    if dh.shape != tuple(shape):
        raise ValueError(f"{name} must have the forward output's shape {tuple(shape)}, got {dh.shape}")
    check_finite(name, dh)
    return dh.astype(dtype, copy=False)
