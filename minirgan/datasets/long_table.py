"""A long table (one row per time step, a column naming the sequence) as a padded batch.

``tables.read_table(..., sequence_key=COL, time_column=COL)`` reads the rows; here they are
grouped by key (sequences in the order their keys first appear), ordered within each sequence by
the time column (stable, so equal times keep file order; without one, file order), and laid out
as x (N, T_max, F) zero-padded with lengths (N,). A label column must hold one label per
sequence. ``windows`` cuts each sequence into overlapping windows of a fixed length instead
(``--seq-len`` with ``--sequence-key``).

Shapes: N sequences, T_max the longest, F features.
"""

import numpy as np

from .arrays import make_windows
from .checks import DataError


def group_rows(keys, times=None):
    """Per sequence, its rows (positions into the table) in time order; and the keys, in order of
    first appearance. keys (R,) object, times (R,) float or None."""
    order, first = {}, []
    for r, k in enumerate(keys):
        if k not in order:
            order[k] = []
            first.append(k)
        order[k].append(r)
    rows = [np.asarray(order[k]) for k in first]
    if times is not None:
        rows = [r[np.argsort(times[r], kind="stable")] for r in rows]
    return rows, first


def padded(values, rows):
    """x (N, T_max, F) zero-padded and lengths (N,) int64 of the sequences ``rows`` of values (R, F)."""
    lengths = np.array([len(r) for r in rows], dtype=np.int64)
    x = np.zeros((len(rows), int(lengths.max()), values.shape[1]), dtype=values.dtype)
    for n, r in enumerate(rows):
        x[n, :len(r)] = values[r]
    return x, lengths


def sequence_labels(labels, rows, keys, where):
    """One label per sequence (N,) object: each sequence's rows must agree."""
    return sequence_values(labels, rows, keys, where, "label", "a conditional run needs one label per sequence")


def sequence_values(values, rows, keys, where, what, why):
    """One value per sequence (N,) object of a per-row column ``values`` (T,): each sequence's
    rows must agree (else a DataError naming the sequence, ``what`` it has two of, and ``why``)."""
    out = np.empty(len(rows), dtype=object)
    for n, r in enumerate(rows):
        found = values[r]
        if any(v != found[0] for v in found[1:]):
            other = next(v for v in found[1:] if v != found[0])
            raise DataError(f"{where}: sequence {keys[n]!r} has more than one {what} ({found[0]!r} and {other!r}); "
                            f"{why}")
        out[n] = found[0]
    return out


def windows(x, lengths, labels, seq_len, where):
    """Overlapping windows of ``seq_len`` steps of every sequence long enough: (M, seq_len, F),
    their labels (M,) or None, and how many sequences were too short."""
    parts, kept, short = [], [], 0
    for n, L in enumerate(lengths):
        if L < seq_len:
            short += 1
            continue
        w = make_windows(x[n, :L], seq_len, where=where)
        parts.append(w)
        kept.extend([n] * len(w))
    if not parts:
        raise DataError(f"{where}: every sequence is shorter than seq_len={seq_len} (the longest has "
                        f"{int(lengths.max())} steps)")
    out_labels = None if labels is None else labels[np.asarray(kept)]
    return np.concatenate(parts), out_labels, short
