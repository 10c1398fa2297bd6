"""A pandas DataFrame as a data set (Python API only; pandas is optional, never imported unless a
DataFrame is passed).

Rows are time steps, columns features, as in a CSV file. The time index is the frame's index
when it holds dates or times (``DatetimeIndex``, ``PeriodIndex``, ``TimedeltaIndex``), else a
first column of datetimes or of date/time strings (a frame from ``pd.read_csv`` without
``parse_dates``), when it is not chosen as a feature. Rows run newest-first are reversed, as
for a CSV file. Columns are chosen with ``columns`` (names or 1-based positions).
"""

import numpy as np

from ..validation import first_nonfinite
from .checks import DataError
from .columns import parse_column_list, resolve_columns
from .table import Table, in_time_order, read_times
from .time_index import looks_like_time

WHERE = "DataFrame"


def is_dataframe(obj):
    """True for a pandas DataFrame (checked without importing pandas)."""
    return type(obj).__name__ == "DataFrame" and type(obj).__module__.split(".")[0] == "pandas"


def _time_like_index(frame):
    import pandas as pd
    return isinstance(frame.index, (pd.DatetimeIndex, pd.PeriodIndex, pd.TimedeltaIndex))


def _first_column_times(frame):
    """The first column's datetimes and text if it is a time index candidate, else None."""
    import pandas as pd
    first = frame.iloc[:, 0]
    if pd.api.types.is_datetime64_any_dtype(first) or pd.api.types.is_timedelta64_dtype(first):
        return list(first), [str(v) for v in first]
    texts = pd.api.types.is_string_dtype(first) or first.dtype == object
    if texts and all(isinstance(v, str) for v in first) and looks_like_time(first.iloc[0]):
        cells = list(first)
        labels = [f"row {i}" for i in range(len(cells))]
        return read_times(cells, labels, f"column 1 ({frame.columns[0]!r})", WHERE), cells
    return None


def read_frame(frame, columns=None):
    """A DataFrame's feature columns as a :class:`Table` (values (T, F) float64, in time order).

    Every chosen column must be numeric (or boolean) and finite; a column of text or a NaN is a
    DataError naming the column and the row (0-based position, as ``frame.iloc`` counts)."""
    import pandas as pd

    names = [str(c) for c in frame.columns]
    width = len(names)
    if width == 0 or len(frame) == 0:
        raise DataError(f"{WHERE}: is empty (shape {frame.shape})")
    tokens = parse_column_list(columns)
    chosen = resolve_columns(tokens, names, width, WHERE) if tokens else None
    index_times = None
    if _time_like_index(frame):
        index_times = (list(frame.index), [str(v) for v in frame.index],
                       f"the index ({frame.index.name!r})" if frame.index.name else "the index")
    elif (chosen is None or 0 not in chosen) and width > 1:
        found = _first_column_times(frame)
        if found is not None:
            index_times = (*found, f"column 1 ({names[0]!r})")
            chosen = chosen or list(range(1, width))
    if chosen is None:
        chosen = list(range(width))

    for j in chosen:
        col = frame.iloc[:, j]
        if not (pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col)):
            raise DataError(f"{WHERE}: column {j + 1} ({names[j]!r}) holds {col.dtype} values, not numbers "
                            f"(choose the numeric columns with columns=...)")
    values = frame.iloc[:, chosen].to_numpy(dtype=np.float64, na_value=np.nan)
    found = first_nonfinite(values)
    if found:
        (r, k), count = found
        raise DataError(f"{WHERE}: row {r}, column {chosen[k] + 1} ({names[chosen[k]]!r}): {values[r, k]} "
                        f"is not finite ({count} non-finite values in all)")
    time_index = None
    if index_times is not None:
        times, cells, label = index_times
        rows = [f"row {i}" for i in range(len(times))]
        values, time_index = in_time_order(values, times, cells, rows, label, WHERE)
    return Table(values, [names[j] for j in chosen], [j + 1 for j in chosen], None, time_index)
