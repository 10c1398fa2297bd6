"""Every setting of a training run in one dataclass, with the defaults of a bare ``minirgan train``.

Change a default here and the CLI, the checkpoint and the docs follow; the architecture's
defaults come from ``minirgan.models.defaults``, which the model classes read too, so a bare
``Generator`` is the generator of a bare ``minirgan train``. ``CHOICES`` maps every field with
a fixed set of values to the list its owner defines (the CLI offers the same lists).
``validate`` checks every field with a message naming it, before any data is loaded or any
weight is drawn.
"""

import dataclasses
import json
from dataclasses import dataclass, field

import numpy as np

from .backend import BACKENDS
from .losses import LOSSES
from .cells import cell_options
from .models import CELL_TYPES, GENERATOR_FORMS, READOUTS
from .models import defaults as arch
from .models.condition import CONDITION_ENTRIES
from .models.generator import NOISE_KINDS
from .models.latent import MODELS
from .rnn import RNN_ACTIVATIONS
from .optim import OPTIMIZERS
from .missing import MODES as MISSING_MODES
from .validation import check_count

DTYPES = ("float64", "float32")
# g of E2 that a run's data can be scaled to match (minirgan.run.data_range)
OUTPUT_ACTIVATIONS = ("sigmoid", "tanh", "identity")

# Every field with a fixed set of values, and the list of its owner.
CHOICES = {"cell": CELL_TYPES, "activation": RNN_ACTIVATIONS, "noise": NOISE_KINDS, "generator": GENERATOR_FORMS,
           "output_activation": OUTPUT_ACTIVATIONS, "readout": READOUTS, "loss": LOSSES,
           "optimizer": OPTIMIZERS, "dtype": DTYPES, "backend": BACKENDS,
           "condition_at": CONDITION_ENTRIES, "model": MODELS}

# The latent model (docs/latent.md): the options it does not support, at the value that leaves
# them off (any other value is refused by name), and the share of its steps spent on its
# autoencoder when ``ae_iterations`` is not given.
LATENT_REFUSES = {"conditional": False, "missing": None, "static_columns": None, "select_every": 0,
                  "ema": 0.0, "generator": "per_step"}
AE_SHARE = 1 / 3


def resolved_ae_iterations(config):
    """The latent model's autoencoder steps: ``ae_iterations``, or AE_SHARE of the run's
    ``iterations`` (at least 1) when it is None; None for the recurrent GAN. A run stores the
    number in its config.json, so a resumed run keeps the phase boundary it started with."""
    if config.model != "latent":
        return None
    if config.ae_iterations is not None:
        return config.ae_iterations
    return max(1, int(config.iterations * AE_SHARE))


# The JSON types a field of each annotated type accepts, and how a message names them.
_ACCEPTS = {int: ((int, np.integer), "an integer"), float: ((int, float, np.integer, np.floating), "a number"),
            str: ((str,), "a string"), bool: ((bool,), "true or false"), list: ((list,), "a list"),
            dict: ((dict,), "a JSON object")}


def type_problem(f, value):
    """What a value of dataclass field ``f`` must be (a phrase) if ``value`` has the wrong
    type, else None. A field whose default is None may be None; a bool is not a number."""
    if value is None and f.default is None:
        return None
    types, phrase = _ACCEPTS[f.type]
    if isinstance(value, types) and (f.type is bool or not isinstance(value, bool)):
        return None
    return phrase + (" or null" if f.default is None else "")


@dataclass
class TrainConfig:
    """One training run. Defaults: the sines benchmark configuration (docs/benchmark_sines.md).

    A GRU GAN on TimeGAN's sines with static noise (Z = 16), TimeGAN's moment loss (weight 10),
    a per-step discriminator readout (E10), H = 32, two D steps per G step, batches of 64 and
    30,000 steps: each choice measured against the plain recurrent GAN in
    docs/benchmark_sines.md, where the scores and the training time are. The same moment loss
    on the steps x_t − x_{t−1} (weight 10) joined the defaults after 5 seeds of both benchmarks
    at full length (docs/benchmarks.md). It takes several
    minutes on 2 cores with the numba backend (``--iterations`` for a shorter run;
    the earlier quick default, H = 16, batch 32, 4,000 steps, no moment loss, reached MMD²
    0.063 to held-out sines in ~3.5 min).
    """

    # data
    data: str = "sines"               # a name of data.DATASETS ("sines", "stocks", ...) or a .npy/.csv path
    seq_len: int = None               # T; None: the data's own (a .npy (N, T, F) file's, 16 or 8 image
                                      # rows), else 24. The run's config.json records the T used
    n_data: int = None                # number of sequences (None: the data set's default)
    columns: str = None               # a CSV file's feature columns, "open,close" or "2,5" (None: all)
    delimiter: str = None             # a CSV file's separator (None: detected)
    decimal: str = None               # a CSV file's decimal mark, "." or "," (None: ".")
    sequence_key: str = None          # a long table's column naming each row's sequence
    time_column: str = None           # with it, the column ordering rows within a sequence
    static_columns: str = None        # a long table's per-sequence attributes, "sex,age" (with
                                      # sequence_key; docs/attributes.md): G generates them
    attributes: list = None           # the attributes' kinds, categories, bounds; filled in from the data
    missing: str = None               # None: missing values are refused; "mask": learned around
                                      # (docs/missing.md: D reads the mask, the moments skip them)
    # conditional generation (docs/conditional.md): G and D read each sequence's class
    conditional: bool = False         # train on the data's labels (embedded digits/sines, or `labels`)
    labels: str = None                # a .npy of labels beside a .npy/.csv data file (conditional)
    label_column: str = None          # or a CSV file's column of labels (name or 1-based number)
    classes: list = None              # the labels in class order; filled in from the data if None
    many_classes: bool = False        # accept labels with fewer than 5 sequences per class on average
    mismatch: float = 1.0             # weight in L_D of real sequences shown with a wrong class
    condition_at: str = "input"       # where G reads the class: "input" (u_t = [z_t, c] at every
                                      # step), "state" (h_0 = tanh(W_h0 c + b_h0)) or "both"
    # models (shared by G and D unless noted; defaults: minirgan/models/defaults.py)
    model: str = "rgan"               # "rgan": the recurrent GAN; "latent": a recurrent autoencoder,
                                      # then a GAN on its codes (RTSGAN's idea, docs/latent.md)
    ae_iterations: int = None         # latent: the first this many steps train the autoencoder, the
                                      # rest the GAN on its codes (None: a third of the iterations)
    cell: str = arch.CELL             # "gru", "lstm" or "rnn"
    activation: str = arch.ACTIVATION   # f of E1, cell "rnn" only: "tanh" or "relu"
    hidden: int = arch.HIDDEN         # H of every recurrent layer
    layers: int = arch.LAYERS         # L stacked recurrent layers
    noise_dim: int = arch.NOISE_DIM   # Z, noise size (per step, or per sequence if static)
    noise: str = arch.NOISE           # "static" (one z per sequence), "per_step" (fresh z_t each step)
                                      # or "mixed" (both: z_t = [z, ε_t])
    dropout: float = arch.DROPOUT     # between stacked layers (A0), training mode only
    generator: str = arch.FORM        # "per_step" (E2), "last_state" (E16), "autoregressive" (E9)
    output_activation: str = arch.OUTPUT_ACTIVATION   # g of E2: sigmoid, data min-max scaled to [0, 1]
    readout: str = arch.READOUT       # D's readout: "last", "mean", "per_step" (E10)
    # objective and optimisation
    loss: str = "nonsaturating"       # C6 default; "minimax" (E4), "lsgan", "wgan"
    label_smoothing: float = 0.0      # one-sided, on the real label
    moment_loss: float = 10.0         # weight of TimeGAN's moment loss added to L_G; 0 = off
    step_moment_loss: float = 10.0    # weight of the same loss on the steps x_t − x_{t−1} (L_Δ,
                                      # docs/benchmarks.md: it stops the stocks' zig-zag); 0 = off
    iterations: int = 30000           # generator updates
    batch: int = 64                   # B sequences per batch
    d_steps: int = 2                  # k discriminator updates per generator update
    optimizer: str = "adam"
    lr_g: float = 1e-3
    lr_d: float = 1e-3
    beta1: float = 0.5                # A4
    beta2: float = 0.999
    momentum: float = 0.9             # SGD only
    weight_decay: float = 0.0         # L2 (C4)
    l1: float = 0.0                   # L1 (C4)
    clip_norm: float = 0.0            # gradient clipping by global norm (C2); 0 = off
    wgan_clip: float = 0.01           # critic weight clipping for loss="wgan"
    lr_decay: float = 0.0             # fraction of the run at the end over which both rates fall
                                      # linearly to ~0 (minirgan/schedule.py); 0 = constant
    ema: float = 0.0                  # β of the moving average of G's weights that samples are
                                      # drawn from (minirgan/averaging.py); 0 = the last step's G
    # run
    seed: int = 0
    dtype: str = "float64"
    backend: str = "numba"            # "numba" (fast kernels) or "numpy" (the readable reference)
    blas_threads: int = 1             # BLAS threads while training: at these sizes one is fastest,
                                      # and immune to oversubscription on a busy machine
    checkpoint_every: int = 250
    metrics_every: int = 250          # steps between quick quality metrics (MMD², ACF, diversity); 0 = off
    select_every: int = 0             # score G against a held-out 10 % of the data every this many
                                      # steps and keep the best G in best.npz (minirgan/selection.py); 0 = off
    collapse_window: int = 300        # warn when mean D(G(z)) stays < 0.01 or > 0.99 for this many
                                      # steps in a row (minirgan/guards.py); 0 = off
    extra: dict = field(default_factory=dict)   # free-form notes kept in config.json

    def validate(self):
        """Raise ValueError naming the first bad field: first its type (:func:`type_problem`),
        then its value."""
        for f in dataclasses.fields(self):
            problem = type_problem(f, getattr(self, f.name))
            if problem is not None:
                raise ValueError(f"{f.name} must be {problem}, got {getattr(self, f.name)!r}")
        for name, allowed in CHOICES.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {tuple(allowed)}, got {getattr(self, name)!r}")
        cell_options(self.cell, activation=self.activation)     # relu is for the rnn cell only
        for name in ("seq_len", "n_data"):
            check_count(name, getattr(self, name), optional=True)
        for name in ("hidden", "layers", "noise_dim", "iterations", "batch", "d_steps",
                     "checkpoint_every", "blas_threads"):
            check_count(name, getattr(self, name))
        for name in ("metrics_every", "collapse_window", "select_every"):
            check_count(name, getattr(self, name), minimum=0)
        for name in ("lr_g", "lr_d", "wgan_clip"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be > 0, got {getattr(self, name)!r}")
        for name in ("weight_decay", "l1", "clip_norm", "label_smoothing", "momentum", "moment_loss",
                     "step_moment_loss"):
            if not getattr(self, name) >= 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)!r}")
        if not isinstance(self.conditional, bool):
            raise ValueError(f"conditional must be True or False, got {self.conditional!r}")
        if not self.conditional and any(v is not None for v in (self.labels, self.label_column, self.classes)):
            raise ValueError("labels, label_column and classes belong to a conditional run: set "
                             f"conditional=True (got labels={self.labels!r}, label_column="
                             f"{self.label_column!r}, classes={self.classes!r})")
        if not self.conditional and self.condition_at != "input":
            raise ValueError(f"condition_at {self.condition_at!r} places the class of a conditional "
                             "run only: set conditional=True (--conditional or --labels)")
        if self.labels is not None and self.label_column is not None:
            raise ValueError("give labels (a .npy) or label_column (a CSV column), not both")
        if self.classes is not None and not (isinstance(self.classes, list) and len(self.classes) >= 2):
            raise ValueError(f"classes must be a list of at least 2 labels or None, got {self.classes!r}")
        if self.static_columns is not None and (self.output_activation == "tanh" or self.generator == "last_state"):
            raise ValueError("static_columns needs G's output in [0, 1] (output_activation sigmoid, a per_step "
                             "or autoregressive generator), as the attributes are")
        if self.missing not in (None,) + MISSING_MODES:
            raise ValueError(f"missing must be None or one of {MISSING_MODES}, got {self.missing!r}")
        if not self.mismatch >= 0:
            raise ValueError(f"mismatch must be >= 0, got {self.mismatch!r}")
        if not 0 <= self.lr_decay <= 1:
            raise ValueError(f"lr_decay must be in [0, 1] (0 = off), got {self.lr_decay!r}")
        if not 0 <= self.ema < 1:
            raise ValueError(f"ema must be in [0, 1) (0 = off), got {self.ema!r}")
        if not 0 <= self.dropout < 1:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout!r}")
        if not 0 <= self.label_smoothing < 1:
            raise ValueError(f"label_smoothing must be in [0, 1), got {self.label_smoothing!r}")
        self._validate_model()
        return self

    def _validate_model(self):
        """The latent model's own checks: the options it refuses, its autoencoder's steps."""
        if self.model != "latent":
            if self.ae_iterations is not None:
                raise ValueError(f"ae_iterations applies to the latent model only (--model latent), "
                                 f"not to model {self.model!r}")
            return
        for name, off in LATENT_REFUSES.items():
            if getattr(self, name) != off:
                raise ValueError(f"{name} {getattr(self, name)!r} is not supported by the latent model "
                                 "(--model latent, docs/latent.md)")
        check_count("ae_iterations", self.ae_iterations, optional=True)

    def to_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d):
        """A config from a dict (e.g. config.json); unknown keys are an error, not ignored."""
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(d) - names)
        if unknown:
            raise ValueError(f"unknown configuration keys {unknown}; known: {sorted(names)}")
        return cls(**d)

    def save(self, path):
        """Write the config as JSON to ``path``, atomically (``minirgan.atomic``)."""
        from .atomic import write_json
        write_json(path, self.to_dict(), indent=2, sort_keys=True)

    @classmethod
    def load(cls, path):
        """The config saved at ``path``, validated field by field; a file that is not a run's
        config.json, or a field of the wrong type or value, is a ValueError naming the file
        (and the field)."""
        try:
            with open(path) as f:
                saved = json.load(f)
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ValueError(f"{path} is not a readable run configuration (JSON: {err}); restore it "
                             f"from a copy, or start a new run with --overwrite") from None
        if not isinstance(saved, dict):
            raise ValueError(f"{path} is not a run configuration (expected a JSON object)")
        try:
            return cls.from_dict(saved).validate()
        except ValueError as err:
            raise ValueError(f"{path}: {err}; correct it, or start a new run with --overwrite") from None
