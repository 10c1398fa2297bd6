"""A run folder as one object: its config, data and scaler, G and D, checkpoint, resume, samples.

A run folder (written by ``minirgan.train.train``) holds::

    config.json      the TrainConfig          checkpoint.npz  weights, optimisers, RNG, step
    data.npz         the training data        metrics.jsonl   one record per step
    run.lock         who writes it now        *.png           the figures

``data.npz`` (minirgan/run_data.py) is the run's own copy of what it trained on: sampling,
evaluating and resuming read it, never the source file again. Every file is written atomically
(minirgan/atomic.py), by one process at a time (minirgan/run_lock.py).

Two objects cover everything about it:

* :class:`RunState` — a run being trained: the run's one seeded ``np.random.Generator``, the
  scaled training data, G, D, their optimisers and the step; ``save``/``restore`` write and
  read the checkpoint, :func:`check_resumable` says whether a config may continue it.
* :class:`Run` — a run folder opened once (its checkpoint read once): the config, the data
  info, the scaler, the trained generator, the real training data, and samples in the data's
  units. ``minirgan sample``, ``minirgan evaluate`` and the benchmarks use it.

Every builder here reads the config only, so the same config (and seed) rebuilds the same run.

A conditional run (``config.conditional``) also carries its labels: ``config.classes`` lists
them in class order (filled in from the data when training starts, so config.json keeps them),
``RunState.conditions`` holds the one-hot condition of every training sequence, and
``Run.labelled_samples(n, seed, label)`` generates for one label or for all in equal numbers.
"""

import dataclasses
import json
import os
import shutil

import numpy as np

from . import checkpoint as ckpt
from .atomic import atomic_open, atomic_path
from .averaging import WeightAverage
from .config import TrainConfig, resolved_ae_iterations
from .memory_budget import check_training, format_bytes
from .missing import observation_mask
from .datasets.attributes import AttributeCodec
from .models.attributes import AttributedGenerator, AttributeGenerator
from .run_attributes import with_run_attributes
from .data import LabelMap, MinMaxScaler, load_dataset, load_labelled_dataset
from .models.condition import one_hot
from .models import Discriminator, Generator
from .models.latent import CodeDiscriminator, LatentGenerator
from .optim import SGD, Adam
from .ragged import draw_lengths, real_steps
from .selection import holdout_split, load_best, resolve_which
from .run_data import DATA_FILE, RunData, read_run_data, source_fingerprints, source_paths

RUN_FILES = {"config": "config.json", "data": DATA_FILE, "metrics": "metrics.jsonl",
             "checkpoint": "checkpoint.npz", "samples": "samples.png", "losses": "losses.png",
             "d_outputs": "d_outputs.png", "best": "best.npz"}

SAMPLE_CHUNK = 1024     # samples generated at once by draw_samples (bounds the caches' memory)
LENGTHS_STREAM = 7      # the generated sequences' lengths come from default_rng((seed, 7))


def run_paths(out_dir):
    """Every file of a run folder, by role (the keys of RUN_FILES)."""
    return {role: os.path.join(out_dir, name) for role, name in RUN_FILES.items()}


# --------------------------------------------------------------------------- building a run

def condition_dim(config):
    """C, the size of the condition G and D read: the number of classes of a conditional run
    (``config.classes``, filled in by RunState from the data), 0 for an unconditional one."""
    if not config.conditional:
        return 0
    if config.classes is None:
        raise ValueError("a conditional config needs its classes (RunState fills them in from the data)")
    return len(config.classes)


def build_generator(config, features, seq_len, rng):
    """G for ``config`` and data of shape (·, seq_len, features); weights drawn from ``rng``.
    With attributes (``config.attributes``) the attribute head and the series generator that
    reads them, as one model (models/attributes.py; its output has the attributes as channels).
    The latent model's G is its autoencoder with its code generator (models/latent.py)."""
    if config.model == "latent":
        return LatentGenerator(features, seq_len, noise_dim=config.noise_dim, hidden=config.hidden,
                               layers=config.layers, cell=config.cell, activation=config.activation,
                               dropout=config.dropout, output_activation=config.output_activation,
                               rng=rng, dtype=np.dtype(config.dtype), backend=config.backend)
    if config.attributes:
        codec = AttributeCodec.from_json(config.attributes)
        series = _series_generator(config, features, seq_len, rng, codec.width)
        head = AttributeGenerator(codec.attributes, noise_dim=config.noise_dim, hidden=config.hidden, rng=rng,
                                  dtype=np.dtype(config.dtype))
        return AttributedGenerator(series, head)
    return _series_generator(config, features, seq_len, rng)


def _series_generator(config, features, seq_len, rng, attribute_width=0):
    return Generator(features, seq_len, noise_dim=config.noise_dim,
                     hidden=None if config.generator == "last_state" else config.hidden,
                     layers=config.layers, cell=config.cell, activation=config.activation,
                     form=config.generator,
                     output_activation=config.output_activation, dropout=config.dropout,
                     rng=rng, dtype=np.dtype(config.dtype), backend=config.backend,
                     noise=config.noise, condition_dim=condition_dim(config) + attribute_width,
                     condition_at=config.condition_at)


def build_discriminator(config, features, rng):
    """D for ``config`` and data with ``features`` features; weights drawn from ``rng``. With
    ``config.missing`` D reads each feature's mask beside it (M6, minirgan/missing.py): 2F inputs.
    The latent model's D scores codes (C = H numbers, models/latent.py), not sequences."""
    if config.model == "latent":
        return CodeDiscriminator(config.hidden, rng=rng, dtype=np.dtype(config.dtype))
    return Discriminator(features * (2 if config.missing else 1), hidden=config.hidden, layers=config.layers, cell=config.cell,
                         activation=config.activation,
                         readout=config.readout, dropout=config.dropout, rng=rng,
                         dtype=np.dtype(config.dtype), backend=config.backend,
                         condition_dim=condition_dim(config))


def build_optimizer(config, lr):
    """The optimiser ``config.optimizer`` with learning rate ``lr`` and the config's settings."""
    if config.optimizer == "adam":
        return Adam(lr=lr, beta1=config.beta1, beta2=config.beta2,
                    weight_decay=config.weight_decay, l1=config.l1)
    return SGD(lr=lr, momentum=config.momentum, weight_decay=config.weight_decay, l1=config.l1)


def data_range(config):
    """The interval the data are scaled to, matching what G can output: [0, 1] for a sigmoid
    (or identity) output, [−1, 1] for tanh and for the last-state generator (E16: h_T is a
    tanh-bounded hidden state)."""
    if config.output_activation == "tanh" or config.generator == "last_state":
        return (-1.0, 1.0)
    return (0.0, 1.0)


def load_training_data(config, rng):
    """(data (N, T, F) scaled to ``data_range(config)``, scaler, info) for the config."""
    if config.conditional:
        data, _, _, scaler, info = load_conditional_data(config, rng)
        return data, scaler, info
    data, scaler, info = load_dataset(config.data, seq_len=config.seq_len, n=config.n_data, rng=rng,
                                      columns=config.columns, delimiter=config.delimiter, decimal=config.decimal,
                                      sequence_key=config.sequence_key, time_column=config.time_column,
                                      missing=bool(config.missing), static_columns=config.static_columns)
    return _in_range(config, data, scaler) + (info,)


def load_conditional_data(config, rng):
    """(data (N, T, F) scaled as load_training_data's, classes (N,) int64, label map, scaler,
    info) of a conditional run. With ``config.classes`` given, its order fixes the classes (it
    must hold exactly the data's labels); otherwise the labels' sorted order does."""
    data, classes, found, scaler, info = load_labelled_dataset(
        config.data, labels=config.labels, seq_len=config.seq_len, n=config.n_data, rng=rng,
        columns=config.columns, delimiter=config.delimiter, label_column=config.label_column,
        decimal=config.decimal, many_classes=config.many_classes, sequence_key=config.sequence_key,
        time_column=config.time_column, missing=bool(config.missing), static_columns=config.static_columns)
    label_map = found
    if len(found) < 2:
        raise ValueError(f"a conditional run needs at least 2 classes, but every label of "
                         f"{config.labels or config.label_column or config.data} is {found.classes[0]!r}")
    if config.classes is not None:
        label_map = LabelMap(config.classes)
        if sorted(map(str, label_map.classes)) != sorted(map(str, found.classes)):
            raise ValueError(f"classes {config.classes} are not the data's labels {found.classes}")
        classes = label_map.encode(found.decode(classes))
    data, scaler = _in_range(config, data, scaler)
    return data, classes, label_map, scaler, info


def balanced_classes(n, n_classes):
    """n classes as equal in number as possible, in class order: 0 0 … 1 1 … (n,) int64."""
    return np.sort(np.arange(n) % n_classes).astype(np.int64)


def _in_range(config, data, scaler):
    """(data as float arrays of config.dtype scaled to data_range(config), its scaler)."""
    low_high = data_range(config)
    if low_high != scaler.feature_range:
        # re-express the same bounds on the other interval: same data, other target range
        rescaler = MinMaxScaler(low_high).fit_bounds(scaler.data_min, scaler.data_max)
        data, scaler = rescaler.transform(scaler.inverse_transform(data)), rescaler
    return np.asarray(data, dtype=np.dtype(config.dtype)), scaler


def sample_chunk(seq_len, steps):
    """Samples of ``steps`` steps generated at once: SAMPLE_CHUNK of the trained T, as many
    steps in memory at any length (at least one sample)."""
    return max(1, SAMPLE_CHUNK * seq_len // steps)


def sample_chunks(G, scaler, n, seed, length=None, classes=None, lengths=None):
    """n samples of ``G`` in the data's units, as successive arrays (≤ chunk, L, F) drawn from one
    stream seeded by ``seed``: memory stays bounded whatever n is. ``length`` L defaults to the
    trained T; a recurrent G runs for any L (docs/long_series.md). A conditional G generates
    sample i for class ``classes[i]`` (classes (n,) ints). ``lengths`` (n,): sample i has
    lengths[i] real steps and zeros past them (M3; ``Run.sample_lengths`` draws them)."""
    rng = np.random.default_rng(seed)
    steps = G.seq_len if length is None else length
    chunk = sample_chunk(G.seq_len, steps)
    for i in range(0, n, chunk):
        m = min(chunk, n - i)
        c = None if classes is None else one_hot(classes[i:i + m], G.condition_dim, G.dtype)
        part = None if lengths is None else lengths[i:i + m]
        x = scaler.inverse_transform(G.sample(m, rng, seq_len=length, condition=c, lengths=part))
        # the padding stays zero in the data's units too
        yield x if part is None else x * real_steps(part, m, x.shape[1], x.dtype)[:, :, None]


def draw_samples(G, scaler, n, seed, length=None, classes=None, lengths=None):
    """n samples (n, L, F) of ``G`` in the data's units (``scaler`` maps them back), generated
    in chunks from one stream seeded by ``seed`` (see :func:`sample_chunks`): the same seed, the
    same samples."""
    return np.concatenate(list(sample_chunks(G, scaler, n, seed, length, classes, lengths)))


def write_samples(G, scaler, n, seed, path, length=None):
    """Write n samples (n, L, F) float64 (those of :func:`draw_samples`) to the .npy ``path``
    chunk by chunk (``np.lib.format.open_memmap``), so n may exceed the memory. A file that would
    not fit on its disk is refused (ValueError) before anything is written. Returns the shape."""
    steps = G.seq_len if length is None else length
    shape = (n, steps, G.features)
    needed = 8 * n * steps * G.features + 4096
    folder = os.path.dirname(os.path.abspath(path))
    free = shutil.disk_usage(folder).free
    if needed > free:
        raise ValueError(f"{n} samples of shape ({steps}, {G.features}) take {format_bytes(needed)} "
                         f"as float64, but {folder} has {format_bytes(free)} free: ask for fewer (-n)")
    with atomic_path(path) as tmp:               # no half-written file, ever (minirgan.atomic)
        out = np.lib.format.open_memmap(tmp, mode="w+", dtype=np.float64, shape=shape)
        i = 0
        for chunk in sample_chunks(G, scaler, n, seed, length):
            out[i:i + len(chunk)] = chunk
            i += len(chunk)
        out.flush()
        del out
    return shape


# --------------------------------------------------------------------------- a run being trained

class RunState:
    """Everything a run carries between steps (and what a checkpoint stores).

    Built from ``config`` alone, in this order from one ``np.random.default_rng(config.seed)``:
    the data (``data`` (N, T, F) scaled, ``scaler``, ``info``), then G's and D's weights; then
    the optimisers ``opt_g``, ``opt_d`` and ``step = 0``. ``rng`` continues to make every
    random choice of training (batches, noise, dropout).

    With ``config.ema`` > 0, ``average`` (a WeightAverage) keeps a moving average of G's weights
    in a second generator ``G_average``, which ``sampler`` (what previews, the training log's
    quick metrics and the saved run sample from) then is; else ``average`` and ``G_average``
    are None and ``sampler`` is G. Neither touches ``rng``.
    """

    def __init__(self, config, run_data=None):
        config.validate()
        self.rng = np.random.default_rng(config.seed)
        self.conditions = self.label_map = self.masks = None
        if run_data is None:                    # a new run: read the source (fingerprinted first)
            sources = source_fingerprints(config)
            if config.conditional:
                data, classes, self.label_map, scaler, info = load_conditional_data(config, self.rng)
                config.classes = self.label_map.to_json()          # kept in config.json
            else:
                (data, scaler, info), classes = load_training_data(config, self.rng), None
            lengths = info.pop("lengths", None)          # a padded batch's lengths (N,)
            run_data = RunData(data, scaler, info, classes, sources,
                               None if lengths is None else np.asarray(lengths, dtype=np.int64))
        elif config.conditional:                # a resumed run: its data.npz, as it started
            self.label_map = LabelMap(config.classes)
        # what the run trains on, as data.npz keeps it (minirgan/run_data.py)
        self.run_data = run_data
        self.data, self.scaler, self.info = run_data.data, run_data.scaler, run_data.info
        self.lengths = run_data.lengths           # (N,) or None: every sequence runs all T steps
        if config.model == "latent" and self.lengths is not None:
            raise ValueError(f"the latent model (--model latent) needs sequences of one length, and "
                             f"these have {self.lengths.min()} to {self.lengths.max()} steps: cut "
                             "windows of one length with --seq-len")
        if config.missing:
            # --missing mask: data.npz keeps NaN at the missing values; training reads them as 0
            # beside the observation mask (N, T, F) (minirgan/missing.py)
            self.data, self.masks = observation_mask(self.data)
        self.series_features = series_features = self.data.shape[2]
        if config.static_columns:
            # each sequence's attributes as channels beside its series (M10, models/attributes.py)
            config.attributes, self.data, self.scaler, self.masks = with_run_attributes(
                self.info, self.data, self.scaler, self.masks)
        if config.conditional:
            # c: the one-hot of each training sequence's class (N, K)
            self.conditions = one_hot(run_data.classes, len(self.label_map), self.data.dtype)
        self.held_out = self.held_conditions = self.held_lengths = None
        if config.select_every:                 # a held-out slice to select G on (selection.py)
            keep, held = holdout_split(len(self.data), config.seed)
            split = lambda a: (None, None) if a is None else (a[held], a[keep])
            ((self.held_out, self.data), (self.held_conditions, self.conditions),
             (self.held_lengths, self.lengths)) = map(split, (self.data, self.conditions, self.lengths))
        _, seq_len, self.features = self.data.shape
        check_training(config, self.data.shape)       # before any weight is drawn
        # the config as used: seq_len=None (the data's own T) becomes that T, and the latent
        # model's ae_iterations=None its number of steps (a copy; the caller's config is left as
        # it was)
        self.config = config = dataclasses.replace(config, seq_len=seq_len,
                                                   ae_iterations=resolved_ae_iterations(config))
        self.G = build_generator(config, series_features, seq_len, self.rng)
        self.D = build_discriminator(config, self.features, self.rng)
        self.opt_g = build_optimizer(config, config.lr_g)
        self.opt_d = build_optimizer(config, config.lr_d)
        self.step = 0
        self.G_average = self.average = None
        if config.ema:
            # θ̄_0 = θ_0 (minirgan/averaging.py), in a G of its own (built without the run's rng)
            self.G_average = build_generator(config, series_features, seq_len, rng=0)
            ckpt.copy_params_into(self.G_average.params, self.G.params, "averaged generator")
            self.average = WeightAverage(self.G_average.params, config.ema)

    @property
    def sampler(self):
        """The generator a run's samples come from: ``G_average`` with config.ema, else G."""
        return self.G if self.G_average is None else self.G_average

    def save(self, path):
        """Write the checkpoint (atomically; see ``minirgan.checkpoint``)."""
        ckpt.save_checkpoint(path, self)

    def restore(self, path):
        """Load the checkpoint at ``path`` into this state (weights, optimisers, RNG, step)."""
        ckpt.restore_checkpoint(path, self)

    def preview(self, n, seed_offset=1):
        """(real, generated), n sequences each (n, T, F) in the data's units, for figures (the
        series without a run's attributes).

        Drawn from their own generator seeded by (config.seed, seed_offset), so a preview never
        changes the training run's random stream. A data set smaller than n gives all its
        sequences (and as many generated ones)."""
        rng = np.random.default_rng((self.config.seed, seed_offset))
        n = min(n, len(self.data))              # a data set smaller than n: all of it
        pick = rng.choice(len(self.data), n, replace=False)
        c = None if self.conditions is None else self.conditions[pick]   # the real ones' classes
        n_steps = None if self.lengths is None else self.lengths[pick]   # ... and lengths
        real = self.data[pick] if self.masks is None else np.where(self.masks[pick] > 0, self.data[pick], np.nan)
        fake = self.sampler.sample(n, rng, condition=c, lengths=n_steps)
        F = self.series_features                # the series only (a run with attributes: M10)
        return (self.scaler.inverse_transform(real)[..., :F],               # NaN: missing
                self.scaler.inverse_transform(fake)[..., :F])


# Settings that may change when a run is resumed: they do not change what a step computes
# (the numba backend agrees with NumPy to rounding).
RESUMABLE_CHANGES = ("iterations", "checkpoint_every", "metrics_every", "backend", "blas_threads",
                     "collapse_window", "extra")


def check_resumable(config, saved):
    """Raise ValueError if ``config`` differs from ``saved`` (the checkpoint's config as a dict)
    in anything but RESUMABLE_CHANGES."""
    current = config.to_dict()
    # a field missing from an older checkpoint ran at its default (fields are added with the
    # default that keeps the old behaviour, e.g. lr_decay = 0)
    defaults = type(config)().to_dict()
    changed = sorted(k for k in current
                     if k not in RESUMABLE_CHANGES and saved.get(k, defaults[k]) != current[k])
    if changed:
        details = ", ".join(f"{k}: {saved.get(k)!r} -> {current[k]!r}" for k in changed)
        raise ValueError(f"cannot resume with a different configuration ({details}); only "
                         f"{', '.join(RESUMABLE_CHANGES)} may change")


# --------------------------------------------------------------------------- metrics.jsonl

def metrics_line(record):
    """One record of ``metrics.jsonl``: a JSON object on one line."""
    return json.dumps(record) + "\n"


def read_metrics(path, upto=None):
    """The records of ``metrics.jsonl`` (those with step <= upto, if given); [] if no file."""
    if not os.path.exists(path):
        return []
    with open(path) as f:
        lines = f.readlines()
    records = []
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            if i == len(lines) - 1 and not line.endswith("\n"):
                break                # the record being appended when the process was killed
            raise ValueError(f"{path}: line {i + 1} is not a JSON record; the file is damaged "
                             "(put back a copy, or delete the line)") from None
    return [r for r in records if upto is None or r["step"] <= upto]


def write_metrics(path, records):
    """(Re)write ``metrics.jsonl`` with ``records``, atomically (``minirgan.atomic``): a kill
    during the rewrite leaves the previous file whole, never an empty one."""
    with atomic_open(path) as f:
        f.writelines(metrics_line(r) for r in records)


# --------------------------------------------------------------------------- a trained run

class Run:
    """A run folder opened once: ``Run(run_dir)`` reads its checkpoint a single time.

    Attributes: ``run_dir``, ``paths`` (run_paths), ``config`` (TrainConfig), ``info`` (the data
    set's info dict: shape, feature names), ``scaler`` (the fitted MinMaxScaler), ``step``
    (generator updates done), ``which`` ("best": the generator of best.npz, kept by selection in
    the run; "last": the last step's; default best when the folder has a best.npz),
    ``generator_step`` (the step of that generator). ``generator`` and ``real_data()`` are built on first use;
    ``samples(n, seed)`` draws from the generator, ``history()`` reads metrics.jsonl.
    Raises FileNotFoundError if ``run_dir`` is not a folder or holds no checkpoint.
    """

    @staticmethod
    def best_path(run_dir):
        """The path of the run folder's best.npz (which may not exist)."""
        return run_paths(run_dir)["best"]

    def __init__(self, run_dir, which=None):
        self.run_dir = os.fspath(run_dir)
        self.paths = run_paths(self.run_dir)
        if not os.path.isdir(self.run_dir):
            raise FileNotFoundError(f"{self.run_dir} is not a folder (expected a run folder from "
                                    "minirgan train)")
        if not os.path.exists(self.paths["checkpoint"]):
            raise FileNotFoundError(f"{self.run_dir} holds no checkpoint.npz: train first "
                                    f"(minirgan train --out {self.run_dir})")
        self._saved = ckpt.load_checkpoint(self.paths["checkpoint"])
        self.config = TrainConfig.from_dict(self._saved["config"])
        self.info = self._saved["data_info"]
        self.scaler = self._saved["scaler"]
        self.step = self._saved["step"]
        self._generator = self._real = self._run_data = None
        # "best": the generator selection kept (best.npz, minirgan/selection.py), else "last"
        self.which = resolve_which(which, self.paths["best"])
        self.generator_step = self.step if self.which == "last" else load_best(self.paths["best"])["step"]

    @property
    def generator(self):
        """G with the checkpoint's weights (evaluation mode is the default of G.sample): the
        averaged weights of a run trained with ``ema``, else G's; those of best.npz when
        ``which`` is "best", else those of the last step."""
        if self._generator is None:
            G = build_generator(self.config, self.info["features"], self.info["seq_len"], rng=0)
            saved = self._saved if self.which == "last" else load_best(self.paths["best"])
            if self.config.ema:
                ckpt.copy_params_into(G.params, saved["G_average"], "averaged generator")
            else:
                ckpt.copy_params_into(G.params, saved["G"], "generator")
            self._generator = G
        return self._generator

    def run_data(self):
        """The RunData the run was trained on: its data.npz (minirgan/run_data.py), read once.
        A folder written before data.npz existed has its data regenerated from the config (the
        source read again), as such folders always were."""
        if self._run_data is None:
            if os.path.exists(self.paths["data"]):
                self._run_data = read_run_data(self.paths["data"])
            else:
                self._run_data = RunState(dataclasses.replace(self.config)).run_data
        return self._run_data

    def inputs(self):
        """The files this run reads: its own files and the source files its data came from
        (which ``sample -o`` must never write over)."""
        if os.path.exists(self.paths["data"]):
            sources = [s["path"] for s in read_run_data(self.paths["data"], members=("sources",)).sources]
        else:
            sources = list(source_paths(self.config).values())
        return list(self.paths.values()) + sources

    def real_data(self):
        """The run's training data (N, T, F) in the data's units, as ``train`` saw it (data.npz)."""
        if self._real is None:
            saved = self.run_data()
            self._real = saved.scaler.inverse_transform(saved.data)
        return self._real

    def write_samples(self, n, path, seed=0, length=None):
        """Write ``self.samples(n, seed, length)`` to the .npy ``path`` in chunks (see
        write_samples): any n that fits on the disk."""
        return write_samples(self.generator, self.scaler, n, seed, path, length)

    def samples(self, n, seed=0, length=None):
        """n generated sequences (n, L, F) in the data's units (L = ``length``, default the
        trained T); the same seed, the same samples. (A conditional run's are for every class
        in equal numbers: ``labelled_samples``.)"""
        if self.config.conditional:
            return self.labelled_samples(n, seed, length=length)[0]
        return draw_samples(self.generator, self.scaler, n, seed, length,
                            lengths=self.sample_lengths(n, seed, length=length))

    def sample_lengths(self, n, seed=0, classes=None, length=None):
        """n lengths for generated sequences, drawn from the training sequences' own lengths
        (among those of class ``classes[i]`` for sample i of a conditional run) from a stream
        of their own seeded by ``seed``; None when the run's sequences all had T steps (or a
        ``length`` was asked for)."""
        saved = self.run_data()
        if saved.lengths is None or length is not None:
            return None
        rng = np.random.default_rng((seed, LENGTHS_STREAM))
        return draw_lengths(saved.lengths, n, rng, None if classes is None else saved.classes, classes)

    @property
    def label_map(self):
        """The LabelMap of a conditional run (its config's classes); None if unconditional."""
        return LabelMap(self.config.classes) if self.config.conditional else None

    def labelled_samples(self, n, seed=0, label="all", length=None):
        """(samples (n, T, F) in the data's units, their labels (n,)) of a conditional run:
        all for ``label`` (one of the run's labels, or its text as on the command line), or with
        ``label="all"`` every label in equal numbers (as equal as n allows), in class order."""
        label_map = self.label_map
        if label_map is None:
            raise ValueError(f"{self.run_dir} is not a conditional run: it has no labels to sample")
        if isinstance(label, str) and label == "all" and "all" not in label_map.classes:
            classes = balanced_classes(n, len(label_map))
        else:
            classes = np.full(n, label_map.encode_one(label), dtype=np.int64)
        return (draw_samples(self.generator, self.scaler, n, seed, length, classes,
                             self.sample_lengths(n, seed, classes, length)),
                label_map.decode(classes))

    def real_classes(self):
        """The classes (N,) of the run's training data (a conditional run), as training saw them."""
        return self.run_data().classes

    def history(self):
        """The records of the run's metrics.jsonl (one dict per step; [] if there is none)."""
        return read_metrics(self.paths["metrics"])


def load_generator(run_dir, which=None):
    """(G with the checkpoint's weights, scaler, data info) of a run folder (``which``: see Run)."""
    run = Run(run_dir, which)
    return run.generator, run.scaler, run.info
