"""``DataError`` (what is wrong with a data set and where, raised before any training starts) and
the checks the data modules share."""

import numpy as np

from ..validation import check_count, first_nonfinite   # noqa: F401  (check_count: the data modules' import)


class DataError(ValueError):
    """Bad data: a one-line message naming the problem and where it is (file, sample, time step,
    feature, CSV line and column). A ``ValueError``, so callers that catch those still do; the
    CLI prints the message alone, without a traceback."""


def check_real(arr, where):
    """``arr`` itself if it holds real numbers (or booleans); a DataError for complex numbers
    (their imaginary part would be dropped) and anything else."""
    if arr.dtype.kind == "c":
        raise DataError(f"{where}: holds complex numbers ({arr.dtype}); give the real and imaginary parts "
                        f"as two features")
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise DataError(f"{where}: expected numbers, got an array of dtype {arr.dtype}")
    return arr


def check_sequences(data, where, missing=False):
    """Check a batch of sequences (N, T, F): numeric, 3-D, non-empty and finite.

    ``where`` names the data in messages (a file path or a data set name). Returns the data as
    float64. The first NaN or inf is located as (sample, time step, feature), 0-based; NaN are
    missing values, named as such (``--missing mask``), and allowed with ``missing=True``.
    """
    arr = check_real(np.asarray(data), where)
    if arr.ndim != 3:
        raise DataError(f"{where}: expected sequences of shape (N, T, F), got {arr.ndim}-D shape {arr.shape}")
    return check_finite(arr, where, missing)


def check_finite(arr, where, missing=False):
    """``arr`` (N, T, F) or (T, F) as float64 if it is non-empty and finite; else a DataError
    locating the first NaN or inf (0-based). NaN are missing values, refused with
    :func:`refuse_missing` unless ``missing``."""
    if arr.size == 0:
        raise DataError(f"{where}: is empty (shape {arr.shape})")
    arr = arr.astype(np.float64, copy=False)
    gaps = np.isnan(arr)
    if gaps.any() and not missing:
        refuse_missing(gaps, where)
    found = first_nonfinite(np.where(gaps, 0.0, arr))
    if found:
        at, count = found
        axes = ("sample", "time step", "feature")[-arr.ndim:]
        place = ", ".join(f"{a} {i}" for a, i in zip(axes, at))
        raise DataError(f"{where}: {arr[at]} at {place} (0-based; {count} non-finite values in all)")
    return arr


def refuse_missing(gaps, where):
    """The DataError of an array with missing values (``gaps``: its NaN, (N, T, F) or (T, F))
    when they are not to be learned around: how many, the first, and ``--missing mask``."""
    axes = ("sample", "time step", "feature")[-gaps.ndim:]
    at = ", ".join(f"{a} {int(i[0])}" for a, i in zip(axes, np.nonzero(gaps)))
    raise DataError(f"{where}: {int(gaps.sum())} of {gaps.size} values are missing (NaN; first at {at}, "
                    f"0-based): fill them in, or train with --missing mask to learn around them")
