"""TimeGAN's sines benchmark: train the default configuration, score it as TimeGAN does.

    python benchmarks/sines_timegan.py                 # train + score, update docs/benchmark_sines.md
    python benchmarks/sines_timegan.py --run-dir RUN   # score an already trained run
    python benchmarks/sines_timegan.py --set '{"iterations": 3000}' --repeats 3 --no-docs

Steps: (1) train ``TrainConfig()`` (the bare ``minirgan train`` default, plus any ``--set``
overrides) on TimeGAN's sines, 10,000 × 24 × 5, timing it; (2) generate 10,000 samples; (3)
score them against the training data with the discriminative and predictive scores (TimeGAN's
protocols, ``--repeats`` times each); (4) score the real-vs-real floor the same way: a fresh
draw of 10,000 real sines (another seed) in place of the generated set; (5) print the table
beside the published rows and write it between the markers in docs/benchmark_sines.md.
"""

import os

# One BLAS thread: the matrices are small, and on a shared 2-core machine BLAS threads that
# wait for each other made the numba kernels up to 9x slower (measured: 364 vs 40 ms per
# training step). Set before NumPy is imported; an explicit setting in the shell wins.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from minirgan.config import TrainConfig
from minirgan.data import timegan_sines
from minirgan.metrics import (autocorrelation_distance, discriminative_score, diversity_ratio,
                              mmd2, predictive_score)
from minirgan.run import Run
from minirgan.train import train

DOC = os.path.join(os.path.dirname(__file__), "..", "docs", "benchmark_sines.md")
START, END = "<!-- benchmark-table:start -->", "<!-- benchmark-table:end -->"

# Published rows (Yoon, Jarrett & van der Schaar, NeurIPS 2019, Table 2, sines).
PUBLISHED = [("TimeGAN (paper, GPU)", "0.011 ± 0.008", "0.093 ± 0.019"),
             ("RCGAN (as reported in the TimeGAN paper)", "0.022 ± 0.008", "0.097 ± 0.001")]


def score(real, other, repeats, seed, backend, progress):
    """Discriminative and predictive scores of ``other`` against ``real``, plus cheap numbers."""
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    disc = discriminative_score(real, other, repeats=repeats, rng=rng, backend=backend,
                                progress=progress)
    pred = predictive_score(other, real, repeats=repeats, rng=rng, backend=backend,
                            progress=progress)
    few = slice(0, 2000)
    return {"disc": disc.to_dict(), "pred": pred.to_dict(),
            "mmd2": mmd2(real[few], other[few]),
            "acf_distance": autocorrelation_distance(real, other),
            "diversity": diversity_ratio(real, other, rng=seed),
            "seconds": time.perf_counter() - t0}


def pm(d):
    return f"{d['mean']:.3f} ± {d['std']:.3f}"


def table(result):
    """The benchmark table (Markdown) of one result dict."""
    cfg = result["config"]
    ours, floor = result["generated"], result["floor"]
    rows = [
        "| | discriminative score ↓ | predictive score ↓ | training time |",
        "|---|---|---|---|",
        f"| **minirgan** (this run) | {pm(ours['disc'])} | {pm(ours['pred'])} | "
        f"{result['train_seconds'] / 60:.1f} min on {result['machine']} |",
        f"| real vs real (floor, held-out real sines) | {pm(floor['disc'])} | {pm(floor['pred'])} | — |",
    ] + [f"| {name} | {d} | {p} | — |" for name, d, p in PUBLISHED]
    changed = {k: v for k, v in cfg.items() if TrainConfig().to_dict().get(k) != v}
    notes = [
        "",
        f"Scores: mean ± std over {result['repeats']} repeats of TimeGAN's protocols "
        f"({result['n']:,} generated vs {result['n']:,} real sequences; see [Metrics](metrics.md)). "
        f"Cheap numbers for the run: MMD² {ours['mmd2']:.4f} (floor {floor['mmd2']:.4f}), "
        f"autocorrelation distance {ours['acf_distance']:.4f} (floor {floor['acf_distance']:.4f}), "
        f"diversity {ours['diversity']:.3f} (floor {floor['diversity']:.3f}).",
        "",
        "Configuration: `minirgan train` defaults" + (f" with {json.dumps(changed)}" if changed else "")
        + f"; backend {cfg['backend']}, {cfg['iterations']} iterations, seed {cfg['seed']}.",
        f"Measured {result['date']} with numpy {result['numpy']}, Python {result['python']}.",
    ]
    return "\n".join(rows + notes)


def write_doc(text, path=DOC):
    """Replace the table between the markers of the benchmark page (append it if missing)."""
    old = open(path).read() if os.path.exists(path) else "# The sines benchmark\n"
    block = f"{START}\n{text}\n{END}"
    if START in old and END in old:
        new = old[:old.index(START)] + block + old[old.index(END) + len(END):]
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    with open(path, "w") as f:
        f.write(new)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", default="{}", help="JSON dict of TrainConfig overrides")
    parser.add_argument("--run-dir", default=None,
                        help="score this trained run instead of training (its config is used)")
    parser.add_argument("--train-seconds", type=float, default=float("nan"),
                        help="with --run-dir: the run's measured training time, for the table")
    parser.add_argument("--out", default="/tmp/minirgan-bench-sines", help="run folder to train into")
    parser.add_argument("--repeats", type=int, default=10, help="repeats of each score (default 10)")
    parser.add_argument("-n", type=int, default=10000, help="generated sequences (default 10000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the noise and the scores")
    parser.add_argument("--floor-seed", type=int, default=20191208, help="seed of the held-out real draw")
    parser.add_argument("--backend", default=None, help="GRU backend of the post-hoc models")
    parser.add_argument("--no-docs", action="store_true", help="print only; do not touch the docs")
    parser.add_argument("--json", default=None, help="also write the raw result to this file")
    args = parser.parse_args(argv)

    run_dir = args.run_dir
    if run_dir is None:
        config = TrainConfig(**json.loads(args.set)).validate()
        if config.data != "sines":
            sys.exit("this benchmark is TimeGAN's sines: data must be 'sines'")
        t0 = time.perf_counter()
        train(config, out_dir=args.out, progress=True, figures=False)
        train_seconds = time.perf_counter() - t0
        run_dir = args.out
    else:
        config = TrainConfig.load(os.path.join(run_dir, "config.json"))
        train_seconds = args.train_seconds

    run = Run(run_dir)
    real = run.real_data()
    fake = run.samples(args.n, args.seed)
    held_out = timegan_sines(len(real), real.shape[1], real.shape[2], rng=args.floor_seed)
    progress = sys.stderr.isatty()
    result = {"config": config.to_dict(), "train_seconds": train_seconds, "n": args.n,
              "repeats": args.repeats, "machine": f"{os.cpu_count()} CPU cores",
              "date": time.strftime("%Y-%m-%d"), "numpy": np.__version__,
              "python": platform.python_version(),
              "generated": score(real, fake, args.repeats, args.seed, args.backend, progress),
              "floor": score(real, held_out, args.repeats, args.seed, args.backend, progress)}
    text = table(result)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
    if not args.no_docs:
        write_doc(text)
        print(f"\nwrote the table to {os.path.abspath(DOC)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
