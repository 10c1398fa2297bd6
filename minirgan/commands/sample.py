"""``minirgan sample RUN_DIR -n N -o OUT.npy``: draw samples from a trained generator.

The samples are mapped back to the data's original units with the run's scaler and saved
as one (N, T, F) float array. The same ``--seed`` gives the same samples.
"""

import os

import numpy as np

from ..errors import UserError

NAME = "sample"
HELP = "write N samples of a trained run's generator, in the data's original units, to a .npy"


def add_arguments(parser):
    parser.add_argument("run_dir", metavar="RUN_DIR", help="a run folder written by minirgan train")
    parser.add_argument("-n", type=int, default=1000, help="number of samples (default 1000)")
    parser.add_argument("-o", "--out", default=None,
                        help="output .npy file (default: RUN_DIR/samples.npy)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the noise (default 0)")


def run(args):
    from ..run import Run

    if args.n < 1:
        raise UserError(f"-n must be at least 1, got {args.n}")
    out = args.out or os.path.join(args.run_dir, "samples.npy")
    if not out.endswith(".npy"):
        raise UserError(f"-o must name a .npy file, got {out!r}")
    samples = Run(args.run_dir).samples(args.n, args.seed)
    parent = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(parent):
        raise UserError(f"cannot write {out}: folder {parent} does not exist")
    np.save(out, samples)
    print(f"wrote {args.n} samples of shape {samples.shape} (N, T, F) in the data's units to {out}")
    return 0
