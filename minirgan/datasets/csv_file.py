"""A CSV file of numbers, read with the standard library's ``csv`` module.

Rows are time steps, columns features. What is read:

* the separator: ``,`` ``;`` tab or ``|``, detected by ``csv.Sniffer`` from the start of the file,
  or given (``delimiter=";"``, ``"tab"``; ``--delimiter`` on the command line). Messages about
  the shape of a row say which separator was used and whether it was detected;
* a header line of column names, when no cell of the first line is a number;
* a first column of dates or times (``date,open,high,low,close,volume``): the time index,
  left out of the features, rows put in time order (see :mod:`.time_index`);
* the feature columns: all the others, or those chosen with ``columns`` (names or 1-based
  numbers, ``"open,close"`` or ``[2, 5]``).

Any other non-numeric or empty cell, a ragged row, NaN or inf is a :class:`DataError` naming its
line and column (1-based, as an editor and a spreadsheet show them).
"""

import csv
import io
import math
import re

import numpy as np

from .checks import DataError
from .columns import parse_column_list, resolve_columns
from .table import Table, in_time_order, read_times
from .time_index import looks_like_time

DELIMITERS = ",;\t|"           # what the Sniffer may choose from
DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
SNIFF_CHARS = 64 * 1024        # the start of the file that the Sniffer reads


def _is_number(cell):
    try:
        float(cell)
    except ValueError:
        return False
    return True


def delimiter_label(delimiter):
    """How a separator is shown in messages: ``','``, ``';'``, ``tab``."""
    return "tab" if delimiter == "\t" else repr(delimiter)


def check_delimiter(delimiter):
    """The one-character separator for ``delimiter`` (a character, or "tab", "\\t", "comma",
    "semicolon", "pipe"); DataError for anything else."""
    d = DELIMITER_NAMES.get(delimiter, delimiter) if isinstance(delimiter, str) else delimiter
    if not (isinstance(d, str) and len(d) == 1) or d.isalnum() or d in "\"'.-+\r\n":
        raise DataError(f"delimiter must be one separator character such as ',', ';', '|' or 'tab', "
                        f"got {delimiter!r}")
    return d


def sniff_delimiter(text):
    """The separator ``csv.Sniffer`` finds in ``text`` among DELIMITERS. If it finds none (its
    rows are ragged, or there is one column), the candidate found most often in the first
    non-blank line, else ``,``."""
    try:
        return csv.Sniffer().sniff(text[:SNIFF_CHARS], delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = next((line for line in text.splitlines() if line.strip()), "")
        counts = {d: first.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _read_text(path):
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            return fh.read()
    except UnicodeDecodeError as err:
        raise DataError(f"{path}: is not UTF-8 text (byte {err.start}); save it as a UTF-8 CSV") from None


def _rows(text, delimiter, path):
    """(line number, stripped cells) of every non-blank row; the line is where the row ends."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, skipinitialspace=True)
    rows = []
    try:
        for cells in reader:
            if cells and cells != [""] and not (len(cells) == 1 and not cells[0].strip()):
                rows.append((reader.line_num, [c.strip() for c in cells]))
    except csv.Error as err:
        raise DataError(f"{path}: line {reader.line_num + 1} cannot be read as CSV ({err})") from None
    return rows


class _Columns:
    """How one file's columns are named in messages."""

    def __init__(self, names):
        self.names = names

    def __call__(self, j):
        if self.names and self.names[j]:
            return f"column {j + 1} ({self.names[j]!r})"
        return f"column {j + 1}"


def _not_a_number_hint(cell, j, row_index, header, delimiter, how, width):
    others = [d for d in DELIMITERS if d != delimiter and d in cell]
    if width == 1 and others:
        return (f" (the rows are one column when split at {delimiter_label(delimiter)}, {how}: is the "
                f"separator {delimiter_label(others[0])}? give --delimiter)")
    if row_index == 0 and header is None:
        return " (a header line must hold only names)"
    if looks_like_time(cell):
        if j == 0:
            return " (a first column of dates or times is read as the time index when it is not chosen as a feature)"
        return " (dates or times are read only in column 1, as the time index)"
    if delimiter != "," and re.fullmatch(r"[-+]?\d+,\d+", cell):
        return " (a decimal comma: write decimal points, 1.5 not 1,5)"
    if row_index == 0:
        return " (choose the numeric columns with --columns)"
    return ""


def read_csv(path, delimiter=None, columns=None):
    """Read a CSV file of numbers into a :class:`Table` (values (T, F) float64 in time order).

    Inputs:
        path: the file.
        delimiter: the separator (a character, or "tab"); None detects it (csv.Sniffer).
        columns: the feature columns, names or 1-based numbers ("open,close", [2, 5]); None:
            every column but a time index.
    """
    text = _read_text(path)
    if delimiter is None:
        delimiter, how = sniff_delimiter(text), "detected"
    else:
        delimiter, how = check_delimiter(delimiter), "as given"
    rows = _rows(text, delimiter, path)
    if not rows:
        raise DataError(f"{path}: is empty")
    header = None
    if not any(_is_number(cell) for cell in rows[0][1]):
        header = rows[0][1]
        rows = rows[1:]
        if not rows:
            raise DataError(f"{path}: has a header line but no data")
    width = len(header) if header else len(rows[0][1])
    column = _Columns(header)
    for line_no, cells in rows:
        if len(cells) != width:
            split = f"cells split at {delimiter_label(delimiter)}, {how}"
            fix = "; give --delimiter if the file uses another separator" if how == "detected" else ""
            raise DataError(f"{path}: line {line_no} has {len(cells)} columns, expected {width} ({split}{fix})")

    tokens = parse_column_list(columns)
    chosen = resolve_columns(tokens, header, width, path) if tokens else None
    first = rows[0][1][0]
    has_index = ((chosen is None or 0 not in chosen) and width > 1 and not _is_number(first)
                 and looks_like_time(first))
    if chosen is None:
        chosen = list(range(1 if has_index else 0, width))

    values = np.empty((len(rows), len(chosen)))
    for r, (line_no, cells) in enumerate(rows):
        for k, j in enumerate(chosen):
            cell = cells[j]
            try:
                v = float(cell)
            except ValueError:
                shown = repr(cell) if cell else "an empty cell"
                hint = _not_a_number_hint(cell, j, r, header, delimiter, how, width)
                raise DataError(f"{path}: line {line_no}, {column(j)}: {shown} is not a number{hint}") from None
            if not math.isfinite(v):
                raise DataError(f"{path}: line {line_no}, {column(j)}: {cell!r} is not finite")
            values[r, k] = v

    time_index = None
    if has_index:
        cells = [c[0] for _, c in rows]
        labels = [f"line {line_no}" for line_no, _ in rows]
        times = read_times(cells, labels, column(0), path)
        values, time_index = in_time_order(values, times, cells, labels, column(0), path)
        time_index["name"] = header[0] if header else "time"    # the header, for written samples
    names = [header[j] for j in chosen] if header else None
    return Table(values, names, [j + 1 for j in chosen], delimiter, time_index)
