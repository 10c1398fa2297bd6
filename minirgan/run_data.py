"""The run folder's own copy of what it was trained on, ``data.npz`` (issue 23, rule 1).

Written once, when a run starts, atomically and without pickle:

    data              (N, T, F) the scaled training sequences, exactly as training sees them
    classes           (N,) int64 each sequence's class (conditional runs only)
    lengths           (N,) int64 each sequence's length, when data is a padded batch of
                      sequences of different lengths (a long table, an .npz; docs/masking.md)
    scaler/<key>      the fitted MinMaxScaler
    info              the data set's info dict, JSON
    sources           JSON: for each file the data came from (``--data``, ``--labels``) its role,
                      absolute path, size in bytes and SHA-256 when the run started

``evaluate``, ``sample`` and ``--resume`` read this file, never the source again, so a source
that is moved, deleted or edited cannot change what a run is scored against or continues on.
``--resume`` also fingerprints each source that still exists and refuses one whose SHA-256
changed (:func:`check_sources`). Every data set is copied, the embedded ones too: a copy is
bitwise what training saw whatever later versions of the generators do.
"""

import hashlib
import json
import os

import numpy as np

from .array_headers import LOAD_ERRORS as _UNREADABLE, check_or_refuse
from .atomic import atomic_open
from .datasets.scaler import MinMaxScaler
from .errors import UserError
from .models.params import prefixed, unprefixed

DATA_FILE = "data.npz"
SEP = "/"
# the options whose value may be a file the data are read from, and their flags
SOURCE_FLAGS = {"data": "--data", "labels": "--labels"}


class RunData:
    """What a run trains on: ``data`` (N, T, F) scaled, ``classes`` (N,) int64 or None,
    ``scaler`` (MinMaxScaler), ``info`` (dict), ``sources`` (list of fingerprint dicts)."""

    def __init__(self, data, scaler, info, classes=None, sources=(), lengths=None):
        self.data, self.scaler, self.info = data, scaler, info
        self.classes, self.sources, self.lengths = classes, list(sources), lengths


def fingerprint(path, role):
    """{role, path (absolute), size, sha256} of the file at ``path``, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return {"role": role, "path": os.path.abspath(path), "size": os.path.getsize(path),
            "sha256": digest.hexdigest()}


def source_paths(config):
    """{role: path} of the files ``config`` reads its data from (none for an embedded set)."""
    found = {}
    for role in SOURCE_FLAGS:
        value = getattr(config, role)
        if isinstance(value, (str, os.PathLike)) and os.path.isfile(value):
            found[role] = os.fspath(value)
    return found


def source_fingerprints(config):
    """The fingerprints of ``config``'s source files (taken before they are read)."""
    return [fingerprint(path, role) for role, path in source_paths(config).items()]


def write_run_data(path, run_data):
    """Write ``run_data`` (a RunData) to ``path`` atomically (``minirgan.atomic``), no pickle."""
    arrays = {"data": np.asarray(run_data.data), "info": np.array(json.dumps(run_data.info)),
              "sources": np.array(json.dumps(run_data.sources))}
    if run_data.classes is not None:
        arrays["classes"] = np.asarray(run_data.classes, dtype=np.int64)
    if run_data.lengths is not None:
        arrays["lengths"] = np.asarray(run_data.lengths, dtype=np.int64)
    arrays.update({k: np.asarray(v) for k, v in prefixed("scaler", run_data.scaler.to_dict(), SEP).items()})
    with atomic_open(path, "wb") as f:
        np.savez(f, **arrays)


def read_run_data(path, members=("data", "classes", "scaler", "info", "sources", "lengths")):
    """The RunData stored at ``path`` (only ``members`` are read; the others are None).
    FileNotFoundError if there is none; ValueError (one line naming the file) if it is damaged."""
    if not os.path.exists(path):
        raise FileNotFoundError(f"no {DATA_FILE} at {path}")
    check_or_refuse(path, _unreadable)      # headers vs. file size and memory, before np.load
    try:
        with np.load(path, allow_pickle=False) as f:
            names = set(f.files)
            get = lambda k: f[k] if k in members and k in names else None
            scaler = None
            if "scaler" in members:
                scaler = MinMaxScaler.from_dict(unprefixed("scaler", {k: f[k] for k in names
                                                                      if k.startswith("scaler" + SEP)}, SEP))
            info, sources = get("info"), get("sources")
            return RunData(get("data"), scaler, None if info is None else json.loads(str(info)),
                           get("classes"), [] if sources is None else json.loads(str(sources)),
                           get("lengths"))
    except _UNREADABLE as err:
        raise _unreadable(path, f"truncated, damaged or not a minirgan data snapshot "
                                f"({type(err).__name__})") from None


def _unreadable(path, why):
    return ValueError(f"{path} is {why}: put back a copy you trust, or train again with --overwrite")


def check_sources(sources):
    """Raise UserError if a recorded source file still exists but its SHA-256 changed since the
    run started (a missing one is fine: the run folder holds its own copy)."""
    for saved in sources:
        if not os.path.isfile(saved["path"]):
            continue
        now = fingerprint(saved["path"], saved["role"])
        if now["sha256"] != saved["sha256"]:
            flag = SOURCE_FLAGS.get(saved["role"], saved["role"])
            raise UserError(f"{flag} changed since the run started: {saved['path']} was {saved['size']} "
                            f"bytes with SHA-256 {saved['sha256'][:12]}…, now {now['size']} bytes with "
                            f"{now['sha256'][:12]}…; the run continues only on the data it started with "
                            f"(put that file back, or start a new run with --overwrite)")
