"""A sweep's grid: the ``--set KEY=V1,V2`` settings × the seeds, one named run each.

A setting key is a TrainConfig field (``hidden``, ``lr_g``, dashes allowed: ``moment-loss``);
``lr`` sets both learning rates, as ``minirgan train --lr`` does. Each value is read with the
type of its field (the dataclass's annotation). Every combination of the values (in the order given,
the last key varying fastest) is one *setting*; each setting is trained once per seed, in a run
folder named by the setting and the seed, e.g. ``hidden=16,lr=0.001,seed=0``.
"""

import dataclasses
import itertools
import os
import re
from dataclasses import dataclass

from ..config import TrainConfig
from ..errors import UserError

# keys that set several fields at once (the CLI's --lr)
ALIASES = {"lr": ("lr_g", "lr_d")}
# fields a sweep sets itself, or that are not single values
NOT_SETTABLE = {"seed": "the seeds are --seeds", "classes": "it is filled in from the data",
                "extra": "it is a free-form dict"}
_BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def _field_types():
    """{field: the type its values are read with}: the TrainConfig's annotations."""
    return {f.name: f.type for f in dataclasses.fields(TrainConfig)}


def setting_fields(key):
    """The TrainConfig fields a setting key sets (a tuple), or UserError naming the key."""
    name = key.strip().lstrip("-").replace("-", "_")
    if name in ALIASES:
        return ALIASES[name]
    if name in NOT_SETTABLE:
        raise UserError(f"--set {key}: not a sweep setting ({NOT_SETTABLE[name]})")
    if name not in _field_types():
        raise UserError(f"--set {key}: unknown setting; use a TrainConfig field or minirgan train "
                        f"option, e.g. hidden, lr, noise-dim, moment-loss")
    return (name,)


def _read(text, typ, key):
    text = text.strip()
    try:
        if typ in (bool, "bool"):
            return _BOOLEANS[text.lower()]
        if typ in (int, "int"):
            return int(text)
        if typ in (float, "float"):
            return float(text)
        if typ in (str, "str"):
            if not text:
                raise ValueError
            return text
    except (KeyError, ValueError):
        kind = getattr(typ, "__name__", typ)
        raise UserError(f"--set {key}: {text!r} is not a valid {kind}") from None
    raise UserError(f"--set {key}: a sweep cannot vary this setting (values of type {typ})")


def parse_setting(text):
    """(key, [values]) from ``KEY=V1,V2,...``: the key as written (dashes as underscores), each
    value read with its field's type. UserError on a malformed or unknown setting."""
    key, sep, values = text.partition("=")
    if not sep or not key.strip() or not values.strip():
        raise UserError(f"--set {text!r}: expected KEY=VALUE or KEY=V1,V2,... (e.g. hidden=16,32)")
    fields = setting_fields(key)
    typ = _field_types()[fields[0]]
    parsed = [_read(v, typ, key) for v in values.split(",")]
    if len(set(parsed)) != len(parsed):
        raise UserError(f"--set {text!r}: a value is given twice")
    return key.strip().lstrip("-").replace("-", "_"), parsed


def parse_seeds(tokens):
    """The seeds of ``--seeds``: integers and ranges ``A-B`` (both ends included), in order, e.g.
    ["0-2", "7"] -> [0, 1, 2, 7]; commas also separate. UserError on anything else or a repeat."""
    seeds = []
    for token in ",".join(tokens).split(","):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", token)
        if not match or (match[2] is not None and int(match[2]) < int(match[1])):
            raise UserError(f"--seeds: {token!r} is not a seed or a range A-B of seeds (e.g. 0-4)")
        seeds += range(int(match[1]), int(match[2] or match[1]) + 1)
    if len(set(seeds)) != len(seeds):
        raise UserError(f"--seeds: a seed is given twice in {' '.join(tokens)}")
    return seeds


def _slug(value):
    """A value as it appears in a folder name: a path as its file's name without the extension;
    anything outside letters, digits and . + - as _."""
    text = str(value)
    if os.sep in text or text.endswith((".csv", ".npy")):
        text = os.path.splitext(os.path.basename(text))[0]
    return re.sub(r"[^A-Za-z0-9.+-]", "_", text)


@dataclass(frozen=True)
class RunSpec:
    """One run of a sweep: its folder ``name``, its ``setting`` ((key, value) pairs as given),
    its ``seed`` and the full ``config`` (a TrainConfig, validated)."""
    name: str
    setting: tuple
    seed: int
    config: TrainConfig

    @property
    def label(self):
        """The setting as one short string ("hidden=16, lr=0.001"; "defaults" without --set)."""
        return setting_label(self.setting)


def setting_label(setting):
    return ", ".join(f"{k}={v}" for k, v in setting) or "defaults"


def grid(base, settings, seeds):
    """Every run of a sweep, setting by setting, seed by seed (a list of RunSpec).

    base: the TrainConfig every run starts from; settings: [(key, [values]), ...] as
    ``parse_setting`` gives them; seeds: a list of ints. UserError if a combination is not a
    valid config (the message names the --set key) or two runs would share a folder name."""
    keys = [key for key, _ in settings]
    if len(set(keys)) != len(keys):
        raise UserError(f"--set: a key is given twice ({', '.join(keys)})")
    runs = []
    for values in itertools.product(*(vals for _, vals in settings)):
        setting = tuple(zip(keys, values))
        changes = {field: value for key, value in setting for field in setting_fields(key)}
        for seed in seeds:
            config = dataclasses.replace(base, **changes, seed=seed)
            try:
                config.validate()
            except ValueError as err:
                raise UserError(f"{setting_label(setting)}: {err}") from None
            name = ",".join([f"{k}={_slug(v)}" for k, v in setting] + [f"seed={seed}"])
            runs.append(RunSpec(name, setting, seed, config))
    names = [run.name for run in runs]
    if len(set(names)) != len(names):
        raise UserError("two settings give the same run folder name (values that differ only in "
                        f"characters a folder name cannot hold): {', '.join(names)}")
    return runs
