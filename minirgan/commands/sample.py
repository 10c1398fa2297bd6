"""``minirgan sample RUN_DIR -n N -o OUT.npy``: draw samples from a trained generator.

The samples are mapped back to the data's original units with the run's scaler and saved
as one (N, T, F) float array. The same ``--seed`` gives the same samples.
"""

import os

import numpy as np

from ..cli import UserError

NAME = "sample"
HELP = "write N samples of a trained run's generator, in the data's original units, to a .npy"

CHUNK = 1024     # samples generated at once (bounds the memory the caches take)


def add_arguments(parser):
    parser.add_argument("run_dir", metavar="RUN_DIR", help="a run folder written by minirgan train")
    parser.add_argument("-n", type=int, default=1000, help="number of samples (default 1000)")
    parser.add_argument("-o", "--out", default=None,
                        help="output .npy file (default: RUN_DIR/samples.npy)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the noise (default 0)")


def load_generator(run_dir):
    """(G with the checkpoint's weights, scaler, data info) of a run folder."""
    from ..checkpoint import copy_params_into, load_checkpoint, run_paths
    from ..config import TrainConfig
    from ..train import build_generator

    path = run_paths(run_dir)["checkpoint"]
    if not os.path.isdir(run_dir):
        raise UserError(f"{run_dir} is not a folder (expected a run folder from minirgan train)")
    if not os.path.exists(path):
        raise UserError(f"{run_dir} holds no checkpoint.npz: train first (minirgan train --out {run_dir})")
    saved = load_checkpoint(path)
    config = TrainConfig.from_dict(saved["config"])
    info = saved["data_info"]
    G = build_generator(config, info["features"], info["seq_len"], rng=0)
    copy_params_into(G.params, saved["G"], "generator")
    return G, saved["scaler"], info


def draw_samples(G, scaler, n, seed):
    """n samples (n, T, F) in the data's units, generated in chunks from one seeded stream."""
    rng = np.random.default_rng(seed)
    parts = [G.sample(min(CHUNK, n - i), rng) for i in range(0, n, CHUNK)]
    return scaler.inverse_transform(np.concatenate(parts))


def run(args):
    if args.n < 1:
        raise UserError(f"-n must be at least 1, got {args.n}")
    out = args.out or os.path.join(args.run_dir, "samples.npy")
    if not out.endswith(".npy"):
        raise UserError(f"-o must name a .npy file, got {out!r}")
    G, scaler, info = load_generator(args.run_dir)
    samples = draw_samples(G, scaler, args.n, args.seed)
    parent = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(parent):
        raise UserError(f"cannot write {out}: folder {parent} does not exist")
    np.save(out, samples)
    print(f"wrote {args.n} samples of shape {samples.shape} (N, T, F) in the data's units to {out}")
    return 0
