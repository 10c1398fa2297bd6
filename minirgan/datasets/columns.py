"""Choosing a table's feature columns by name or by 1-based number (``--columns open,close`` or
``--columns 2,5``), shared by CSV files and pandas DataFrames."""

from .checks import DataError


def parse_column_list(columns):
    """``"a,b,3"`` or ``["a", 3]`` → a list of tokens (str names or int 1-based numbers), or None.

    A token made of digits is a number unless the table has a column of that name (see
    :func:`resolve_columns`)."""
    if columns is None:
        return None
    if isinstance(columns, str):
        tokens = [t.strip() for t in columns.split(",")]
    else:
        tokens = list(columns)
    if not tokens or any(t == "" for t in tokens):
        raise DataError(f"columns must be a comma-separated list of column names or 1-based numbers, "
                        f"got {columns!r}")
    return tokens


def resolve_columns(tokens, names, width, where):
    """0-based positions of the chosen columns, in the order given.

    Inputs: tokens from :func:`parse_column_list`; names the header's column names (or None when
    the table has no header); width the number of columns; where names the table in messages.
    """
    positions = []
    for token in tokens:
        text = str(token).strip()
        if names is not None and text in names:
            j = names.index(text)
        elif names is not None and text.lower() in [n.lower() for n in names]:
            j = [n.lower() for n in names].index(text.lower())
        elif text.isdigit():
            j = int(text) - 1
            if not 0 <= j < width:
                raise DataError(f"{where}: column {text} does not exist: columns are numbered 1 to {width}")
        elif names is None:
            raise DataError(f"{where}: has no header line, so columns are chosen by number (1 to {width}), "
                            f"not by name {text!r}")
        else:
            raise DataError(f"{where}: no column named {text!r}; the columns are "
                            f"{', '.join(repr(n) for n in names)} (or give 1-based numbers)")
        if j in positions:
            raise DataError(f"{where}: column {j + 1} is chosen twice in columns={','.join(map(str, tokens))}")
        positions.append(j)
    return positions
