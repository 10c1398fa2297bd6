"""Input checks shared by every public function.

Bad input should fail at the door with a ``ValueError`` that names the argument and the shape
it should have, never with a broadcasting error from deep inside a backward pass.
:func:`prepare` is the one check every cell function runs (sequence or step, any cell).
"""

import numpy as np

from .errors import NonFiniteError


def check_count(name, value, minimum=1, optional=False):
    """Raise a ValueError naming ``name`` unless ``value`` is an integer >= ``minimum`` (or None,
    if ``optional``); returns it as an int (or None)."""
    if optional and value is None:
        return None
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < minimum:
        wanted = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise ValueError(f"{name} must be {wanted}{' or None' if optional else ''}, got {value!r}")
    return int(value)


def first_nonfinite(arr):
    """``(index, count)``: the index tuple of the first NaN or inf of ``arr`` (C order) and how many
    there are; None when every value is finite."""
    bad = ~np.isfinite(arr)
    if not bad.any():
        return None
    index = np.unravel_index(int(np.flatnonzero(bad)[0]), bad.shape)
    return tuple(int(i) for i in index), int(bad.sum())


def as_float_array(name, a):
    """Return ``a`` as a floating ndarray (ints become float64); reject non-numeric input."""
    arr = np.asarray(a)
    # dtype kinds: b bool, i/u integers, f floating, c complex, m timedelta (NumPy counts it a
    # number): what np.issubdtype(·, np.number) or bool accepts, read from ``kind`` because this
    # runs on every array of every public call and issubdtype costs a microsecond or two.
    kind = arr.dtype.kind
    if kind not in "biufcm":
        raise ValueError(f"{name} must be a numeric array, got dtype {arr.dtype}")
    if kind != "f":
        arr = arr.astype(np.float64)
    return arr


def check_finite(name, arr):
    """Raise if ``arr`` holds NaN or inf, saying where the first one is."""
    found = first_nonfinite(arr)
    if found:
        raise NonFiniteError(f"{name} contains NaN or inf (first at index {found[0]})")


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


def step_input(name, x_t):
    """Validate the input of one time step (N, D): numeric, 2-D, finite."""
    x_t = as_float_array(name, x_t)
    check_shape(name, x_t, (None, None), "(N, D)")
    check_finite(name, x_t)
    return x_t


def check_param_keys(params, keys, where):
    """Raise unless ``params`` is a dict holding every name in ``keys`` (all missing ones listed)."""
    if not isinstance(params, dict):
        raise ValueError(f"{where}: params must be a dict of arrays, got {type(params).__name__}")
    missing = [k for k in keys if k not in params]
    if missing:
        raise ValueError(f"{where}: params is missing {missing}; expected keys {list(keys)}")


def check_params(params, shapes, where):
    """Check that ``params`` holds the arrays in ``shapes`` (name -> shape) with those shapes.

    Returns a dict of the same arrays (not copies) as ndarrays; keys not in ``shapes`` are
    ignored. Missing keys (all of them listed) and wrong shapes raise.
    """
    check_param_keys(params, shapes, where)
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


def sizes_from_params(params, param_shapes, where):
    """(D, H) read from the first parameter of ``param_shapes`` (an (H, ·) weight matrix).

    ``param_shapes(D, H)`` gives each parameter's shape; its first entry's width is D plus a
    part that does not depend on D (0 for E1's ``W_xh``, H for the gates' ``W · [h, x]``).
    """
    key = next(iter(param_shapes(0, 1)))
    shape = np.shape(params[key])
    if len(shape) != 2:
        raise ValueError(f"{where}: params[{key!r}] must be 2-D (H, ...), got shape {shape}")
    H = shape[0]
    D = shape[1] - param_shapes(0, H)[key][1]
    if H < 1 or D < 1:
        raise ValueError(f"{where}: params[{key!r}] has shape {shape}, which leaves H = {H}, D = {D}")
    return D, H


def prepare(where, x, states, state_names, params, param_shapes, step=False):
    """The one input check of every cell function: returns ``(x, states, p)`` cast to one dtype.

    x:       (N, T, D) sequences, or (N, D) with ``step=True``;
    states:  the initial states, each (N, H) or None for zeros, named ``state_names`` in messages;
    params:  a dict checked against ``param_shapes(D, H)`` (D and H read from the params
             themselves, so a mismatched x is blamed on x, with the D the params expect).
    The dtype is what x and the params promote to (float32 stays float32).
    """
    x = step_input("x_t", x) if step else sequence_input("x", x)
    check_param_keys(params, param_shapes(1, 1), where)
    D, H = sizes_from_params(params, param_shapes, where)
    if x.shape[-1] != D:
        name = "x_t" if step else "x"
        raise ValueError(f"{where}: {name} has D = {x.shape[-1]} features, but the params expect "
                         f"D = {D} (shape {x.shape}, expected {x.shape[:-1] + (D,)})")
    p = check_params(params, param_shapes(D, H), where)
    dtype = result_dtype(x, *p.values())
    states = tuple(initial_state(name, s, x.shape[0], H, dtype) for name, s in zip(state_names, states))
    return x.astype(dtype, copy=False), states, {k: v.astype(dtype, copy=False) for k, v in p.items()}


def backward_needs(need_input_grad, need_param_grads):
    """The two switches of a backward pass, checked: ``(need_input_grad, need_param_grads)``.

    A backward pass computes the gradient on its input (``dx``) and on its parameters
    (``grads``); a caller that uses only one of them (a discriminator update needs no dx, the
    generator's step needs D's dx but not D's weight gradients) turns the other off, and that
    part is then skipped and returned as None. What is computed is computed exactly as before.
    Both must be True or False, and not both False (that pass would compute nothing).
    """
    for name, flag in (("need_input_grad", need_input_grad), ("need_param_grads", need_param_grads)):
        if not isinstance(flag, (bool, np.bool_)):
            raise ValueError(f"{name} must be True or False, got {flag!r}")
    if not (need_input_grad or need_param_grads):
        raise ValueError("need_input_grad and need_param_grads are both False: the backward pass "
                         "would compute nothing")
    return bool(need_input_grad), bool(need_param_grads)


def upstream_gradient(name, dh, shape, dtype):
    """Validate an upstream gradient against the forward output's shape."""
    dh = as_float_array(name, dh)
    if dh.shape != tuple(shape):
        raise ValueError(f"{name} must have the forward output's shape {tuple(shape)}, got {dh.shape}")
    check_finite(name, dh)
    return dh.astype(dtype, copy=False)


def lengths_mask(lengths, N, T):
    """The step mask of a padded batch, from each sequence's length: (T, N) booleans,
    ``m[t, n] = t < lengths[n]`` (time-major, as the kernels read it one step at a time).

    lengths: (N,) integers, each between 1 and T (a sequence has at least one real step and
    at most the padded length). None means no mask (every sequence runs all T steps): None is
    returned, and the caller takes the unmasked pass.
    """
    if lengths is None:
        return None
    arr = np.asarray(lengths)
    if arr.dtype.kind not in "iu":
        raise ValueError(f"lengths must be integers (one per sequence), got dtype {arr.dtype}")
    check_shape("lengths", arr, (N,), "(N,)")
    if arr.min() < 1 or arr.max() > T:
        bad = int(arr[(arr < 1) | (arr > T)][0])
        raise ValueError(f"lengths must lie between 1 and T = {T} (the padded length), got {bad}")
    return np.arange(T)[:, None] < arr[None, :]


def check_paired_lengths(first, second, what):
    """Two padded ``what`` ("batches", "sets") compared with each other: the lengths of both
    (each (N,) or None) or of neither, never of one only (the other would be read as all T)."""
    if (first is None) != (second is None):
        raise ValueError(f"give the lengths of both {what} or of neither")
