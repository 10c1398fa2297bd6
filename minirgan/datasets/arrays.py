"""Arrays: a user's ``.npy`` file, the check that a data file exists, and cutting a long series
into windows.

A ``.npy`` holds either sequences (N, T, F), used as they are, or one long series (T, F), cut
into overlapping windows like a table (:mod:`.tables`). Loaded with ``allow_pickle=False``; real
numbers only (a complex array is refused, not silently cut to its real part).
"""

import os

import numpy as np

from ..array_headers import check_array_file
from ..validation import check_count
from .checks import DataError, check_finite, check_real


def checked_header(path):
    """``array_headers.check_array_file(path)``: its ValueError as a DataError (header against
    the file's size and the memory budget, before np.load allocates)."""
    try:
        check_array_file(path)
    except ValueError as exc:
        raise DataError(str(exc)) from None


def read_npy(path, missing=False):
    """A ``.npy`` array (N, T, F) or (T, F) as float64, every value checked finite (with
    ``missing``, NaN are missing values and pass: ``check_sequences`` counts them)."""
    with open(path, "rb") as fh:
        if fh.read(6) != b"\x93NUMPY":   # the .npy magic string
            raise DataError(f"{path}: is not a readable .npy file (no NumPy header)")
    checked_header(path)
    try:
        arr = np.load(path, allow_pickle=False)
    except ValueError as exc:   # object arrays need pickle; refuse them
        raise DataError(f"{path}: cannot be read without pickle ({exc})") from None
    except (OSError, EOFError) as exc:
        raise DataError(f"{path}: is not a readable .npy file ({exc or 'empty file'})") from None
    if not isinstance(arr, np.ndarray):
        raise DataError(f"{path}: expected one array, got {type(arr).__name__}")
    check_real(arr, path)
    if arr.ndim not in (2, 3):
        raise DataError(f"{path}: expected an array of shape (N, T, F) or (T, F), got {arr.ndim}-D "
                        f"shape {arr.shape}" + (" (reshape to (T, 1) for one feature)" if arr.ndim == 1 else ""))
    return check_finite(arr, path, missing)


def check_file(path, suffixes):
    """Raise a DataError unless ``path`` is an existing, non-empty file with one of ``suffixes``."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise DataError(f"{path}: file not found")
    if not os.path.isfile(path):
        raise DataError(f"{path}: is not a file")
    if not path.lower().endswith(tuple(suffixes)):
        raise DataError(f"{path}: unsupported file type; expected one of {', '.join(suffixes)}")
    if os.path.getsize(path) == 0:
        raise DataError(f"{path}: is empty")
    return path


def make_windows(series, seq_len, stride=1, where="series"):
    """Cut one series (T, F) into overlapping windows (n_windows, seq_len, F).

    Window i holds time steps i·stride … i·stride + seq_len − 1; there are
    (T − seq_len) // stride + 1 of them (T − seq_len + 1 for stride 1). The result is a copy.
    A series shorter than the window is a :class:`DataError`; ``where`` names it in messages.
    """
    check_count("seq_len", seq_len)
    check_count("stride", stride)
    series = np.asarray(series)
    if series.ndim != 2:
        raise DataError(f"{where}: expected a series of shape (T, F), got {series.ndim}-D shape {series.shape}")
    T = series.shape[0]
    if T < seq_len:
        raise DataError(f"{where}: the series has {T} time steps, fewer than the window length seq_len={seq_len}")
    # sliding_window_view gives (T − seq_len + 1, F, seq_len): move the window axis to the middle
    windows = np.lib.stride_tricks.sliding_window_view(series, seq_len, axis=0)[::stride]
    return np.ascontiguousarray(windows.transpose(0, 2, 1))
