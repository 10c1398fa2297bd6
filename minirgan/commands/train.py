"""``minirgan train``: train a recurrent GAN and write a run folder (see minirgan.train.train).

Every option defaults to the field of the same name in ``minirgan.config.TrainConfig``, so a
bare ``minirgan train`` trains the default GRU GAN on TimeGAN's sines.
"""

import os
import sys
import time

from ..cli import UserError
from ..backend import BACKENDS
from ..config import DTYPES, OPTIMIZERS, TrainConfig
from ..data import DATASETS
from ..losses import LOSSES
from ..models import CELL_TYPES, GENERATOR_FORMS, READOUTS

NAME = "train"
HELP = "train a recurrent GAN (default: a GRU GAN on TimeGAN's sines) and write a run folder"

DEFAULTS = TrainConfig()

# (flag, config field, type, choices, help)
OPTIONS = [
    ("--data", "data", str, None, f"{', '.join(DATASETS)}, or a .npy (N,T,F) / .csv path"),
    ("--seq-len", "seq_len", int, None, "sequence length T (window length for a CSV series)"),
    ("--n-data", "n_data", int, None, "number of training sequences (default: all / 10000)"),
    ("--cell", "cell", str, CELL_TYPES, "recurrent cell of G and D"),
    ("--hidden", "hidden", int, None, "hidden units H per recurrent layer"),
    ("--layers", "layers", int, None, "stacked recurrent layers L"),
    ("--noise-dim", "noise_dim", int, None, "noise size Z (per time step, or per sequence with --noise static)"),
    ("--noise", "noise", str, ("per_step", "static"),
     "per_step: fresh noise each step; static: one noise vector per sequence, every step"),
    ("--dropout", "dropout", float, None, "dropout between stacked layers (A0)"),
    ("--generator", "generator", str, GENERATOR_FORMS,
     "generator form: per_step (E2), last_state (E16), autoregressive (E9)"),
    ("--output-activation", "output_activation", str, ("sigmoid", "tanh", "identity"),
     "g of E2 (sigmoid: data scaled to [0,1]; tanh: to [-1,1])"),
    ("--readout", "readout", str, READOUTS, "discriminator readout: last, mean, per_step (E10)"),
    ("--loss", "loss", str, LOSSES, "GAN loss (nonsaturating = C6)"),
    ("--label-smoothing", "label_smoothing", float, None, "one-sided label smoothing s"),
    ("--moment-loss", "moment_loss", float, None, "weight of TimeGAN's moment loss in L_G (0 = off)"),
    ("--iterations", "iterations", int, None, "generator updates"),
    ("--batch", "batch", int, None, "batch size B"),
    ("--d-steps", "d_steps", int, None, "discriminator updates per generator update (k)"),
    ("--optimizer", "optimizer", str, OPTIMIZERS, "optimiser of both players"),
    ("--lr-g", "lr_g", float, None, "generator learning rate"),
    ("--lr-d", "lr_d", float, None, "discriminator learning rate"),
    ("--weight-decay", "weight_decay", float, None, "L2 weight decay (C4)"),
    ("--l1", "l1", float, None, "L1 penalty (C4)"),
    ("--clip", "clip_norm", float, None, "clip gradients to this global norm (C2); 0 = off"),
    ("--wgan-clip", "wgan_clip", float, None, "critic weight clipping c for --loss wgan"),
    ("--seed", "seed", int, None, "seed of the run (same seed, same run)"),
    ("--dtype", "dtype", str, DTYPES, "floating point type"),
    ("--backend", "backend", str, BACKENDS, "implementation of the recurrent passes"),
    ("--blas-threads", "blas_threads", int, None, "BLAS threads while training"),
    ("--checkpoint-every", "checkpoint_every", int, None, "steps between checkpoints"),
    ("--metrics-every", "metrics_every", int, None,
     "steps between quick quality metrics (MMD², ACF distance, diversity) in metrics.jsonl; 0 = off"),
]


def add_arguments(parser):
    for flag, field, typ, choices, text in OPTIONS:
        parser.add_argument(flag, dest=field, type=typ, choices=choices, default=None,
                            help=f"{text} (default: {getattr(DEFAULTS, field)})")
    parser.add_argument("--lr", type=float, default=None,
                        help="learning rate of both players (sets --lr-g and --lr-d)")
    parser.add_argument("--out", default=None,
                        help="run folder (default: runs/<data>-<cell>-<timestamp>)")
    parser.add_argument("--resume", action="store_true",
                        help="continue the run in --out from its checkpoint up to --iterations")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def given_options(args):
    """The config fields the user set on the command line."""
    given = {field: getattr(args, field) for _, field, *_ in OPTIONS if getattr(args, field) is not None}
    if args.lr is not None:
        given.setdefault("lr_g", args.lr)
        given.setdefault("lr_d", args.lr)
    return given


def default_out(config):
    data = os.path.splitext(os.path.basename(config.data))[0] or "data"
    return os.path.join("runs", f"{data}-{config.cell}-{time.strftime('%Y%m%d-%H%M%S')}")


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
        return config.validate(), args.out
    config = TrainConfig(**given).validate()
    return config, args.out or default_out(config)


def run(args):
    from ..train import TrainingDiverged, train

    config, out_dir = make_config(args)
    announce = lambda line: print(line, file=sys.stderr)
    try:
        state, history = train(config, out_dir, resume=args.resume, progress=not args.no_progress,
                               log=announce)
    except TrainingDiverged as err:
        print(f"minirgan train: {err}", file=sys.stderr)
        return 1
    last = history[-1] if history else {}
    if last:
        print(f"step {last['step']}: L_D {last['loss_d']:.4f}  L_G {last['loss_g']:.4f}  "
              f"mean D(x) {last['d_real']:.3f}  mean D(G(z)) {last['d_fake']:.3f}")
    print(f"wrote {out_dir}/: config.json, metrics.jsonl, checkpoint.npz, samples.png, losses.png, "
          f"d_outputs.png ({state.seconds:.0f} s)")
    print(f"next: minirgan sample {out_dir} -n 1000 -o samples.npy")
    return 0
