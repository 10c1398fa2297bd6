"""Generated sequences written as a CSV table, in the data's own column names.

One row per generated step: ``sample`` (0-based), ``step`` (0-based within the sample), then
— when the training data had a time index (a first column of dates, see ``tables.py``) —
that column continued after the data's last timestamp by the data's typical spacing (the
median gap between rows), in ISO 8601, then one column per feature with the data's names
(``feature j`` when the data had none). Every sample starts right after the data's last row:
the samples are alternative continuations, not consecutive ones.
"""

import csv
from datetime import datetime, timedelta

import numpy as np

from ..atomic import atomic_open


def continued_times(time_index, length):
    """ISO timestamps of ``length`` steps after the data's last one, spaced by its typical gap,
    or None if the data had no time index (or no spacing: a single row)."""
    if not time_index or not time_index.get("step_seconds"):
        return None
    last = datetime.fromisoformat(time_index["last_time"])
    step = timedelta(seconds=time_index["step_seconds"])
    return [(last + (t + 1) * step).isoformat() for t in range(length)]


def write_samples_csv(path, samples, column_names=None, time_index=None):
    """Write samples (N, L, F) to ``path`` as described above; returns the header row."""
    samples = np.asarray(samples, dtype=np.float64)
    if samples.ndim != 3:
        raise ValueError(f"samples must have shape (N, L, F), got {samples.shape}")
    N, L, F = samples.shape
    names = list(column_names) if column_names else [f"feature {j}" for j in range(F)]
    if len(names) != F:
        raise ValueError(f"column_names must name the {F} features, got {len(names)} names")
    times = continued_times(time_index, L)
    header = ["sample", "step"] + ([time_index.get("name") or "time"] if times else []) + names
    with atomic_open(path, "w", newline="") as f:     # never a CSV with its last row cut
        writer = csv.writer(f)
        writer.writerow(header)
        for i in range(N):
            for t in range(L):
                writer.writerow([i, t] + ([times[t]] if times else []) + [repr(float(v)) for v in samples[i, t]])
    return header


def write_long_csv(path, samples, lengths, column_names=None, key_name=None, time_column=None,
                   label_name=None, labels=None, attributes=None):
    """Write padded samples (N, T, F) with their lengths (N,) as a long table: one row per real
    step, the sequence key column first (``key_name``, the data's own; the samples are numbered
    0..N−1), then the time column continued as the data's (``time_column``: {"name", "kind",
    "first", "step"} from the data's info — each sequence starts at the data's typical first
    time and advances by its typical step; dates in ISO 8601), the features under the data's
    names, a conditional run's label column (``label_name``, ``labels`` (N,)), and last the
    per-sequence attributes (``attributes``: (names (S,), values (N, S)), repeated on each of
    a sequence's rows, categories as the data named them). Returns the header row."""
    samples = np.asarray(samples, dtype=np.float64)
    N, T, F = samples.shape
    names = list(column_names) if column_names else [f"feature {j}" for j in range(F)]
    if len(names) != F:
        raise ValueError(f"column_names must name the {F} features, got {len(names)} names")
    header = [key_name or "sequence"] + ([time_column["name"]] if time_column else []) + names
    header += [label_name] if labels is not None else []
    header += list(attributes[0]) if attributes is not None else []
    with atomic_open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for i in range(N):
            for t in range(int(lengths[i])):
                row = [i]
                if time_column:
                    when = time_column["first"] + t * time_column["step"]
                    row.append(datetime.utcfromtimestamp(when).isoformat() if time_column["kind"] == "date"
                               else int(when) if float(when).is_integer() else repr(when))
                row += [repr(float(v)) for v in samples[i, t]]
                writer.writerow(row + ([labels[i]] if labels is not None else [])
                                + (list(attributes[1][i]) if attributes is not None else []))
    return header
