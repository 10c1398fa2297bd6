"""``minirgan sample RUN_DIR -n N [--length L] -o OUT.npy|OUT.csv``: draw samples from a trained generator.

The samples are mapped back to the data's original units with the run's scaler. ``--length``
runs the recurrent generator for L steps instead of the trained T (one long series:
``-n 1 --length 5000``; what holds beyond T is measured in docs/long_series.md). ``.npy``
writes one (N, L, F) float array; ``.csv`` a table with one row per step, the data's column
names and, when the data had a time index, that column continued after its last timestamp
(``minirgan.datasets.csv_output``). The same ``--seed`` gives the same samples.

A conditional run (``minirgan train --conditional``) generates for ``--label L`` (one of the
run's labels, as the data named them) or, with ``--label all`` (the default), for every label in
equal numbers; the labels of the samples are written beside them (OUT_labels.npy).

A run trained on sequences of different lengths (``--sequence-key``, an ``.npz``) generates
each sample with a length drawn from the training sequences' own (per label when conditional)
and writes ``.npz`` (``x`` (N, T, F) zero-padded, ``lengths`` (N,); the default,
RUN_DIR/samples.npz) or ``.csv`` as a long table: one row per real step, the sequence key
column under its input name, the time column continued when the data had one, the features
under their names and a conditional run's label column under its name. A run with attributes
(``--static-columns``) writes each sample's generated attributes after them, categories under
the data's names (in an ``.npz``: ``attribute_NAME`` (N,) arrays).
"""

import contextlib
import os

import numpy as np

from ..errors import UserError
from .counts import check_counts
from .which import add_which_argument, open_run

NAME = "sample"
HELP = "write N samples of a trained run's generator, in the data's original units, to a .npy or .csv"
SUFFIXES = (".npy", ".csv", ".npz")


def add_arguments(parser):
    parser.add_argument("run_dir", metavar="RUN_DIR", help="a run folder written by minirgan train")
    add_which_argument(parser, "sampled")
    parser.add_argument("-n", type=int, default=1000, help="number of samples (default 1000)")
    parser.add_argument("--length", type=int, default=None,
                        help="steps per sample (default: the trained sequence length T)")
    parser.add_argument("-o", "--out", default=None,
                        help="output .npy, .npz or .csv file (default: RUN_DIR/samples.npy, or "
                             "samples.npz for a run on sequences of different lengths)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the noise (default 0)")
    parser.add_argument("--label", default=None,
                        help="conditional runs: the label to generate, or 'all' (default) for "
                             "every label in equal numbers")


def inside(path, folder):
    """True if ``path`` is in ``folder`` (after resolving links)."""
    return os.path.dirname(os.path.realpath(path)) == os.path.realpath(folder)


def run(args):
    from ..memory_budget import check_sampling
    from ..run import Run, sample_chunk
    from ..run_inputs import refuse_overwriting_inputs
    from ..run_lock import run_folder_lock

    check_counts(("-n", args.n), ("--length", args.length))
    run_ = open_run(args.run_dir, args.which)
    ragged = run_.run_data().lengths is not None
    out = args.out or os.path.join(args.run_dir, "samples.npz" if ragged else "samples.npy")
    if not out.lower().endswith(SUFFIXES):
        raise UserError(f"-o must name a .npy, .npz or .csv file, got {out!r}")
    if ragged and out.lower().endswith(".npy"):
        raise UserError(f"-o {out}: the run's sequences have different lengths; write an .npz (x and "
                        "lengths) or a .csv (a long table)")
    steps, seq_len = args.length or run_.info["seq_len"], run_.info["seq_len"]
    whole = run_.config.conditional or not out.lower().endswith(".npy")   # .npy: chunk by chunk
    check_sampling(run_.config, args.n, steps, run_.info["features"], sample_chunk(seq_len, steps), whole)
    parent = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(parent):
        raise UserError(f"cannot write {out}: folder {parent} does not exist")
    labels_out = os.path.splitext(out)[0] + "_labels.npy" if run_.config.conditional else None
    outputs = [out] + ([labels_out] if labels_out else [])
    refuse_overwriting_inputs(run_.inputs(), outputs, "sample -o")
    # writing into the run folder (the default -o) takes its lock, as every writer of it does
    writes_run = any(inside(path, args.run_dir) for path in outputs)
    with run_folder_lock(args.run_dir, "minirgan sample") if writes_run else contextlib.nullcontext():
        return _write(args, run_, out, labels_out)


def _write(args, run_, out, labels_out):
    """Draw the samples and write them (and a conditional run's labels), each file atomically."""
    from ..atomic import atomic_open
    from ..datasets.csv_output import write_samples_csv

    labels = samples = None
    if run_.run_data().lengths is not None:
        return _write_ragged(args, run_, out, labels_out)
    try:
        if run_.config.conditional:
            samples, labels = run_.labelled_samples(args.n, args.seed, args.label or "all", args.length)
        elif args.label is not None:
            raise UserError(f"--label: {args.run_dir} is not a conditional run (train it with "
                            "--conditional to choose what to generate)")
        elif out.lower().endswith(".npy"):
            # chunk by chunk into the file: -n beyond the memory works, beyond the disk is refused
            shape = run_.write_samples(args.n, out, args.seed, length=args.length)
        else:
            samples = run_.samples(args.n, args.seed, length=args.length)
    except ValueError as err:       # e.g. --length with the last-state generator, an unknown label
        raise UserError(str(err)) from None
    if samples is not None:
        shape = samples.shape
        if out.lower().endswith(".csv"):
            write_samples_csv(out, samples, run_.info.get("column_names"), run_.info.get("time_index"))
        else:
            with atomic_open(out, "wb") as f:
                np.save(f, samples)
    print(f"wrote {args.n} samples of shape {shape} (N, T, F) in the data's units to {out}")
    if labels is not None:
        with atomic_open(labels_out, "wb") as f:
            np.save(f, labels)
        print(f"wrote their labels ({', '.join(map(str, run_.label_map.classes))}) to {labels_out}")
    return 0


def split_attributes(config, samples):
    """(the series (N, T, F), (names, values (N, S) object) or None) of samples whose last A
    channels are a run's generated attributes (``--static-columns``, docs/attributes.md)."""
    if not config.attributes:
        return samples, None
    from ..datasets.attributes import AttributeCodec

    codec = AttributeCodec.from_json(config.attributes)
    values = codec.decode(samples[:, 0, -codec.width:])
    return samples[..., :-codec.width], ([a.name for a in codec.attributes], values)


def _write_ragged(args, run_, out, labels_out):
    """A run on sequences of different lengths: samples with drawn lengths, as .npz or a long CSV."""
    from ..atomic import atomic_open
    from ..datasets.csv_output import write_long_csv

    if args.length is not None:
        raise UserError("--length: the run's sequences have their own lengths, drawn from the data's; "
                        "leave --length out")
    labels = classes = None
    try:
        if run_.config.conditional:
            samples, labels = run_.labelled_samples(args.n, args.seed, args.label or "all")
            classes = run_.label_map.encode(labels)
        elif args.label is not None:
            raise UserError(f"--label: {args.run_dir} is not a conditional run (train it with "
                            "--conditional to choose what to generate)")
        else:
            samples = run_.samples(args.n, args.seed)
    except ValueError as err:       # an unknown label
        raise UserError(str(err)) from None
    lengths = run_.sample_lengths(args.n, args.seed, classes)
    samples, attributes = split_attributes(run_.config, samples)
    if out.lower().endswith(".csv"):
        label_name = run_.config.label_column if run_.config.label_column else "label"
        write_long_csv(out, samples, lengths, run_.info.get("column_names"), run_.info.get("sequence_key"),
                       run_.info.get("time_column"), label_name, labels, attributes)
    else:
        named = {} if attributes is None else {f"attribute_{name}": np.asarray(list(attributes[1][:, s]))
                                               for s, name in enumerate(attributes[0])}
        with atomic_open(out, "wb") as f:
            np.savez(f, x=samples, lengths=lengths, **named)
    print(f"wrote {args.n} samples of {lengths.min()} to {lengths.max()} steps (mean {lengths.mean():.1f}) "
          f"in the data's units to {out}")
    if labels is not None:
        with atomic_open(labels_out, "wb") as f:
            np.save(f, labels)
        print(f"wrote their labels ({', '.join(map(str, run_.label_map.classes))}) to {labels_out}")
    return 0
