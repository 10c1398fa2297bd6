"""The table of the lever "a latent recurrent GAN" (issue 26, docs/latent.md): the latent model
against the default recurrent GAN over training seeds, through one ``minirgan sweep``.

    python benchmarks/latent_table.py --out sweeps/latent                  # stocks, seeds 0-4, both models
    python benchmarks/latent_table.py --out sweeps/latent --models latent  # the latent model only
    python benchmarks/latent_table.py --out sweeps/latent --fast --iterations 3000 --seeds 0-1
    python benchmarks/latent_table.py --out /tmp/smoke --fast --iterations 40 --seeds 0 --n-data 300

Each model × seed is one run folder of the sweep (``--set model=rgan,latent``), on the bare
``minirgan train`` configuration otherwise (the latent model's autoencoder takes the default
third of ``--iterations``), trained on a local process pool (``--workers``) or a Dask cluster
(``--scheduler``) and scored by ``minirgan evaluate`` (``--fast``: its short protocol). The
sweep writes sweep.csv and summary.md (mean ± 95 % t-interval over the seeds, the published
rows) in ``--out``; this script prints summary.md and, per model, the discriminative score of
every seed and the training speed. An interrupted sweep resumes: run the same command again.
The stocks are read through the CSV path a user would pass, as in benchmarks/benchmark_table.py.
"""

import os

# One BLAS thread per run, as benchmark_table.py (set before NumPy; the shell's setting wins).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import dataclasses  # noqa: E402

from minirgan.config import TrainConfig  # noqa: E402
from minirgan.datasets.embedded import STOCKS_PATH  # noqa: E402
from minirgan.models.latent import MODELS  # noqa: E402
from minirgan.sweep import run_sweep  # noqa: E402
from minirgan.sweep.grid import parse_seeds  # noqa: E402
from minirgan.sweep.intervals import mean_pm  # noqa: E402
from minirgan.sweep.report import SWEEP_FILES  # noqa: E402

DATA = {"stocks": STOCKS_PATH, "sines": "sines"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="the sweep's folder (resumed if it exists)")
    parser.add_argument("--data", choices=sorted(DATA), default="stocks")
    parser.add_argument("--models", nargs="+", choices=MODELS, default=["rgan", "latent"])
    parser.add_argument("--seeds", nargs="+", default=["0-4"], help="training seeds, e.g. 0-4 or 0 1")
    parser.add_argument("--iterations", type=int, default=None,
                        help="steps of every run (default: minirgan train's)")
    parser.add_argument("--n-data", type=int, default=None, help="training sequences (default: all)")
    parser.add_argument("--fast", action="store_true", help="score with minirgan evaluate --fast")
    parser.add_argument("--workers", type=int, default=None, help="local processes (default: one per core)")
    parser.add_argument("--scheduler", default=None, help="a Dask scheduler's address, tcp://HOST:PORT")
    args = parser.parse_args()

    changes = {"data": DATA[args.data], "n_data": args.n_data}
    if args.iterations is not None:
        changes["iterations"] = args.iterations
    base = dataclasses.replace(TrainConfig(), **changes)
    rows = run_sweep(args.out, base, [("model", args.models)], parse_seeds(args.seeds),
                     scoring="fast" if args.fast else "full", workers=args.workers,
                     scheduler=args.scheduler)
    with open(os.path.join(args.out, SWEEP_FILES["summary"])) as f:
        print(f.read())
    print("| model | discriminative (mean ± 95 % t) | per seed | steps/s |\n| --- | --- | --- | --- |")
    for model in args.models:
        done = [r for r in rows if r.get("model") == model and r.get("status") == "ok"]
        if not done:
            print(f"| {model} | (no finished run) | | |")
            continue
        scores = [r["discriminative"] for r in done]
        seeds = ", ".join(f"{r['seed']}: {r['discriminative']:.3f}" for r in done)
        print(f"| {model} | {mean_pm(scores)} | {seeds} | {mean_pm([r['steps_per_second'] for r in done], 1)} |")


if __name__ == "__main__":
    main()
