"""Tables — a CSV or TSV file, a pandas DataFrame, Parquet or Excel — read by pandas into one
(T, F) series in time order.

Every table goes through :func:`read_table`. A file becomes a DataFrame through pandas
(``pd.read_csv(sep, engine="python", thousands=…, decimal=…)`` for text; ``pd.read_parquet`` and
``pd.read_excel`` when their engines are installed); a DataFrame is taken as it is; then one body
(:func:`_table`) chooses the feature columns, finds the time index (``pd.to_datetime``), checks
every number and puts the rows in time order. Rows are time steps, columns features.

* **Separator** of a text file: ``,`` ``;`` tab or ``|``, detected by ``csv.Sniffer`` among those
  four (pandas' own ``sep=None`` may pick any character, and splits a one-column file at a
  letter), or given (``delimiter=";"``, ``"tab"``; ``--delimiter``).
* **Numbers.** A decimal point, or with ``decimal=","`` (``--decimal ,``) a decimal comma; the
  other mark separates thousands in groups of three (``"1,100.5"`` quoted in a comma-separated
  file, ``1.100,5``). Anything else — ``1_005``, digits of another script, ``1,5`` without
  ``decimal=","``, complex numbers — is refused, never read as some other number.
* **Header.** The first row is a header when one of its cells is text (neither a number nor a
  date) above a number or a date in the second row, so ``date,2024,close`` is a header.
* **Time index.** A first column of dates or times not chosen as a feature (or a DataFrame's
  ``DatetimeIndex``): left out of the features; rows newest-first are reversed, rows going back
  and forth are refused naming the first that breaks the order. A form is read for the whole
  column (day-first tried after month-first); times of day that run past midnight continue on
  the next day; times with offsets (``+01:00``, ``Z``) are converted to UTC; a column mixing
  times with and without one is refused. Rows repeating a timestamp and gaps longer than
  :data:`GAP` × the typical step are counted and reported (``notes``).
* **Columns** chosen by name or 1-based number (``"open,close"``, ``[2, 5]``); a label column
  (``label_column``) read in the same pass.
* **Long tables** (``sequence_key``, as SDV's PAR calls it): one row per time step of many
  sequences, a column naming each row's sequence. The key (and an optional ``time_column``, a
  column of numbers or dates that orders the rows within a sequence, else file order) are left
  out of the features; there is no whole-table time index. ``Table.keys`` and ``Table.times``
  hold them, per row; ``datasets/long_table.py`` makes the padded sequences.

Every problem is a :class:`DataError` naming the file, the row (``line 7`` of a text file,
``row 6`` of a DataFrame, 0-based as ``iloc`` counts) and the column.
"""

import csv
import io
import os
import re
import warnings
from dataclasses import dataclass, field

import numpy as np

from ..memory_budget import check_fits, format_bytes
from ..validation import first_nonfinite
from .checks import DataError

DELIMITERS = ",;\t|"           # what the Sniffer may choose from
DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
SNIFF_CHARS = 64 * 1024        # the start of the file that the Sniffer reads
THOUSANDS = {".": ",", ",": "."}   # decimal mark -> the thousands separator that goes with it
# times of day, which pandas' format guesser does not read (it reads every date form)
CLOCKS = ("%H:%M:%S.%f", "%H:%M:%S", "%H:%M", "%I:%M %p", "%I:%M:%S %p")
NOT_FINITE = ("nan", "inf", "-inf", "+inf", "infinity", "-infinity", "+infinity")
GAP = 1.5                      # a step longer than GAP × the typical one is reported as a gap
MISSING = ("", "na", "n/a", "nan", "null")   # cells read as missing values (any case)


@dataclass
class Table:
    """values (T, F) float64, rows in time order; names: the F column names (None: no header);
    columns: their 1-based positions; delimiter: a text file's separator (else None);
    time_index: {"column", "name", "first", "last", "order", "last_time", "step_seconds",
    "duplicates", "gaps"} or None; rows (T,): each row's position among the source's data rows
    (the time order); labels (T,) object or None: the label column, in time order; notes:
    one-line reports (repeated timestamps, gaps)."""
    values: np.ndarray
    names: list
    columns: list
    delimiter: str = None
    time_index: dict = None
    rows: np.ndarray = None
    labels: np.ndarray = None
    notes: list = field(default_factory=list)
    keys: np.ndarray = None
    times: np.ndarray = None
    key_name: str = None
    static: np.ndarray = None          # (T, S) object: the static columns' values (--static-columns)
    static_names: list = None
    time_name: str = None
    time_kind: str = None

    def feature_names(self):
        """One label per feature for messages and plots: ``column 3 ('close')`` (1-based, as a
        spreadsheet shows it), or ``column 3`` without a header."""
        return [_column_name(self.names and self.names[k], j) for k, j in enumerate(self.columns)]

    def info(self):
        """What was read, JSON-friendly (kept in the data set's info and the checkpoint)."""
        return {"columns": list(self.columns), "column_names": None if self.names is None else list(self.names),
                "delimiter": self.delimiter, "time_index": self.time_index}


def _column_name(name, j):
    """``column 3 ('close')`` for the 1-based column j."""
    return f"column {j} ({name!r})" if name else f"column {j}"


@dataclass
class _Sheet:
    """A source as pandas read it, before any column is chosen. frame: its cells (numbers typed),
    columns by position; text: the cells as written (a text file) or None (str of the value);
    names: the header (None: none); rows: how each row is named in messages; index: the frame's
    own time index ((times, texts, label)) or None; option: how the user chooses columns."""
    frame: object
    text: object
    names: list
    rows: list
    where: str
    delimiter: str = None
    how: str = None
    decimal: str = "."
    index: tuple = None
    option: str = "--columns"

    def cell(self, r, j):
        return str(self.frame.iat[r, j]) if self.text is None else self.text.iat[r, j]

    def column(self, j):
        return _column_name(self.names[j] if self.names else None, j + 1)


# ---------------------------------------------------------------- the one entry point

def read_table(source, columns=None, delimiter=None, decimal=None, label_column=None,
               sequence_key=None, time_column=None, missing=False, static_columns=None):
    """Read a table into a :class:`Table` (values (T, F) float64 in time order).

    Inputs:
        source: a path (.csv, .tsv; .parquet, .xlsx, .xls with their engines) or a DataFrame.
        columns: the feature columns, names or 1-based numbers ("open,close", [2, 5]); None:
            every column but the time index and the label column.
        delimiter: a text file's separator (a character, or "tab"); None detects it.
        decimal: "." (default) or ",": a text file's decimal mark.
        label_column: a column (name or 1-based number) of one label per row, returned in
            ``Table.labels`` and left out of the features.
        sequence_key: a long table's column (name or 1-based number) naming each row's
            sequence (``Table.keys``, per row, as written); time_column: with it, a column of
            numbers or dates ordering the rows within a sequence (``Table.times``, float: the
            number, or seconds since 1970 for dates). Both are left out of the features.
        missing: False refuses missing cells (empty, NA, NaN; a DataFrame's NaN) with a message
            counting them; True keeps them as NaN in ``values`` (``--missing mask``).
        static_columns: columns (names or 1-based numbers) of per-sequence attributes
            (``--static-columns``), read per row like the label column into ``Table.static``
            (T, S) object and left out of the features.
    """
    if time_column is not None and sequence_key is None:
        raise DataError("a time column (--time-column) orders the rows of each sequence of a long "
                        "table: give the sequence key column too (--sequence-key)")
    if is_dataframe(source):
        sheet = _from_frame(source, "DataFrame", option="columns=...")
    else:
        path = os.fspath(source)
        reader = READERS.get(os.path.splitext(path)[1].lower())
        if reader is None:
            raise DataError(f"{path}: not a table; expected one of {', '.join(READERS)}")
        sheet = reader(path, delimiter, decimal)
    return _table(sheet, columns, label_column, sequence_key, time_column, missing, static_columns)


def is_dataframe(obj):
    """True for a pandas DataFrame (checked without importing pandas)."""
    return type(obj).__name__ == "DataFrame" and type(obj).__module__.split(".")[0] == "pandas"


# ---------------------------------------------------------------- sources → sheets

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


def check_decimal(decimal, delimiter):
    """The decimal mark, "." (default) or ","; DataError for another or one equal to the separator."""
    mark = "." if decimal is None else decimal
    if mark not in THOUSANDS:
        raise DataError(f"decimal must be '.' or ',', got {decimal!r}")
    if mark == delimiter:
        raise DataError(f"decimal {mark!r} is also the separator: give another --delimiter (e.g. ';')")
    return mark


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


# Peak memory of reading a text table, per byte of the file: measured 28× with tracemalloc on
# a 6 MB dated CSV of 5 number columns (the text, its lines, pandas' python-engine cells and the
# typed frame all live at once); a file whose estimate exceeds the budget is refused before the
# read starts, not after the machine has begun to swap (issue 23, Rule 4).
TEXT_READ_BYTES_PER_BYTE = 30


def _read_text(path):
    check_fits(f"reading {path} ({format_bytes(os.path.getsize(path))})",
               TEXT_READ_BYTES_PER_BYTE * os.path.getsize(path),
               "take fewer rows (e.g. the most recent part of the file) or split it into several files")
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            return fh.read()
    except UnicodeDecodeError as err:
        raise DataError(f"{path}: is not UTF-8 text (byte {err.start}); save it as a UTF-8 CSV") from None


def _ragged(path, line, found, width, delimiter, how):
    fix = "; give --delimiter if the file uses another separator" if how == "detected" else ""
    return DataError(f"{path}: {line} has {found} columns, expected {width} (cells split at "
                     f"{delimiter_label(delimiter)}, {how}{fix})")


def _read_text_file(path, delimiter, decimal):
    """A CSV or TSV file as a sheet: the cells as text, then typed by ``pd.read_csv``."""
    import pandas as pd

    text = _read_text(path)
    # the physical line of each non-blank row (pandas skips blank lines), for messages
    lines = [n for n, line in enumerate(re.split(r"\r\n|\r|\n", text), 1) if line.strip()]
    if not lines:
        raise DataError(f"{path}: is empty")
    if delimiter is None:
        sep, how = ("\t" if path.lower().endswith(".tsv") else sniff_delimiter(text)), "detected"
    else:
        sep, how = check_delimiter(delimiter), "as given"
    mark = check_decimal(decimal, sep)

    def read(**options):
        return pd.read_csv(io.StringIO(text), sep=sep, engine="python", skipinitialspace=True,
                           keep_default_na=False, **options)

    try:
        cells = read(header=None, dtype=str)
    except pd.errors.ParserError as err:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(err))
        if found:
            raise _ragged(path, f"line {found[2]}", found[3], found[1], sep, how) from None
        raise DataError(f"{path}: cannot be read as a table ({err})") from None
    rows = [f"line {n}" for n in lines] if len(lines) == len(cells) else \
        [f"row {k + 1}" for k in range(len(cells))]   # a quoted cell spans lines: count rows
    short = cells.isna().any(axis=1).to_numpy()      # pandas pads a short row with NaN
    if short.any():
        r = int(np.argmax(short))
        raise _ragged(path, rows[r], int(cells.iloc[r].notna().sum()), cells.shape[1], sep, how)
    header = _is_header(cells, mark)
    if header and len(cells) == 1:
        raise DataError(f"{path}: has a header line but no data")
    frame = read(header=0 if header else None, thousands=THOUSANDS[mark], decimal=mark)
    names = [c.strip() for c in cells.iloc[0]] if header else None
    start = 1 if header else 0
    text_cells = cells.iloc[start:].reset_index(drop=True).apply(lambda c: c.str.strip())
    return _Sheet(frame, text_cells, names, rows[start:], path, sep, how, mark)


def _read_binary(path, delimiter, decimal):
    """A Parquet or Excel file as a sheet, through pandas and the engine it needs."""
    import pandas as pd

    suffix = os.path.splitext(path)[1].lower()
    read = pd.read_parquet if suffix == ".parquet" else pd.read_excel
    engine = {".parquet": "pyarrow", ".xlsx": "openpyxl", ".xls": "xlrd"}[suffix]
    if delimiter is not None or decimal is not None:
        raise DataError(f"{path}: delimiter and decimal apply to text files (.csv, .tsv), not to {suffix}")
    try:
        frame = read(path)
    except ImportError:
        raise DataError(f"{path}: reading {suffix} files needs {engine} (pip install {engine})") from None
    except Exception as err:          # the engine's own errors on a damaged file, whatever their type
        raise DataError(f"{path}: cannot be read as a {suffix} table ({type(err).__name__}: {err})") from None
    return _from_frame(frame, path)


def _from_frame(frame, where, option="--columns"):
    """A DataFrame as a sheet; a time-like index (dates, periods, durations) is its time index."""
    import pandas as pd

    index = None
    if isinstance(frame.index, (pd.DatetimeIndex, pd.PeriodIndex, pd.TimedeltaIndex)):
        label = f"the index ({frame.index.name!r})" if frame.index.name else "the index"
        index = (_as_times(frame.index), [str(v) for v in frame.index], label, frame.index.name)
    return _Sheet(frame, None, [str(c) for c in frame.columns], [f"row {i}" for i in range(len(frame))],
                  where, index=index, option=option)


READERS = {".csv": _read_text_file, ".tsv": _read_text_file, ".parquet": _read_binary,
           ".xlsx": _read_binary, ".xls": _read_binary}


# ---------------------------------------------------------------- cells: numbers, dates

def _numbers(texts, mark):
    """The texts (a Series of str) read as pandas reads numbers with this decimal mark, NaN where
    a text is not a number (thousands separators must group three digits)."""
    import pandas as pd

    sep = THOUSANDS[mark]
    grouped = texts.str.fullmatch(rf"[-+]?[0-9]{{1,3}}({re.escape(sep)}[0-9]{{3}})+({re.escape(mark)}[0-9]*)?")
    bare = texts.where(~texts.str.contains(sep, regex=False) | grouped, "x")
    return pd.to_numeric(bare.str.replace(sep, "", regex=False).str.replace(mark, ".", regex=False),
                         errors="coerce")


def _time_form(text, dayfirst=False):
    """The strftime form that reads ``text`` as a date or time (pandas' guess, or a time of day),
    or None."""
    import pandas as pd
    from pandas.tseries.api import guess_datetime_format

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        form = guess_datetime_format(text.strip(), dayfirst=dayfirst)
        if form is None:
            for clock in CLOCKS:
                if pd.notna(pd.to_datetime(text.strip(), format=clock, errors="coerce")):
                    return clock
    return form


def _is_header(cells, mark):
    """True when a cell of the first row is text (not a number, not a date) above a number or a
    date in the second row; a lone row is a header when a cell of it is text."""
    def kinds(row):
        numbers = _numbers(row.str.strip(), mark).notna()
        return ["value" if n or _time_form(t) else ("empty" if not t.strip() else "text")
                for n, t in zip(numbers, row)]

    first = kinds(cells.iloc[0])
    if len(cells) == 1:
        return "text" in first
    return any(a == "text" and b == "value" for a, b in zip(first, kinds(cells.iloc[1])))


def _as_times(values):
    """Datetimes of a DatetimeIndex, PeriodIndex or TimedeltaIndex (durations from 1970-01-01)."""
    import pandas as pd

    if isinstance(values, pd.PeriodIndex):
        return values.to_timestamp()
    if isinstance(values, pd.TimedeltaIndex):
        return pd.Timestamp(0) + values
    return pd.DatetimeIndex(values)


def _read_times(texts, sheet, j):
    """The datetimes (DatetimeIndex) of a time index column's ``texts``: one form for the whole
    column (month-first, then day-first), times of day continued past midnight, offsets to UTC."""
    import pandas as pd

    readings = []
    for dayfirst in (False, True):
        form = _time_form(texts[0], dayfirst)
        if form is None or any(form == f for f, _ in readings):
            continue
        times = pd.DatetimeIndex(pd.to_datetime(pd.Series(texts), format=form, errors="coerce",
                                                utc="%z" in form))
        if not times.isna().any() and not any(d in form for d in "dmYyjbB"):
            times = _past_midnight(times)
        readings.append((form, times))
        if not times.isna().any() and _order(times) is not None:
            return times
    complete = [t for _, t in readings if not t.isna().any()]
    if complete:
        return complete[0]
    form, times = readings[0]
    i = int(np.argmax(times.isna()))
    zone = " (a time zone on every row or on none)" if "%z" in form + (_time_form(texts[i]) or "") else ""
    raise DataError(f"{sheet.where}: {sheet.rows[i]}, {sheet.column(j)}: {texts[i]!r} is not a date or time "
                    f"in the form of {sheet.rows[0]}'s {texts[0]!r} (the time index){zone}")


def _past_midnight(times):
    """Times of day only: each step back (23:50 → 00:10) starts the next day; a column running
    backwards throughout is left as it is (newest first)."""
    import pandas as pd

    steps = np.diff(_ns(times))
    if len(steps) and np.all(steps <= 0) and np.any(steps < 0):
        return times
    days = np.concatenate([[0], np.cumsum(steps < 0)])
    return times + pd.to_timedelta(days, unit="D")


def _ns(times):
    """Nanoseconds since 1970 of a DatetimeIndex (pandas keeps seconds, ms, µs or ns)."""
    return times.as_unit("ns").asi8


def _order(times):
    """"ascending" (non-decreasing), "descending" (non-increasing, not all equal) or None."""
    steps = np.diff(_ns(times))
    if np.all(steps >= 0):
        return "ascending"
    if np.all(steps <= 0):
        return "descending"
    return None


def _first_out_of_order(times):
    """The position of the first time that runs against the direction of the first change."""
    steps = np.sign(np.diff(_ns(times)))
    direction = steps[np.flatnonzero(steps)[0]]
    return int(np.flatnonzero(steps == -direction)[0]) + 1


# ---------------------------------------------------------------- the body

def _table(sheet, columns, label_column, sequence_key=None, time_column=None, missing=False,
           static_columns=None):
    """The sheet's chosen columns as a Table, checked and in time order (a long table: the key
    and time columns read, rows as in the file); ``missing``: keep missing cells as NaN."""
    width = sheet.frame.shape[1]
    if width == 0 or len(sheet.frame) == 0:
        raise DataError(f"{sheet.where}: is empty (shape {sheet.frame.shape})")
    tokens = parse_column_list(columns)
    chosen = resolve_columns(tokens, sheet.names, width, sheet.where) if tokens else None
    label = None
    if label_column is not None:
        (label,) = resolve_columns(parse_column_list(str(label_column)), sheet.names, width, sheet.where)
    key = when = None
    if sequence_key is not None:
        (key,) = resolve_columns(parse_column_list(str(sequence_key)), sheet.names, width, sheet.where)
    if time_column is not None:
        (when,) = resolve_columns(parse_column_list(str(time_column)), sheet.names, width, sheet.where)
    static = []
    if static_columns is not None:
        static = resolve_columns(parse_column_list(static_columns), sheet.names, width, sheet.where)
    index = None if key is not None else sheet.index
    if key is None and index is None and (chosen is None or 0 not in chosen) and label != 0 and width > 1:
        index = _column_times(sheet)
    if chosen is None:
        skip = {label, key, when, *static} | ({0} if index is not None and sheet.index is None else set())
        chosen = [j for j in range(width) if j not in skip]
    if not chosen:
        raise DataError(f"{sheet.where}: no feature columns are left beside the label column "
                        f"{sheet.column(label)}")
    values = _values(sheet, chosen, missing)
    labels = None if label is None else _labels(sheet, label)
    rows = np.arange(len(values))
    time_index, notes = None, []
    if index is not None:
        rows, time_index, notes = _in_time_order(sheet, *index)
        values = values[rows]
        labels = None if labels is None else labels[rows]
    names = [sheet.names[j] for j in chosen] if sheet.names else None
    table = Table(values, names, [j + 1 for j in chosen], sheet.delimiter, time_index, rows, labels, notes)
    if key is not None:
        table.keys = _labels(sheet, key, "no sequence key")
        table.key_name = sheet.names[key] if sheet.names else f"column {key + 1}"
    if when is not None:
        table.times, table.time_kind = _step_times(sheet, when)
        table.time_name = sheet.names[when] if sheet.names else f"column {when + 1}"
    if static:
        table.static = np.column_stack([_labels(sheet, j, "no attribute value") for j in static])[rows]
        table.static_names = [sheet.names[j] if sheet.names else f"column {j + 1}" for j in static]
    return table


def _step_times(sheet, j):
    """A long table's time column: (per row float — the number, or seconds since 1970 for
    dates —, "number" or "date")."""
    import pandas as pd

    col = sheet.frame.iloc[:, j]
    if pd.api.types.is_numeric_dtype(col):
        return _values(sheet, [j])[:, 0], "number"
    texts = [sheet.cell(r, j) for r in range(len(col))]
    numbers = _numbers(pd.Series(texts, dtype=object).astype(str), sheet.decimal)
    if numbers.notna().all():
        return numbers.to_numpy(dtype=np.float64), "number"
    if not _time_form(texts[0]):
        raise DataError(f"{sheet.where}: {sheet.rows[0]}, {sheet.column(j)}: {_shown(texts[0])} is neither "
                        f"a number nor a date (the time column orders each sequence's rows)")
    return _ns(_read_times(texts, sheet, j)) / 1e9, "date"


def _column_times(sheet):
    """(times, texts, label, name) of the first column if it is a time index, else None."""
    import pandas as pd

    first = sheet.frame.iloc[:, 0]
    label, name = sheet.column(0), sheet.names[0] if sheet.names else "time"
    if pd.api.types.is_datetime64_any_dtype(first) or pd.api.types.is_timedelta64_dtype(first):
        return _as_times(pd.Index(first)), [str(v) for v in first], label, name
    if sheet.text is None and not all(isinstance(v, str) for v in first):
        return None
    texts = [sheet.cell(r, 0) for r in range(len(first))]
    if _numbers(pd.Series(texts[:1], dtype=object).astype(str), sheet.decimal).notna()[0] or not _time_form(texts[0]):
        return None
    return _read_times(texts, sheet, 0), texts, label, name


def _missing_cells(sheet, chosen):
    """(T, F) bool: the chosen cells that are missing (MISSING texts; a DataFrame's NaN/None)."""
    if sheet.text is None:
        return sheet.frame.iloc[:, chosen].isna().to_numpy()
    return np.column_stack([sheet.text.iloc[:, j].str.lower().isin(MISSING).to_numpy() for j in chosen])


def _refuse_missing(sheet, chosen, gaps):
    """The DataError of a table with missing cells when they are not to be learned around."""
    r, k = (int(i[0]) for i in np.nonzero(gaps))
    raise DataError(f"{sheet.where}: {int(gaps.sum())} of {gaps.size} cells are missing (empty, NA or NaN; "
                    f"first at {sheet.rows[r]}, {sheet.column(chosen[k])}): fill them in, or train with "
                    f"--missing mask to learn around them")


def _values(sheet, chosen, missing=False):
    """The chosen columns (T, F) float64: numbers only, all finite; with ``missing``, NaN at the
    missing cells (else those are refused)."""
    import pandas as pd

    gaps = _missing_cells(sheet, chosen)
    if gaps.any() and not missing:
        _refuse_missing(sheet, chosen, gaps)
    for k, j in enumerate(chosen):
        col = sheet.frame.iloc[:, j]
        if col.dtype.kind == "c":
            raise DataError(f"{sheet.where}: {sheet.column(j)} holds complex numbers; give the real and "
                            f"imaginary parts as two columns")
        numeric = pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col)
        texts = None if sheet.text is None else sheet.text.iloc[:, j]
        bad = np.zeros(len(col), bool)
        if not numeric:
            texts = col.astype(str) if texts is None else texts
            bad = _numbers(texts, sheet.decimal).isna().to_numpy() & ~gaps[:, k]
            if not bad.any() and not gaps[:, k].any():
                raise DataError(f"{sheet.where}: {sheet.column(j)} holds {col.dtype} values, not numbers "
                                f"(choose the numeric columns with {sheet.option})")
        elif texts is not None:       # pandas strips any thousands mark: check they group by three
            marked = texts.str.contains(THOUSANDS[sheet.decimal], regex=False).to_numpy()
            if marked.any():
                bad = marked & _numbers(texts, sheet.decimal).isna().to_numpy()
        if bad.any():
            r = int(np.argmax(bad))
            cell = sheet.cell(r, j)
            problem = "is not finite" if cell.strip().lower() in NOT_FINITE else "is not a number" + _hint(sheet, r, j)
            raise DataError(f"{sheet.where}: {sheet.rows[r]}, {sheet.column(j)}: {_shown(cell)} {problem}")
    if gaps.any():
        values = np.column_stack([_column_values(sheet, j) for j in chosen])
        values[gaps] = np.nan
        found = first_nonfinite(np.where(gaps, 0.0, values))
    else:
        values = sheet.frame.iloc[:, chosen].to_numpy(dtype=np.float64, na_value=np.nan)
        found = first_nonfinite(values)
    if found:
        (r, k), count = found
        shown = repr(sheet.cell(r, chosen[k])) if sheet.text is not None else values[r, k]
        raise DataError(f"{sheet.where}: {sheet.rows[r]}, {sheet.column(chosen[k])}: {shown} is not finite "
                        f"({count} non-finite values in all)")
    return values


def _column_values(sheet, j):
    """Column j (T,) float64, NaN where a cell is not a number (a column with missing cells)."""
    import pandas as pd

    col = sheet.frame.iloc[:, j]
    if pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
        return col.to_numpy(dtype=np.float64, na_value=np.nan)
    texts = col.astype(str) if sheet.text is None else sheet.text.iloc[:, j]
    return _numbers(texts, sheet.decimal).to_numpy(dtype=np.float64)


def _shown(cell):
    return repr(cell) if cell.strip() else "an empty cell"


def _hint(sheet, r, j):
    """Why a cell is not a number, when it can be told."""
    cell = sheet.cell(r, j).strip()
    others = [d for d in DELIMITERS if d != sheet.delimiter and d in cell]
    if sheet.delimiter and sheet.frame.shape[1] == 1 and others:
        return (f" (the rows are one column when split at {delimiter_label(sheet.delimiter)}, {sheet.how}: "
                f"is the separator {delimiter_label(others[0])}? give --delimiter)")
    if any(c.isdigit() and c not in "0123456789" for c in cell):
        return " (digits other than 0-9 are not read as numbers)"
    if "_" in cell:
        return " (write numbers without underscores)"
    if sheet.decimal == "." and re.fullmatch(r"[-+]?[0-9]+,[0-9]+", cell):
        return " (a decimal comma? give --decimal , for decimal commas)"
    if THOUSANDS[sheet.decimal] in cell:
        return f" (thousands separators group three digits: 1{THOUSANDS[sheet.decimal]}000)"
    if _time_form(cell):
        if j == 0:
            return " (a first column of dates or times is read as the time index when it is not chosen as a feature)"
        return " (dates or times are read only in column 1, as the time index)"
    if r == 0:
        return f" (choose the numeric columns with {sheet.option})"
    return ""


def _labels(sheet, j, missing="no label"):
    """The label column (T,) object: numbers as int or float (so 3 sorts before 10), else text
    (also a long table's sequence keys; ``missing`` says what an empty cell lacks)."""
    import pandas as pd

    texts = [sheet.cell(r, j).strip() for r in range(len(sheet.frame))]
    numbers = _numbers(pd.Series(texts, dtype=object).astype(str), sheet.decimal)
    labels = np.empty(len(texts), dtype=object)
    for r, (text, number) in enumerate(zip(texts, numbers)):
        if not text or text == "nan":
            raise DataError(f"{sheet.where}: {sheet.rows[r]}, {sheet.column(j)}: {missing}")
        labels[r] = text if pd.isna(number) else (int(number) if float(number).is_integer() else float(number))
    return labels


def _in_time_order(sheet, times, texts, label, name):
    """(rows in time order (T,), the time index's description, notes) of a time index.

    Rows that run backwards (newest first, as many price downloads do) are reversed; rows in
    neither order are a DataError naming the first row that breaks the order."""
    order = _order(times)
    rows = np.arange(len(times))
    if order == "descending":
        rows, order = rows[::-1].copy(), "descending (reversed to time order)"
    elif order is None:
        i = _first_out_of_order(times)
        raise DataError(f"{sheet.where}: {sheet.rows[i]}, {label}: {texts[i]!r} after {sheet.rows[i - 1]}'s "
                        f"{texts[i - 1]!r} breaks the time order of the rows before it (sort the rows by {label})")
    ordered = times[rows]
    steps = np.diff(_ns(ordered)) / 1e9
    # the typical spacing of the rows (the median step, in seconds), to continue the index
    step = float(np.sort(steps)[len(steps) // 2]) if len(steps) else None
    repeats = np.flatnonzero(steps == 0)
    gaps = np.flatnonzero(steps > GAP * step) if step else np.array([], int)
    notes = []
    if repeats.size:
        notes.append(f"{sheet.where}: {repeats.size} rows repeat the time of the row before ("
                     f"first {sheet.rows[rows[repeats[0] + 1]]}, {texts[rows[repeats[0] + 1]]!r})")
    if gaps.size:
        notes.append(f"{sheet.where}: {gaps.size} gaps longer than {GAP:g} x the typical step of {step:g} s "
                     f"(first before {sheet.rows[rows[gaps[0] + 1]]}, {texts[rows[gaps[0] + 1]]!r}); "
                     f"the rows are taken as equally spaced steps")
    last = ordered[-1]
    return rows, {"column": label, "name": name or "time", "first": str(texts[rows[0]]),
                  "last": str(texts[rows[-1]]), "order": order, "last_time": last.isoformat(),
                  "step_seconds": step, "duplicates": int(repeats.size), "gaps": int(gaps.size)}, notes


# ---------------------------------------------------------------- choosing columns

def parse_column_list(columns):
    """``"a,b,3"`` or ``["a", 3]`` → a list of tokens (str names or int 1-based numbers), or None.

    A token made of digits is a number unless the table has a column of that name (see
    :func:`resolve_columns`)."""
    if columns is None:
        return None
    tokens = [t.strip() for t in columns.split(",")] if isinstance(columns, str) else list(columns)
    if not tokens or any(t == "" for t in tokens):
        raise DataError(f"columns must be a comma-separated list of column names or 1-based numbers, "
                        f"got {columns!r}")
    return tokens


def resolve_columns(tokens, names, width, where):
    """0-based positions of the chosen columns, in the order given: a header name (exact, else
    ignoring case), else a 1-based number. ``names`` is None for a table without a header."""
    positions = []
    lowered = [n.lower() for n in names] if names is not None else None
    for token in tokens:
        text = str(token).strip()
        if names is not None and text in names:
            j = names.index(text)
        elif names is not None and text.lower() in lowered:
            j = lowered.index(text.lower())
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
