"""A run's checkpoint: one ``.npz`` of plain arrays, loaded without pickle (the run folder
around it is ``minirgan.run``).

A checkpoint holds everything needed to continue a run exactly where it stopped:

    G/<name>, D/<name>           every parameter of both models (flat dict keys)
    G_average/<name>             the moving average of G's weights (runs with config.ema only)
    opt_g/<key>, opt_d/<key>     both optimisers' state_dict() (moments, step counts)
    scaler/<key>                 the fitted MinMaxScaler (to map samples back to data units)
    step                         generator updates done
    rng_state                    the run's np.random.Generator state, as a JSON string
    data_info                    the data set's info dict (shape, feature names), JSON
    config                       the TrainConfig, JSON

Strings are stored as NumPy unicode arrays, so ``np.load(..., allow_pickle=False)`` reads
it all. Writes go through ``minirgan.atomic`` (a temporary file in the same folder, fsync'd, then
renamed): a crash mid-write leaves the previous checkpoint intact.
"""

import json
import os

import numpy as np

from .array_headers import LOAD_ERRORS as _UNREADABLE, check_or_refuse
from .atomic import atomic_open
from .data import MinMaxScaler
from .models.params import prefixed, unprefixed

SEP = "/"       # "G/rnn0.W_z": the group, then the model's own flat key


def _text(obj):
    return np.array(json.dumps(obj))


def save_checkpoint(path, state):
    """Write ``state`` (a minirgan.run.RunState) to ``path`` atomically."""
    arrays = {"step": np.array(state.step), "rng_state": _text(state.rng.bit_generator.state),
              "data_info": _text(state.info), "config": _text(state.config.to_dict())}
    for prefix, table in (("G", state.G.params), ("D", state.D.params),
                          ("opt_g", state.opt_g.state_dict()), ("opt_d", state.opt_d.state_dict()),
                          ("scaler", state.scaler.to_dict()),
                          ("G_average", {} if state.G_average is None else state.G_average.params)):
        arrays.update({k: np.asarray(v) for k, v in prefixed(prefix, table, SEP).items()})
    with atomic_open(path, "wb") as f:
        np.savez(f, **arrays)


class CheckpointError(ValueError):
    """A checkpoint file that cannot be used: truncated, damaged, or not written by minirgan. The
    message names the file and what to do, in one line (never numpy's advice to allow pickle:
    a file that needs pickle is not a minirgan checkpoint and must not be trusted)."""


def _unreadable(path, why):
    return CheckpointError(
        f"{path} is {why}, so it cannot be used: delete it and train again (minirgan train --out "
        f"{os.path.dirname(path) or '.'} --overwrite), or put back a copy you trust")


def load_checkpoint(path):
    """Read a checkpoint into plain Python: a dict with G, D, G_average ({} without config.ema),
    opt_g, opt_d (dicts of arrays),
    scaler (a MinMaxScaler), step (int), rng_state, data_info and config (dicts).

    FileNotFoundError if there is no file; CheckpointError (a ValueError) for a truncated,
    damaged or foreign one."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no checkpoint at {path}")
    check_or_refuse(path, _unreadable)       # headers vs. file size and memory, before np.load
    try:
        with np.load(path, allow_pickle=False) as f:
            if not hasattr(f, "files"):
                raise _unreadable(path, "a single .npy array, not a minirgan checkpoint (.npz)")
            arrays = {k: f[k] for k in f.files}
    except CheckpointError:
        raise
    except _UNREADABLE:
        raise _unreadable(path, "truncated, damaged or not a minirgan checkpoint") from None
    needed = ("step", "rng_state", "data_info", "config")
    missing = [k for k in needed if k not in arrays]
    if missing:
        raise _unreadable(path, f"not a minirgan checkpoint (it lacks {', '.join(missing)})")
    group = lambda prefix: unprefixed(prefix, arrays, SEP)
    try:
        return {"G": group("G"), "D": group("D"), "G_average": group("G_average"),
                "opt_g": group("opt_g"), "opt_d": group("opt_d"),
                "scaler": MinMaxScaler.from_dict(group("scaler")),
                "step": int(arrays["step"]),
                "rng_state": json.loads(str(arrays["rng_state"])),
                "data_info": json.loads(str(arrays["data_info"])),
                "config": json.loads(str(arrays["config"]))}
    except _UNREADABLE:
        raise _unreadable(path, "damaged (its step, scaler or settings cannot be read)") from None


def checkpoint_step(path):
    """The step stored at ``path``, or None if there is no checkpoint (CheckpointError if it is
    unreadable)."""
    if not os.path.exists(path):
        return None
    return load_checkpoint(path)["step"]


def copy_params_into(params, saved, where):
    """Copy saved arrays into a model's existing parameter arrays (in place, same keys/shapes)."""
    if set(params) != set(saved):
        raise ValueError(f"{where}: the checkpoint's parameters {sorted(saved)} do not match the "
                         f"model's {sorted(params)}; was it written with another configuration?")
    for key, value in params.items():
        if saved[key].shape != value.shape:
            raise ValueError(f"{where}: parameter {key} has shape {saved[key].shape} in the checkpoint, "
                             f"{value.shape} in the model")
        value[...] = saved[key]


def restore_checkpoint(path, state):
    """Put a checkpoint's parameters, optimiser states, step and RNG state back into ``state``."""
    saved = load_checkpoint(path)
    copy_params_into(state.G.params, saved["G"], "generator")
    copy_params_into(state.D.params, saved["D"], "discriminator")
    if state.G_average is not None:
        copy_params_into(state.G_average.params, saved["G_average"], "averaged generator")
    state.opt_g.load_state_dict(saved["opt_g"])
    state.opt_d.load_state_dict(saved["opt_d"])
    state.rng.bit_generator.state = saved["rng_state"]
    state.step = saved["step"]
    return saved
