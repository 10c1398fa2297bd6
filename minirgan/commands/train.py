"""``minirgan train``: train a recurrent GAN and write a run folder (see minirgan.train.train).

Every option defaults to the field of the same name in ``minirgan.config.TrainConfig``, so a
bare ``minirgan train`` trains the default GRU GAN on TimeGAN's sines.
"""

import os
import sys
import time

from ..config import CHOICES, TrainConfig
from ..data import data_help
from ..errors import UserError

NAME = "train"
HELP = "train a recurrent GAN (default: a GRU GAN on TimeGAN's sines) and write a run folder"

DEFAULTS = TrainConfig()

# (flag, config field, type, help); a field's choices are those of config.CHOICES
OPTIONS = [
    ("--data", "data", str, data_help()),
    ("--seq-len", "seq_len", int, "sequence length T: the window length for a CSV or (T, F) series "
     "and the sines (default: 24); a .npy (N, T, F) file or an image set has its own T"),
    ("--n-data", "n_data", int, "number of training sequences (default: all of a file or 'stocks', "
     "10000 generated sines or digits, all 1797 'uci-digits')"),
    ("--columns", "columns", str, "a CSV file's feature columns, by name or 1-based number, e.g. "
     "open,close or 2,5 (default: every column but a first column of dates)"),
    ("--delimiter", "delimiter", str, "a CSV file's separator: , ; | or tab (default: detected)"),
    ("--decimal", "decimal", str, "a CSV file's decimal mark: . or , (European files; the other mark "
     "then separates thousands; default: .)"),
    ("--sequence-key", "sequence_key", str,
     "a long table's column naming the sequence of each row (one row per time step): every "
     "sequence is kept whole at its own length (no windows unless --seq-len)"),
    ("--time-column", "time_column", str,
     "with --sequence-key: the column of numbers or dates ordering each sequence's rows "
     "(default: file order)"),
    ("--static-columns", "static_columns", str, "with --sequence-key: columns constant within a sequence "
     "(numeric or categorical, e.g. sex,age): G generates them, then the series given them; sample "
     "writes them back (docs/attributes.md)"),
    ("--missing", "missing", str, "mask: learn around a table's empty, NA or NaN cells (D reads the "
     "observation mask, the moment losses skip missing cells; docs/missing.md); default: refuse them"),
    ("--labels", "labels", str,
     "a .npy of labels beside a .npy/.csv data file, one per sequence (or per row of a series): "
     "train a conditional GAN (implies --conditional)"),
    ("--label-column", "label_column", str,
     "a CSV data file's column of labels, name or number (implies --conditional)"),
    ("--mismatch", "mismatch", float,
     "conditional runs: weight in L_D of real sequences shown with a wrong class"),
    ("--condition-at", "condition_at", str,
     "conditional runs: where G reads the class: input (beside every step's input), state "
     "(sets the initial hidden state, h0 = tanh(W c + b)) or both; D reads it at every step"),
    ("--model", "model", str, "rgan: the recurrent GAN; latent: a recurrent autoencoder, then a GAN "
     "generating its codes (RTSGAN's idea; docs/latent.md)"),
    ("--ae-iterations", "ae_iterations", int, "--model latent: the first this many of the "
     "--iterations train the autoencoder, the rest the GAN on its codes (default: a third)"),
    ("--cell", "cell", str, "recurrent cell of G and D"),
    ("--activation", "activation", str, "f of E1 for --cell rnn"),
    ("--hidden", "hidden", int, "hidden units H per recurrent layer"),
    ("--layers", "layers", int, "stacked recurrent layers L"),
    ("--noise-dim", "noise_dim", int,
     "noise size Z (per sequence with --noise static, per step with per_step; mixed: Z + Z)"),
    ("--noise", "noise", str,
     "static: one noise vector per sequence, at every step (default); per_step: fresh noise each "
     "step; mixed: both side by side"),
    ("--dropout", "dropout", float, "dropout between stacked layers (A0)"),
    ("--generator", "generator", str,
     "generator form: per_step (E2), last_state (E16), autoregressive (E9)"),
    ("--output-activation", "output_activation", str,
     "g of E2 (sigmoid: data scaled to [0,1]; tanh: to [-1,1])"),
    ("--readout", "readout", str, "discriminator readout: last, mean, per_step (E10)"),
    ("--loss", "loss", str, "GAN loss (nonsaturating = C6)"),
    ("--label-smoothing", "label_smoothing", float, "one-sided label smoothing s"),
    ("--moment-loss", "moment_loss", float, "weight of TimeGAN's moment loss in L_G (0 = off)"),
    ("--step-moment-loss", "step_moment_loss", float,
     "weight in L_G of the same moment loss on the steps x_t - x_{t-1} (0 = off)"),
    ("--iterations", "iterations", int, "generator updates"),
    ("--ema", "ema", float, "samples come from a moving average of G's weights with this decay "
     "beta (0 = from the last step's G)"),
    ("--batch", "batch", int, "batch size B"),
    ("--d-steps", "d_steps", int, "discriminator updates per generator update (k)"),
    ("--optimizer", "optimizer", str, "optimiser of both players"),
    ("--lr-g", "lr_g", float, "generator learning rate"),
    ("--lr-d", "lr_d", float, "discriminator learning rate"),
    ("--lr-decay", "lr_decay", float,
     "take both learning rates linearly down to ~0 over this last fraction of the run "
     "(0.5: the second half); 0 = constant"),
    ("--weight-decay", "weight_decay", float, "L2 weight decay (C4)"),
    ("--l1", "l1", float, "L1 penalty (C4)"),
    ("--clip", "clip_norm", float, "clip gradients to this global norm (C2); 0 = off"),
    ("--wgan-clip", "wgan_clip", float, "critic weight clipping c for --loss wgan"),
    ("--seed", "seed", int, "seed of the run (same seed, same run)"),
    ("--dtype", "dtype", str, "floating point type"),
    ("--backend", "backend", str, "implementation of the recurrent passes"),
    ("--blas-threads", "blas_threads", int, "BLAS threads while training"),
    ("--checkpoint-every", "checkpoint_every", int, "steps between checkpoints"),
    ("--metrics-every", "metrics_every", int,
     "steps between quick quality metrics (MMD², ACF distance, diversity) in metrics.jsonl; 0 = off"),
    ("--select-every", "select_every", int,
     "hold out 10%% of the real sequences, score G against them (MMD²) every this many steps and "
     "keep the best G in best.npz, which sample and evaluate then use; 0 = off"),
    ("--collapse-window", "collapse_window", int,
     "warn when mean D(G(z)) stays below 0.01 or above 0.99 for this many steps; 0 = off"),
]
FLAGS = {field: flag for flag, field, *_ in OPTIONS}


def _with_default(text, default):
    """The help text, with "(default: ...)" added unless the text gives its default itself or
    the default is None (nothing set: the text says what happens then)."""
    return text if "default:" in text or default is None else f"{text} (default: {default})"


def add_config_arguments(parser, exclude=()):
    """The options that set TrainConfig fields (all but the fields in ``exclude``); ``minirgan
    sweep`` takes them too, as its base configuration."""
    for flag, field, typ, text in OPTIONS:
        if field in exclude:
            continue
        parser.add_argument(flag, dest=field, type=typ, choices=CHOICES.get(field), default=None,
                            help=_with_default(text, getattr(DEFAULTS, field)))
    parser.add_argument("--conditional", action="store_true",
                        help="train a conditional GAN on the data's labels (the digit sets and "
                             "rcgan-sines bring their own; a file needs --labels); "
                             "minirgan sample --label then picks the class")
    parser.add_argument("--many-classes", action="store_true",
                        help="conditional runs: accept labels with fewer than 5 sequences per class "
                             "on average (refused by default: such labels are rarely classes)")
    same = DEFAULTS.lr_g if DEFAULTS.lr_g == DEFAULTS.lr_d else f"{DEFAULTS.lr_g} / {DEFAULTS.lr_d}"
    parser.add_argument("--lr", type=float, default=None,
                        help=f"learning rate of both players (sets --lr-g and --lr-d; default: {same})")


def add_arguments(parser):
    add_config_arguments(parser)
    parser.add_argument("--out", default=None,
                        help="run folder (default: runs/<data>-<cell>-<timestamp>-<pid>)")
    parser.add_argument("--resume", action="store_true",
                        help="continue the run in --out from its checkpoint up to --iterations")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace the run already in --out (without it, such a folder is refused)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def given_options(args):
    """The config fields the user set on the command line."""
    given = {field: getattr(args, field) for _, field, *_ in OPTIONS
             if getattr(args, field, None) is not None}
    if args.conditional or given.get("labels") is not None or given.get("label_column") is not None:
        given["conditional"] = True
    if args.many_classes:
        given["many_classes"] = True
    if args.lr is not None:
        given.setdefault("lr_g", args.lr)
        given.setdefault("lr_d", args.lr)
    return given


def default_out(config):
    """runs/<data>-<cell>-<timestamp>-<pid> (<data>-latent-<cell>-… for the latent model): two
    runs started in the same second have different pids, so their default folders never collide (and the run lock refuses a second writer)."""
    data = os.path.splitext(os.path.basename(config.data))[0] or "data"
    model = "latent-" if config.model == "latent" else ""
    return os.path.join("runs", f"{data}-{model}{config.cell}-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")


def flag_of(field, args):
    """The command-line flag the user typed for a config field ("--lr" for lr_g set by --lr)."""
    if field in ("lr_g", "lr_d") and args.lr is not None and getattr(args, field) is None:
        return "--lr"
    return FLAGS.get(field, f"--{field.replace('_', '-')}")


def validated(config, args):
    """``config.validate()``, its message naming the flag instead of the config field."""
    try:
        return config.validate()
    except ValueError as err:
        field, _, rest = str(err).partition(" ")
        if hasattr(config, field):
            raise UserError(f"{flag_of(field, args)} {rest}") from None
        raise


def make_config(args):
    """(TrainConfig, run folder) from the arguments; on --resume, the saved config plus changes."""
    given = given_options(args)
    if args.resume:
        if args.out is None:
            raise UserError("--resume needs --out RUN_DIR, the run folder to continue")
        path = os.path.join(args.out, "config.json")
        if not os.path.exists(path):
            raise UserError(f"cannot resume: {path} does not exist")
        config = TrainConfig.load(path)
        for field, value in given.items():
            setattr(config, field, value)
        return validated(config, args), args.out
    config = validated(TrainConfig(**given), args)
    return config, args.out or default_out(config)


def run(args):
    from tqdm import tqdm

    from ..train import train

    config, out_dir = make_config(args)
    if args.resume and args.overwrite:
        raise UserError("--resume continues the run in --out and --overwrite replaces it: give one")
    # one-line messages on stderr, written above the progress bar rather than through it
    announce = lambda line: tqdm.write(line, file=sys.stderr)
    # divergence (exit 1), Ctrl-C (130) and SIGTERM (143) are reported by minirgan.cli.main
    state, history = train(config, out_dir, resume=args.resume, progress=not args.no_progress,
                           log=announce, overwrite=args.overwrite)
    last = history[-1] if history else {}
    if "loss_d" in last:
        print(f"step {last['step']}: L_D {last['loss_d']:.4f}  L_G {last['loss_g']:.4f}  "
              f"mean D(x) {last['d_real']:.3f}  mean D(G(z)) {last['d_fake']:.3f}")
    for line in state.warnings:
        print(line, file=sys.stderr)
    from ..run import RUN_FILES
    written = [name for name in RUN_FILES.values() if os.path.exists(os.path.join(out_dir, name))]
    print(f"wrote {out_dir}/: {', '.join(written)} ({state.seconds:.0f} s, "
          f"{state.steps_per_second:.1f} steps/s)")
    suffix = "csv" if state.lengths is not None else "npy"     # sequences of different lengths: a long table
    print(f"next: minirgan sample {out_dir} -n 1000 -o samples.{suffix}")
    return 0
