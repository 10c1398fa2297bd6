"""The two post-hoc scores of ``minirgan evaluate`` against an earlier commit's, taking turns.

Issue 15 asks for ``evaluate`` at a third of its time "at the same repeats, on the same data".
Times on these shared machines vary about 3× from day to day, so this measures the ratio the
way the other benchmarks do: the current code and the code of ``--baseline`` (checked out into
a temporary git worktree) score the same samples in fresh processes that take turns, each
timing one repeat of the discriminative and the predictive score in CPU time under one BLAS
thread. The samples are those of ``minirgan evaluate RUN_DIR`` (seed 0, as many generated as
real sequences, in [0, 1] units). Writes the table between the ``evaluate_against`` markers of
docs/performance.md.

``--whole`` times instead the whole command, ``minirgan evaluate RUN --no-figures`` at the
protocol's 10 repeats, in wall-clock time, for the baseline and for the current code with one
worker process and with one per core (``--workers``), each on its own copy of a 300-step
default run that the baseline code trains first (older code cannot read newer run folders; the
current code reads older ones), in each code's own default threading (no environment variable
set); table ``evaluate_whole``.

    python benchmarks/evaluate_against.py RUN_DIR                        # baseline 8e030bf
    python benchmarks/evaluate_against.py RUN_DIR --baseline HEAD~3 --rounds 5 --no-write
    python benchmarks/evaluate_against.py --whole --rounds 1
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from docs_section import replace_section

ROOT = Path(__file__).resolve().parent.parent
# The code of the day issue 15 was filed (2 December 2026), before the post-hoc models were
# rebuilt from minirgan.models (fe010aa): the "today's time" of the issue.
BASELINE = "8e030bf"

# One process: time one repeat of each score of the minirgan found first on sys.path.
TIMER = """
import json, sys, time
import numpy as np
from threadpoolctl import threadpool_limits
from minirgan import metrics
real, fake = np.load(sys.argv[1]), np.load(sys.argv[2])
with threadpool_limits(limits=1, user_api="blas"):
    # warm-up: load (or compile) the kernels outside the timed calls
    metrics.discriminative_score(real[:300], fake[:300], repeats=1, iterations=3, rng=1)
    metrics.predictive_score(fake[:300], real[:300], repeats=1, iterations=3, rng=1)
    t = time.process_time()
    d = metrics.discriminative_score(real, fake, repeats=1, rng=np.random.default_rng(0))
    t_disc = time.process_time() - t
    t = time.process_time()
    p = metrics.predictive_score(fake, real, repeats=1, rng=np.random.default_rng(0))
    t_pred = time.process_time() - t
print(json.dumps({"disc": t_disc, "pred": t_pred, "disc_score": d.mean, "pred_score": p.mean}))
"""


def unit_samples(run_dir, folder):
    """Save evaluate's real and generated sets of ``run_dir`` as .npy files; their paths."""
    from minirgan.evaluate import to_unit_interval
    from minirgan.run import Run
    run = Run(run_dir)
    real = run.real_data()
    real, fake, _ = to_unit_interval(real, run.samples(len(real), 0))
    paths = [os.path.join(folder, name) for name in ("real.npy", "fake.npy")]
    for path, array in zip(paths, (real, fake)):
        np.save(path, array)
    return paths


def time_tree(tree, paths):
    """One timing process with ``tree`` first on the path; its JSON line as a dict."""
    env = dict(os.environ, PYTHONPATH=str(tree), OPENBLAS_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", TIMER, *paths], env=env, cwd=tempfile.gettempdir(),
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def time_command(tree, run_dir, folder, extra=()):
    """Wall-clock seconds of ``minirgan evaluate`` of ``tree`` on a fresh copy of ``run_dir``."""
    copy = os.path.join(folder, "run-copy")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(run_dir, copy)
    env = {k: v for k, v in dict(os.environ, PYTHONPATH=str(tree)).items()
           if not k.endswith("_NUM_THREADS")}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "minirgan", "evaluate", copy, "--no-figures",
                    "--no-progress", *extra], env=env, cwd=tempfile.gettempdir(), check=True,
                   capture_output=True)
    return time.perf_counter() - start


def whole_table(results):
    base = np.median(next(iter(results.values())))
    lines = ["| code | `minirgan evaluate`, 10 repeats (s, wall clock) | ratio to the baseline |",
             "|---|---:|---:|"]
    lines += [f"| {name} | {np.median(t):.1f} | {np.median(t) / base:.2f} |" for name, t in results.items()]
    return "\n".join(lines)


def table(results, baseline):
    lines = ["| code | discriminative, 1 repeat (s CPU) | predictive, 1 repeat (s CPU) | both (s CPU) "
             "| ratio to the baseline | scores (disc / pred) |",
             "|---|---:|---:|---:|---:|---|"]
    base = np.median([r["disc"] + r["pred"] for r in results[baseline]])
    for name, runs in results.items():
        disc, pred = (float(np.median([r[k] for r in runs])) for k in ("disc", "pred"))
        both = float(np.median([r["disc"] + r["pred"] for r in runs]))
        lines.append(f"| {name} | {disc:.2f} | {pred:.2f} | {both:.2f} | {both / base:.2f} | "
                     f"{runs[0]['disc_score']:.3f} / {runs[0]['pred_score']:.4f} |")
    return "\n".join(lines)


def whole(args):
    from minirgan.metrics.repeats import available_cores
    cores = available_cores()
    with tempfile.TemporaryDirectory() as folder:
        old = os.path.join(folder, "baseline")
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", old, args.baseline],
                       check=True)
        try:
            run_dir = os.path.join(folder, "run")
            subprocess.run([sys.executable, "-m", "minirgan", "train", "--iterations", "300", "--out",
                            run_dir, "--no-progress"], env=dict(os.environ, PYTHONPATH=old),
                           cwd=tempfile.gettempdir(), check=True, capture_output=True)
            runs = {f"baseline {args.baseline}": (old, ()), "current, 1 worker": (ROOT, ("--workers", "1")),
                    f"current, {cores} workers": (ROOT, ("--workers", str(cores)))}
            for tree, extra in runs.values():                 # warm-up: compile or load the kernels
                time_command(tree, run_dir, folder, extra + ("--fast",))
            load = os.getloadavg()[0]
            results = {name: [] for name in runs}
            for _ in range(args.rounds):
                for name, (tree, extra) in runs.items():
                    results[name].append(time_command(tree, run_dir, folder, extra))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", old], check=True)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    text = (f"Measured {stamp}; {args.rounds} round(s), the three taking turns; medians; load average "
            f"(1 min) {load:.2f} before, {os.getloadavg()[0]:.2f} after, on {os.cpu_count()} cores; "
            f"a 300-step default run of the baseline code.\n\n" + whole_table(results))
    print(text)
    if not args.no_write:
        replace_section(ROOT / "docs" / "performance.md", "evaluate_whole", text)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", nargs="?", help="the run whose samples are scored (not with --whole)")
    parser.add_argument("--baseline", default=BASELINE, help=f"git commit (default {BASELINE})")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--whole", action="store_true",
                        help="time the whole command at 10 repeats, wall clock (see above)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    if args.whole:
        return whole(args)
    if args.run_dir is None:
        parser.error("RUN_DIR is needed (or --whole)")
    with tempfile.TemporaryDirectory() as folder:
        paths = unit_samples(args.run_dir, folder)
        old = os.path.join(folder, "baseline")
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", old, args.baseline],
                       check=True)
        try:
            label = f"baseline {args.baseline}"
            results = {label: [], "current": []}
            load = os.getloadavg()[0]
            for _ in range(args.rounds):
                results[label].append(time_tree(old, paths))
                results["current"].append(time_tree(ROOT, paths))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", old], check=True)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    text = (f"Measured {stamp}; {args.rounds} rounds, the two codes taking turns in fresh processes; "
            f"medians; load average (1 min) {load:.2f} before, {os.getloadavg()[0]:.2f} after, on "
            f"{os.cpu_count()} cores. Samples: `{os.path.basename(os.path.normpath(args.run_dir))}`.\n\n"
            + table(results, label))
    print(text)
    if not args.no_write:
        replace_section(ROOT / "docs" / "performance.md", "evaluate_against", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
