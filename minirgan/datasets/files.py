"""The user's own data: ``.npy`` arrays and ``.csv`` tables, and cutting a long series into windows.

* ``.npy``: either sequences (N, T, F) used as they are, or one long series (T, F) that is cut
  into overlapping windows like a CSV file. Loaded with ``allow_pickle=False``.
* ``.csv``: rows are time steps, columns are features; read by :mod:`.csv_file` (separator
  detected, header, a first column of dates as the time index, columns chosen by name or number).
"""

import os

import numpy as np

from ..array_headers import check_array_file
from ..validation import check_count, first_nonfinite
from .checks import DataError
from .csv_file import read_csv

SUFFIXES = (".npy", ".csv")


def checked_header(path):
    """``array_headers.check_array_file(path)``: its ValueError as a DataError (header against
    the file's size and the memory budget, before np.load allocates)."""
    try:
        check_array_file(path)
    except ValueError as exc:
        raise DataError(str(exc)) from None


def _read_npy(path):
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
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise DataError(f"{path}: expected numbers, got an array of dtype {arr.dtype}")
    if arr.ndim not in (2, 3):
        raise DataError(f"{path}: expected an array of shape (N, T, F) or (T, F), got {arr.ndim}-D "
                        f"shape {arr.shape}" + (" (reshape to (T, 1) for one feature)" if arr.ndim == 1 else ""))
    if arr.size == 0:
        raise DataError(f"{path}: is empty (shape {arr.shape})")
    arr = arr.astype(np.float64, copy=False)
    found = first_nonfinite(arr)
    if found:
        where, count = found
        axes = ("sample", "time step", "feature")[-arr.ndim:]
        at = ", ".join(f"{a} {i}" for a, i in zip(axes, where))
        raise DataError(f"{path}: {arr[where]} at {at} (0-based; {count} non-finite values in all)")
    return arr


def check_file(path):
    """Raise a DataError unless ``path`` is an existing, non-empty .npy or .csv file."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise DataError(f"{path}: file not found")
    if not os.path.isfile(path):
        raise DataError(f"{path}: is not a file")
    if not path.lower().endswith(SUFFIXES):
        raise DataError(f"{path}: unsupported file type; expected one of {', '.join(SUFFIXES)}")
    if os.path.getsize(path) == 0:
        raise DataError(f"{path}: is empty")
    return path


def load_array(path, delimiter=None, columns=None):
    """Load a ``.npy`` (N, T, F) or (T, F) array, or a ``.csv`` table (T, F), as float64.

    ``delimiter`` and ``columns`` apply to a CSV file (see :func:`.csv_file.read_csv`).

    Everything is checked (existence, type, rank, numbers, NaN/inf) and reported as a
    :class:`DataError` naming the place; a (T, F) result still has to be cut into windows
    with :func:`make_windows`.
    """
    path = check_file(path)
    if path.lower().endswith(".npy"):
        check_csv_only(path, "a .npy array (slice the array instead)", delimiter=delimiter, columns=columns)
        return _read_npy(path)
    return read_csv(path, delimiter=delimiter, columns=columns).values


def check_csv_only(where, kind, **options):
    """DataError if an option that only CSV files (and DataFrames) have is given for ``where``,
    which is ``kind`` (e.g. "an embedded data set")."""
    given = [name for name, value in options.items() if value is not None]
    if given:
        raise DataError(f"{where}: {given[0]} applies to CSV files and DataFrames, not to {kind}")


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
