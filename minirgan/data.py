"""Data for minirgan, embedded (nothing is downloaded), and the user's own files.

``load_dataset(name_or_path)`` is the one entry point the trainer uses. It returns sequences
(N, T, F) scaled to [0, 1] per feature, the fitted :class:`MinMaxScaler` (its
``inverse_transform`` maps generated samples back to the data's units) and a small JSON-friendly
``info`` dict. Every problem with the data raises a :class:`DataError` with a one-line message
naming the problem and where it is, before any training starts.

Data sets:

* ``"sines"`` — TimeGAN's sines (:func:`timegan_sines`): 10,000 × 24 steps × 5 features.
* ``"rcgan-sines"`` — RCGAN-style sines (:func:`rcgan_sines`): 10,000 × seq_len × 1, amplitude,
  frequency and phase varied.
* ``"digits"`` — font digits as sequences of rows, C5 (:func:`digit_sequences`): 10,000 ×
  16 rows × 16 pixels, rendered with jitter; T = 16 rows (another ``seq_len`` is refused).
* ``"uci-digits"`` — real handwriting, the UCI optical-recognition digits (:func:`uci_digits`,
  CC BY 4.0, shipped with the package): 1,797 × 8 rows × 8 pixels; T = 8 rows.
* ``"stocks"`` — TimeGAN's Stocks benchmark, daily Google prices (``datasets/stocks.py``,
  Apache-2.0, shipped with the package): the embedded ``stock_data.csv`` read like a user's CSV,
  3,685 days × 6 columns, cut into 3,662 overlapping windows of ``seq_len`` = 24 steps.
* a path to a ``.npy`` (N, T, F) file, used as it is, or a ``.npy`` (T, F) / ``.csv`` (rows are
  time, columns features) series, cut into overlapping windows of ``seq_len`` steps (stride 1).
  A CSV file's separator is detected (or given), a first column of dates is its time index, and
  ``columns`` chooses the features (:mod:`minirgan.datasets.csv_file`).
* in Python, a pandas DataFrame, read like a CSV file (:mod:`minirgan.datasets.frames`).

``load_labelled_dataset`` adds one label per sequence, for conditional training: the digit of
the two digit sets, the frequency band of the RCGAN sines, or a labels .npy beside a file.
"""

import os

import numpy as np

from .datasets.digits import digit_sequences
from .datasets.checks import DataError, check_count, check_sequences
from .datasets.handwriting import uci_digits
from .datasets.csv_file import read_csv
from .datasets.files import check_csv_only, check_file, checked_header, load_array, make_windows
from .datasets.frames import is_dataframe, read_frame
from .datasets.sampling import batch_indices, random_batch, random_subset, train_test_split
from .datasets.scaler import MinMaxScaler
from .datasets.label_column import read_label_column
from .datasets.labels import LabelMap
from .datasets.sines import rcgan_sines, rcgan_sines_by_band, timegan_sines
from .datasets import stocks

DATASETS = ("sines", "rcgan-sines", "digits", "uci-digits", "stocks")
# the embedded image sets: pixels already in [0, 1], images of T rows × F pixels
IMAGE_SETS = ("digits", "uci-digits")
DEFAULT_N = 10000
# the embedded sets with a label per sequence: the digit (0..9) or the sine's frequency band
LABELLED_SETS = ("digits", "uci-digits", "rcgan-sines")
LABELS_WANTED = object()          # _load's marker: labels wanted, from the data set itself
DEFAULT_SEQ_LEN = 24     # T of the sines and the window length of a series, unless given

__all__ = ["DATASETS", "DataError", "LABELLED_SETS", "LabelMap", "MinMaxScaler", "batch_indices",
           "digit_sequences", "load_array", "load_dataset", "load_labelled_dataset", "make_windows",
           "random_batch", "random_subset", "rcgan_sines", "timegan_sines", "train_test_split", "uci_digits"]


def _builtin(name, seq_len, n, rng):
    """(sequences (N, T, F), feature names, labels (N,) or None) of an embedded data set (the
    names label messages and plots)."""
    if name == "uci-digits":
        images, labels = uci_digits(n, rng=rng)
        return images, [f"pixel column {j}" for j in range(images.shape[2])], labels
    n = DEFAULT_N if n is None else n
    if name == "sines":
        return timegan_sines(n, seq_len, dim=5, rng=rng), [f"sine {j}" for j in range(5)], None
    if name == "rcgan-sines":
        # the same draws as rcgan_sines(n, seq_len, dim=1, rng), with each sine's frequency band
        sines, bands = rcgan_sines_by_band(n, seq_len, rng=rng)
        return sines, ["sine"], bands
    images, labels = digit_sequences(n, rng=rng)
    return images, [f"pixel column {j}" for j in range(images.shape[2])], labels


def _from_table(table, where, seq_len, n, what="the file"):
    """(sequences (N, T, F), feature names, info about what was read) of a Table, cut into windows."""
    data = make_windows(table.values, seq_len, where=where)
    return _first_n(data, n, where, what), table.feature_names(), table.info()


def _first_n(data, n, where, what="the file"):
    """The first n sequences of ``data``; more than it holds is a DataError."""
    if n is not None:
        if n > data.shape[0]:
            raise DataError(f"{where}: n={n} sequences requested, but {what} gives only {data.shape[0]}")
        data = data[:n]
    return data


def _from_file(path, seq_len, n, columns, delimiter):
    """(sequences (N, T, F), feature names, whether they are windows of one series, what was
    read) of a file.

    A CSV's names are its header's, else "column j" (1-based, as in a spreadsheet); a .npy's are
    "feature j" (0-based, as in NumPy)."""
    path = check_file(path)
    if path.lower().endswith(".csv"):
        data, names, read = _from_table(read_csv(path, delimiter=delimiter, columns=columns), path, seq_len, n)
        return data, names, True, read
    series = load_array(path, delimiter=delimiter, columns=columns)
    names = [f"feature {j}" for j in range(series.shape[-1])]
    windowed = series.ndim == 2
    data = make_windows(series, seq_len, where=path) if windowed else series
    return _first_n(data, n, path), names, windowed, {}


def _check_length(data, seq_len, where):
    """Sequences whose length is fixed by the data (images, a .npy (N, T, F) file) refuse another
    ``seq_len`` instead of ignoring it (issue 11 §5)."""
    if seq_len is not None and seq_len != data.shape[1]:
        raise DataError(f"{where}: its sequences have T={data.shape[1]} steps, but seq_len={seq_len} was "
                        f"asked; leave seq_len (--seq-len) out to use T={data.shape[1]}")
    return data


def load_dataset(name_or_path, seq_len=None, n=None, rng=None, columns=None, delimiter=None):
    """Load a data set by name (``DATASETS``), path or DataFrame, checked and min-max scaled to [0, 1].

    Inputs:
        name_or_path: one of ``DATASETS``, a path to a .npy or .csv file, or a pandas
            DataFrame (rows time, columns features; see :mod:`minirgan.datasets.frames`).
        seq_len: T for the sines and the window length for "stocks", a (T, F) series, a CSV
            file or a DataFrame (None: DEFAULT_SEQ_LEN = 24). For the image sets (T = 16 rows for
            "digits", 8 for "uci-digits") and a .npy (N, T, F) file, T is the data's: None
            takes it, another value is a DataError.
        n: number of sequences: generated for the embedded sets (default 10,000), a random
            subset of "uci-digits" (default all 1,797), the first n for "stocks" and a file (default all;
            more than the file or "uci-digits" holds is an error).
        rng: seed or ``np.random.Generator`` for the embedded sets.
        columns: a CSV file's or DataFrame's feature columns, names or 1-based numbers
            ("open,close" or [2, 5]); default every column but a time index.
        delimiter: a CSV file's separator (",", ";", "tab", ...); default detected.

    Returns ``(data, scaler, info)``: data (N, T, F) float64 in [0, 1]; the fitted
    :class:`MinMaxScaler`; info {"name", "source", "n", "seq_len", "features", "feature_names",
    "windowed"} with plain Python values (JSON-friendly), plus for a CSV file or a DataFrame
    "columns" (1-based), "delimiter" and "time_index" ({"column", "first", "last", "order"} or
    None).
    """
    data, _, scaler, info = _load(name_or_path, seq_len, n, rng, columns, delimiter, None)
    return data, scaler, info


def load_labelled_dataset(name_or_path, labels=None, seq_len=None, n=None, rng=None, columns=None,
                          delimiter=None, label_column=None):
    """A data set with one label per sequence, for conditional training.

    Inputs as :func:`load_dataset`, and ``labels``: for a file, the path of a .npy holding its
    labels — (N,) for a .npy (N, T, F) of sequences, or (T,) one per time step for a (T, F)
    series or a CSV file, whose windows then keep only those lying within one label (a window
    across a change of label has no single class; how many were left out is in
    ``info["windows_dropped"]``). The embedded sets in ``LABELLED_SETS`` bring their own (the
    digit; "slow", "medium" or "fast" for the sines' frequency band) and take no ``labels``.
    ``label_column``: instead of ``labels``, a CSV file's column (name or 1-based number) holding
    one label per row; the features are then the other columns (or ``columns``).

    Returns ``(data, classes, label_map, scaler, info)``: classes (N,) int64 in 0..K−1 and the
    :class:`LabelMap` between them and the labels; info as load_dataset's plus "labels" (the
    label map's JSON list).
    """
    if label_column is not None:
        if labels is not None:
            raise DataError("give labels (a .npy) or label_column (a CSV column), not both")
        path = check_file(name_or_path)
        if not path.lower().endswith(".csv"):
            raise DataError(f"{path}: label_column={label_column!r} needs a .csv file")
        row_labels, features = read_label_column(path, label_column, delimiter)
        labels = LabelColumn(np.array(row_labels, dtype=object), f"{path}, column {label_column!r}")
        columns = features if columns is None else columns
    data, raw, scaler, info = _load(name_or_path, seq_len, n, rng, columns, delimiter,
                                    LABELS_WANTED if labels is None else labels)
    where = labels.where if isinstance(labels, LabelColumn) else (os.fspath(labels) if labels else info["source"])
    label_map, classes = LabelMap.fit(raw, where=where)
    info["labels"] = label_map.to_json()
    return data, classes, label_map, scaler, info


class LabelColumn:
    """A CSV file's labels read from one of its columns: ``values`` (T,), one per data row."""

    def __init__(self, values, where):
        self.values, self.where = values, where


def _file_labels(labels, data_path, series_length, windowed, seq_len, reversed_rows=False):
    """Labels of a file's sequences from a labels .npy path (or a LabelColumn): (N,) as they are,
    or one per row of the file → windows with a mask of those lying inside one label.
    ``reversed_rows``: the reader put a newest-first CSV in time order, so the labels (one per
    line of the file) follow."""
    if isinstance(labels, LabelColumn):
        path, raw = labels.where, labels.values
    else:
        path = check_file(labels)
        checked_header(path)
        try:
            raw = np.load(path, allow_pickle=False)
        except ValueError as exc:
            raise DataError(f"{path}: cannot be read without pickle ({exc})") from None
    if raw.ndim != 1 or len(raw) != series_length:
        what = "time step of its series" if windowed else "sequence"
        raise DataError(f"{path}: expected one label per {what} of {data_path}, i.e. shape "
                        f"({series_length},), got {raw.shape}")
    if not windowed:
        return raw, None
    if reversed_rows:
        raw = raw[::-1]
    # window i covers rows i..i+T−1: it has a class only if every row shares one label
    rows = np.lib.stride_tricks.sliding_window_view(raw, seq_len)
    return rows[:, 0], np.all(rows == rows[:, :1], axis=1)


def _load(name_or_path, seq_len, n, rng, columns, delimiter, labels):
    """(data, raw labels (N,) or None, scaler, info): the body of both loaders. ``labels``: None
    (not wanted; an embedded set's own come back all the same), LABELS_WANTED, or a labels path."""
    if n is not None:
        check_count("n", n)
    if seq_len is not None:
        check_count("seq_len", seq_len)
    fixed_length, seq_len = seq_len, DEFAULT_SEQ_LEN if seq_len is None else seq_len
    labels_file = labels not in (None, LABELS_WANTED)
    if labels_file and not is_dataframe(name_or_path) and os.fspath(name_or_path) in DATASETS:
        name = os.fspath(name_or_path)
        raise DataError(f"labels={getattr(labels, 'where', labels)!r}: the embedded data set {name!r} "
                        + ("brings its own labels" if name in LABELLED_SETS else "has no labels"))
    read, raw = {}, None
    if is_dataframe(name_or_path):
        data, names, read = _from_table(read_frame(name_or_path, columns=columns), "DataFrame", seq_len, n,
                                         "the DataFrame")
        source, name, windowed = "<pandas DataFrame>", "dataframe", True
    elif os.fspath(name_or_path) == "stocks":
        # the embedded file goes through the same reader as a user's CSV
        name = source = "stocks"
        data, names, windowed, read = _from_file(stocks.PATH, seq_len, n, columns, delimiter)
    elif os.fspath(name_or_path) in DATASETS:
        name = os.fspath(name_or_path)
        check_csv_only(name, "an embedded data set", columns=columns, delimiter=delimiter)
        data, names, raw = _builtin(name, seq_len, n, rng)
        source, windowed = name, False
        if name in IMAGE_SETS:
            data = _check_length(data, fixed_length, name)
    elif os.fspath(name_or_path).lower().endswith((".npy", ".csv")) or os.path.exists(name_or_path):
        path = os.fspath(name_or_path)
        data, names, windowed, read = _from_file(path, seq_len, None if labels_file else n, columns,
                                                 delimiter)
        source, name = os.path.abspath(path), "file"
        if not windowed:
            data = _check_length(data, fixed_length, path)
        if labels_file:
            length = data.shape[0] + (seq_len - 1 if windowed else 0)
            reversed_rows = "reversed" in str((read.get("time_index") or {}).get("order", ""))
            given = labels if isinstance(labels, LabelColumn) else os.fspath(labels)
            raw, keep = _file_labels(given, source, length, windowed, seq_len, reversed_rows)
            if keep is not None:
                data, raw = data[keep], raw[keep]
                read = {**read, "windows_dropped": int(np.count_nonzero(~keep))}
            data, raw = _first_n(data, n, source, "the labelled file"), raw[:n]
    else:
        raise DataError(f"unknown data set {os.fspath(name_or_path)!r}: expected one of {', '.join(DATASETS)}, "
                        f"or a path to a .npy or .csv file")
    if labels is not None and raw is None:
        raise DataError(f"{source}: has no labels; a conditional run needs one label per sequence "
                        f"(labels=FILE.npy for a file, or one of {', '.join(LABELLED_SETS)})")
    data = check_sequences(data, source)
    if name in IMAGE_SETS:
        # Pixels already lie in [0, 1]; fitting per column would fail on columns that are
        # blank in every image (constant) and stretch faint ones.
        scaler = MinMaxScaler().fit_bounds(np.zeros(data.shape[2]), np.ones(data.shape[2]))
    else:
        scaler = MinMaxScaler().fit(data, feature_names=[f"{source}: {c}" for c in names])
    info = {"name": name, "source": source, "n": int(data.shape[0]), "seq_len": int(data.shape[1]),
            "features": int(data.shape[2]), "feature_names": names, "windowed": windowed, **read}
    return scaler.transform(data), raw, scaler, info

