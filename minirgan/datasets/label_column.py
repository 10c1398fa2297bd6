"""A CSV file's column of labels (``--label-column NAME``): one label per row, any text.

The feature reader (``csv_file.read_csv``) takes numbers only; this reads the one column of
labels with the same separator detection and rows, and says which columns are left for the
features: every other column but a first column of dates or times (the time index).
"""

from .checks import DataError
from .columns import parse_column_list, resolve_columns
from .csv_file import _is_number, _read_text, _rows, check_delimiter, sniff_delimiter
from .time_index import looks_like_time


def _value(cell):
    """A label cell as an int or float when it is a number (so 3 sorts before 10), else text."""
    try:
        number = float(cell)
    except ValueError:
        return cell
    return int(number) if number.is_integer() else number


def read_label_column(path, column, delimiter=None):
    """(labels per data row in file order, feature columns as 1-based numbers) of a CSV file.

    ``column``: the label column's header name or 1-based number. The file needs a header line;
    an empty label cell is a DataError naming its line.
    """
    text = _read_text(path)
    delimiter = sniff_delimiter(text) if delimiter is None else check_delimiter(delimiter)
    rows = _rows(text, delimiter, path)
    if len(rows) < 2 or any(_is_number(cell) for cell in rows[0][1]):
        raise DataError(f"{path}: --label-column needs a header line of column names and data below it")
    header, rows = rows[0][1], rows[1:]
    (j,) = resolve_columns(parse_column_list(str(column)), header, len(header), path)
    labels = []
    for line_no, cells in rows:
        if j >= len(cells) or not cells[j]:
            raise DataError(f"{path}: line {line_no}, column {j + 1} ({header[j]!r}): no label")
        labels.append(_value(cells[j]))
    has_index = j != 0 and len(header) > 1 and looks_like_time(rows[0][1][0])
    features = [k + 1 for k in range(len(header)) if k != j and not (k == 0 and has_index)]
    if not features:
        raise DataError(f"{path}: no feature columns are left beside the label column {header[j]!r}")
    return labels, features
