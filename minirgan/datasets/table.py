"""A table read from a CSV file or a pandas DataFrame: its feature columns as one (T, F) series,
rows in time order, and what was read (column names and numbers, delimiter, time index)."""

from dataclasses import dataclass

import numpy as np

from .checks import DataError
from .time_index import first_out_of_order, read_time_column, time_order


@dataclass
class Table:
    """values (T, F) float64, rows in time order; names: the F column names (None: no header);
    columns: their 1-based positions in the source; delimiter: the CSV separator (None for a
    DataFrame); time_index: {"column", "first", "last", "order"} or None."""
    values: np.ndarray
    names: list
    columns: list
    delimiter: str = None
    time_index: dict = None

    def feature_names(self):
        """One label per feature for messages and plots: ``column 3 ('close')`` (1-based, as a
        spreadsheet shows it), or ``column 3`` without a header."""
        if self.names is None:
            return [f"column {j}" for j in self.columns]
        return [f"column {j} ({n!r})" if n else f"column {j}" for j, n in zip(self.columns, self.names)]

    def info(self):
        """What was read, JSON-friendly (kept in the data set's info and the checkpoint)."""
        return {"columns": list(self.columns), "column_names": None if self.names is None else list(self.names),
                "delimiter": self.delimiter, "time_index": self.time_index}


def read_times(cells, labels, column, where):
    """The datetimes of a time index column's text ``cells``; a cell in another form than the
    first is a DataError naming its row (``labels``) and the column."""
    try:
        return read_time_column(cells)[1]
    except ValueError as err:
        i = err.args[0]
        raise DataError(f"{where}: {labels[i]}, {column}: {cells[i]!r} is not a date or time in the form "
                        f"of {labels[0]}'s {cells[0]!r} (the time index)") from None


def in_time_order(values, times, cells, labels, column, where):
    """Rows of ``values`` (T, F) in time order, and the time index's description.

    ``times`` are the datetimes of the index column, ``cells`` its text, ``labels`` how each row
    is named in messages ("line 7", "row 6"), ``column`` how the index column is named. Rows
    that run backwards (newest first, as many price downloads do) are reversed; rows in neither
    order are a DataError naming the first row that breaks the order.
    """
    order = time_order(times)
    if order == "descending":
        values, cells, order = values[::-1].copy(), cells[::-1], "descending (reversed to time order)"
    elif order is None:
        i = first_out_of_order(times)
        raise DataError(f"{where}: {labels[i]}, {column}: {cells[i]!r} after {labels[i - 1]}'s "
                        f"{cells[i - 1]!r} breaks the time order of the rows before it (sort the "
                        f"rows by {column})")
    gaps = sorted(abs((b - a).total_seconds()) for a, b in zip(times, times[1:]))
    # the typical spacing of the rows (the median gap, in seconds), to continue the index
    step = gaps[len(gaps) // 2] if gaps else None
    last = max(times[0], times[-1])
    return values, {"column": column, "first": str(cells[0]), "last": str(cells[-1]), "order": order,
                    "last_time": last.isoformat(), "step_seconds": step}
