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
  16 rows × 16 pixels, rendered with jitter; ``seq_len`` is ignored (an image has 16 rows).
* ``"uci-digits"`` — real handwriting, the UCI optical-recognition digits (:func:`uci_digits`,
  CC BY 4.0, shipped with the package): 1,797 × 8 rows × 8 pixels; ``seq_len`` is ignored.
* ``"stocks"`` — TimeGAN's Stocks benchmark, daily Google prices (``datasets/stocks.py``,
  Apache-2.0, shipped with the package): the embedded ``stock_data.csv`` read like a user's CSV,
  3,685 days × 6 columns, cut into 3,662 overlapping windows of ``seq_len`` = 24 steps.
* a path to a ``.npy`` (N, T, F) file, used as it is, or a ``.npy`` (T, F) / ``.csv`` (rows are
  time, columns features) series, cut into overlapping windows of ``seq_len`` steps (stride 1).
"""

import os

import numpy as np

from .datasets.digits import digit_sequences
from .datasets.checks import DataError, check_count, check_sequences
from .datasets.handwriting import uci_digits
from .datasets.files import check_file, load_array, make_windows, read_csv
from .datasets.scaler import MinMaxScaler
from .datasets.sines import rcgan_sines, timegan_sines
from .datasets import stocks

DATASETS = ("sines", "rcgan-sines", "digits", "uci-digits", "stocks")
# the embedded image sets: pixels already in [0, 1], images of T rows × F pixels
IMAGE_SETS = ("digits", "uci-digits")
DEFAULT_N = 10000

__all__ = ["DATASETS", "DataError", "MinMaxScaler", "digit_sequences", "load_array", "load_dataset",
           "make_windows", "rcgan_sines", "timegan_sines", "train_test_split", "uci_digits"]


def _builtin(name, seq_len, n, rng):
    """(sequences (N, T, F), feature names) of an embedded data set (the names label messages and
    plots)."""
    if name == "uci-digits":
        images, _ = uci_digits(n, rng=rng)
        return images, [f"pixel column {j}" for j in range(images.shape[2])]
    n = DEFAULT_N if n is None else n
    if name == "sines":
        return timegan_sines(n, seq_len, dim=5, rng=rng), [f"sine {j}" for j in range(5)]
    if name == "rcgan-sines":
        return rcgan_sines(n, seq_len, dim=1, rng=rng), ["sine"]
    images, _ = digit_sequences(n, rng=rng)
    return images, [f"pixel column {j}" for j in range(images.shape[2])]


def _from_file(path, seq_len, n):
    """(sequences (N, T, F), feature names, whether they are windows of one series) of a file.

    A CSV's names are its header's, else "column j" (1-based, as in a spreadsheet); a .npy's are
    "feature j" (0-based, as in NumPy)."""
    path = check_file(path)
    if path.lower().endswith(".csv"):
        series, header = read_csv(path)
        names = [f"column {j + 1} ({c!r})" for j, c in enumerate(header)] if header else \
                [f"column {j + 1}" for j in range(series.shape[1])]
    else:
        series = load_array(path)
        names = [f"feature {j}" for j in range(series.shape[-1])]
    windowed = series.ndim == 2
    data = make_windows(series, seq_len, where=path) if windowed else series
    if n is not None:
        if n > data.shape[0]:
            raise DataError(f"{path}: n={n} sequences requested, but the file gives only {data.shape[0]}")
        data = data[:n]
    return data, names, windowed


def load_dataset(name_or_path, seq_len=24, n=None, rng=None):
    """Load a data set by name (``DATASETS``) or path, checked and min-max scaled to [0, 1].

    Inputs:
        name_or_path: one of ``DATASETS`` or a path to a .npy or .csv file.
        seq_len: T for the sines and the window length for "stocks" and a (T, F) series; ignored for the
            image sets (T = 16 rows for "digits", 8 for "uci-digits") and for a .npy (N, T, F)
            file (T is the file's).
        n: number of sequences: generated for the embedded sets (default 10,000), a random
            subset of "uci-digits" (default all 1,797), the first n for "stocks" and a file (default all;
            more than the file or "uci-digits" holds is an error).
        rng: seed or ``np.random.Generator`` for the embedded sets.

    Returns ``(data, scaler, info)``: data (N, T, F) float64 in [0, 1]; the fitted
    :class:`MinMaxScaler`; info {"name", "source", "n", "seq_len", "features", "feature_names",
    "windowed"} with plain Python values (JSON-friendly).
    """
    if n is not None:
        check_count("n", n)
    name = os.fspath(name_or_path)
    if name == "stocks":
        # the embedded file goes through the same reader as a user's CSV
        data, names, windowed = _from_file(stocks.PATH, seq_len, n)
        source = name
    elif name in DATASETS:
        data, names = _builtin(name, seq_len, n, rng)
        source, windowed = name, False
    elif name.lower().endswith((".npy", ".csv")) or os.path.exists(name):
        data, names, windowed = _from_file(name, seq_len, n)
        source, name = os.path.abspath(name), "file"
    else:
        raise DataError(f"unknown data set {name!r}: expected one of {', '.join(DATASETS)}, "
                        f"or a path to a .npy or .csv file")
    data = check_sequences(data, source)
    if name in IMAGE_SETS:
        # Pixels already lie in [0, 1]; fitting per column would fail on columns that are
        # blank in every image (constant) and stretch faint ones.
        scaler = MinMaxScaler().fit_bounds(np.zeros(data.shape[2]), np.ones(data.shape[2]))
    else:
        scaler = MinMaxScaler().fit(data, feature_names=[f"{source}: {c}" for c in names])
    info = {"name": name, "source": source, "n": int(data.shape[0]), "seq_len": int(data.shape[1]),
            "features": int(data.shape[2]), "feature_names": names, "windowed": windowed}
    return scaler.transform(data), scaler, info


def train_test_split(data, test_fraction=0.2, rng=None):
    """Shuffle the sequences (N, …) and split them: returns ``(train, test)``.

    The test part holds round(N · test_fraction) sequences, at least one, and the training part
    at least one. Windows cut from one series overlap, so a held-out window shares time steps
    with its training neighbours; for a strict split, cut the series before windowing.
    """
    data = np.asarray(data)
    if not 0.0 < float(test_fraction) < 1.0:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction!r}")
    N = data.shape[0] if data.ndim else 0
    if N < 2:
        raise ValueError(f"data must hold at least 2 sequences to split, got shape {data.shape}")
    n_test = min(max(int(round(N * float(test_fraction))), 1), N - 1)
    order = np.random.default_rng(rng).permutation(N)
    return data[order[n_test:]], data[order[:n_test]]
