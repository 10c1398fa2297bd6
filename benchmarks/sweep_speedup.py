"""The wall time of one sweep on 1 and 2 local workers and on a Dask LocalCluster (docs/sweeps.md).

    python benchmarks/sweep_speedup.py                   # 10 runs of 300 steps, --fast scores
    python benchmarks/sweep_speedup.py --runs 4 --iterations 100

Each executor gets the same sweep (seeds 0..runs-1 of the default configuration, shortened)
in a fresh folder, through ``minirgan sweep``; the Dask cluster is a LocalCluster of 2 worker
processes with one thread each, on the loopback interface. Prints the wall times, the
speed-ups over one worker, the load average around each sweep (the machine may be shared),
the runs in flight (the sum of the runs' own wall times over the sweep's: how many ran at once
on average, which other users' load changes less than it changes the wall time) and whether the
runs' checkpoints are bitwise the same on every executor. ``--order`` runs the executors in
another order (e.g. ``dask 2 1``), to see how much the machine's changing load moves the numbers.
"""

import argparse
import csv
import os
import shutil
import sys
import time

import numpy as np

from minirgan.cli import main as minirgan


def timed_sweep(out, common, executor_args):
    shutil.rmtree(out, ignore_errors=True)
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    assert minirgan(["sweep", "--out", out, *common, *executor_args]) == 0
    return time.perf_counter() - t0, load, os.getloadavg()[0]


def in_flight(folder, seconds):
    """The sum of the runs' wall times over the sweep's wall time."""
    with open(os.path.join(folder, "sweep.csv"), newline="") as f:
        return sum(float(row["wall_seconds"]) for row in csv.DictReader(f)) / seconds


def same_checkpoints(a, b, runs):
    for run in runs:
        with np.load(os.path.join(a, run, "checkpoint.npz")) as x, \
                np.load(os.path.join(b, run, "checkpoint.npz")) as y:
            if sorted(x.files) != sorted(y.files) or any(x[k].tobytes() != y[k].tobytes() for k in x.files):
                return False
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--n-data", type=int, default=1000)
    parser.add_argument("--out", default="/tmp/minirgan-sweep-speedup")
    parser.add_argument("--order", nargs=3, default=["1", "2", "dask"], choices=["1", "2", "dask"],
                        help="the order the three sweeps run in (default: 1 2 dask)")
    args = parser.parse_args(argv)
    from distributed import LocalCluster

    common = ["--seeds", f"0-{args.runs - 1}", "--iterations", str(args.iterations), "--n-data",
              str(args.n_data), "--fast", "--no-figures", "--no-progress"]
    runs = [f"seed={s}" for s in range(args.runs)]
    names = {"1": "local pool, 1 worker", "2": "local pool, 2 workers",
             "dask": "Dask LocalCluster, 2 worker processes"}
    results = {}
    for which in args.order:
        folder = os.path.join(args.out, f"local{which}" if which != "dask" else "dask")
        if which != "dask":
            results[names[which]] = (folder, *timed_sweep(folder, common, ["--workers", which]))
            continue
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None) as cluster:
            results[names[which]] = (folder, *timed_sweep(folder, common,
                                                          ["--scheduler", cluster.scheduler_address]))
    one = results[names["1"]][1]
    reference = results[names["1"]][0]
    print(f"\n{args.runs} runs of {args.iterations} steps on {args.n_data} sines, --fast scores, "
          f"{os.cpu_count()} CPU cores, in the order {' '.join(args.order)}\n")
    print("| executor | wall time | speed-up over 1 worker | runs in flight | load average before → after | "
          "checkpoints = 1 worker's |")
    print("|---|---|---|---|---|---|")
    for name in (names[w] for w in ("1", "2", "dask")):
        folder, seconds, before, after = results[name]
        print(f"| {name} | {seconds:.0f} s | {one / seconds:.2f}× | {in_flight(folder, seconds):.2f} | "
              f"{before:.1f} → {after:.1f} | "
              f"{'bitwise' if same_checkpoints(reference, folder, runs) else 'DIFFERENT'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
