"""Class labels of any kind (strings, integers, ...) mapped to classes 0..K−1 and back.

A conditional run trains on classes, integers 0..K−1, but the user speaks their own labels:
"walking", 3, "AAPL". :class:`LabelMap` holds the sorted distinct labels (the class of a label is
its index) as plain JSON values, so the run's config.json stores them and ``sample --label
walking`` finds the class again. On the command line every label arrives as text; ``encode``
accepts the text form of a label too ("3" finds the label 3) when that is unambiguous.
"""

import numpy as np

from .checks import DataError

MIN_PER_CLASS = 5     # fewer sequences per class on average: the labels are refused unless asked for


def _plain(value, where):
    """A label as a plain JSON value (str, int, float or bool), or a DataError."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bytes):
        value = value.decode()
    if isinstance(value, float) and value.is_integer():
        value = int(value)                 # 3.0 read from a file is the label 3
    if not isinstance(value, (str, int, float, bool)) or (isinstance(value, float) and not np.isfinite(value)):
        raise DataError(f"{where}: labels must be strings or numbers, got {value!r}")
    return value


def _order(value):
    """Sort numbers numerically, then strings alphabetically."""
    return (1, value, 0) if isinstance(value, str) else (0, "", float(value))


class LabelMap:
    """The K distinct labels of a data set in sorted order; a label's class is its index."""

    def __init__(self, classes):
        classes = [_plain(c, "labels") for c in classes]
        if len(set(classes)) != len(classes) or len(classes) < 1:
            raise ValueError(f"classes must be distinct and at least one, got {classes!r}")
        self.classes = classes
        self._index = {c: k for k, c in enumerate(classes)}

    @classmethod
    def fit(cls, labels, where="labels"):
        """(LabelMap of the distinct labels, their classes (N,) int64) for labels (N,)."""
        arr = np.asarray(labels, dtype=object)
        if arr.ndim != 1:
            raise DataError(f"{where}: labels must be one per sequence, shape (N,), got {arr.shape}")
        values = [_plain(v, where) for v in arr]
        if not values:
            raise DataError(f"{where}: no labels")
        mapping = cls(sorted(set(values), key=_order))
        return mapping, np.array([mapping._index[v] for v in values], dtype=np.int64)

    def check_count(self, n, where, many_classes=False):
        """DataError when the K classes are more than n / MIN_PER_CLASS for n sequences (fewer than
        MIN_PER_CLASS per class on average: labels that look like measurements, e.g. 100
        distinct float values), unless ``many_classes`` asks for them."""
        if len(self) * MIN_PER_CLASS > n and not many_classes:
            raise DataError(f"{where}: {len(self)} distinct labels for {n} sequences (fewer than "
                            f"{MIN_PER_CLASS} per class on average): are they classes? give --many-classes "
                            f"(many_classes=True) to train on them anyway")
        return self

    def __len__(self):
        return len(self.classes)

    def encode_one(self, label):
        """The class of one label, given as itself or as its text; ValueError if unknown."""
        try:
            value = _plain(label, "label")
        except DataError as err:
            raise ValueError(str(err)) from None
        if value in self._index and type(value) is type(self.classes[self._index[value]]):
            return self._index[value]
        by_text = [k for k, c in enumerate(self.classes) if str(c) == str(value)]
        if len(by_text) == 1:
            return by_text[0]
        raise ValueError(f"unknown label {label!r}: the run's labels are {self.classes}")

    def encode(self, labels):
        """labels (N,) -> classes (N,) int64."""
        return np.array([self.encode_one(v) for v in np.asarray(labels, dtype=object).ravel()],
                        dtype=np.int64)

    def decode(self, classes):
        """classes (N,) ints -> the labels, a NumPy array (strings, or numbers if all are)."""
        classes = np.asarray(classes)
        if classes.size and (classes.dtype.kind not in "iu" or classes.min() < 0 or classes.max() >= len(self)):
            raise ValueError(f"classes must be integers in 0..{len(self) - 1}, got {classes!r}")
        return np.array([self.classes[k] for k in classes.ravel()])

    def to_json(self):
        return list(self.classes)
