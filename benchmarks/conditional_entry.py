"""Where should a conditional generator read its class: every step's input, its initial state, both?

    OPENBLAS_NUM_THREADS=1 python benchmarks/conditional_entry.py --iterations 3000 --seeds 0 1 2 3 4 \
        --out runs/condition-entry          # docs/conditional.md's table (one run at a time)
    OPENBLAS_NUM_THREADS=1 python benchmarks/conditional_entry.py --data digits --seeds 0 1 \
        --out runs/condition-entry-fonts    # the font digits (T = 16 rows), 5,000 of them

For each ``condition_at`` ("input", "state", "both", ``minirgan/models/condition.py``) and each seed,
train the conditional GAN of docs/conditional.md's measured row (UCI digits, GRU G and D, H = 64,
one D step per G step, the other settings TrainConfig's defaults: static noise Z = 16, moment
loss 10, per-step readout E10, batch 64, Adam 1e-3, β1 0.5, mismatch 1) — the same as

    minirgan train --data uci-digits --conditional --condition-at MODE --hidden 64 --d-steps 1 \
        --iterations 3000 --seed SEED --metrics-every 0 --out runs/condition-entry/MODE-SEED

— then score 1,000 samples (100 per class, ``Run.labelled_samples(1000, seed=5)``) with the
digit judge of the set (``minirgan.metrics.digit_judge``), as tutorial 7 does: the fraction
recognised as the asked class, overall and for the weakest class. ``--data digits`` does the same
on 5,000 font digits (``--n-data 5000``, as docs/conditional.md's font row).

And one diagnostic of *why*: how much each generated row depends on the class. For 200 noise
vectors z, each drawn for all 10 classes, the share of the variance of row t's pixels that lies
between classes (η²_t = between-class variance / total variance, pixels pooled), per row
t = 1..T; the real digits' η²_t beside it. A class that the recurrence forgets shows as η²_t
falling along the rows.
"""

import argparse
import json
import os
import time

import numpy as np

from minirgan.config import TrainConfig
from minirgan.data import load_labelled_dataset
from minirgan.metrics.digit_judge import digit_judge
from minirgan.models.condition import CONDITION_ENTRIES, one_hot
from minirgan.run import Run
from minirgan.train import train

# step_moment_loss 0: docs/conditional.md was measured before that loss became a default
SETTINGS = dict(conditional=True, hidden=64, d_steps=1, metrics_every=0, checkpoint_every=1000,
                step_moment_loss=0.0)
N_DATA = {"uci-digits": None, "digits": 5000}        # None: all 1,797


def class_share_per_row(images, classes):
    """η²_t (T,): per row t, the between-class share of the variance of its pixels (pooled)."""
    total = images.var(axis=0).sum(axis=1)                       # Σ_f Var(x_tf), (T,)
    means = np.stack([images[classes == k].mean(axis=0) for k in np.unique(classes)])
    between = means.var(axis=0).sum(axis=1)
    return between / np.maximum(total, 1e-12)


def class_share_generated(run, n_z=200, seed=11):
    """η²_t of the run's generator: the same n_z noise vectors drawn for every class."""
    G, K = run.generator, len(run.config.classes)
    rng = np.random.default_rng(seed)
    z = G.noise(n_z, rng)
    z_all = np.concatenate([z] * K)
    classes = np.repeat(np.arange(K), n_z)
    x = G.forward(z_all, condition=one_hot(classes, K, G.dtype))[0]
    return class_share_per_row(x, classes)


def measure(out_dir, data, mode, seed, iterations):
    run_dir = os.path.join(out_dir, f"{mode}-{seed}")
    seconds = None
    done = os.path.exists(os.path.join(run_dir, "checkpoint.npz")) and Run(run_dir).step == iterations
    if not done:
        config = TrainConfig(**SETTINGS, data=data, n_data=N_DATA[data], condition_at=mode,
                             iterations=iterations, seed=seed)
        start = time.perf_counter()
        train(config, run_dir, progress=False, figures=False, overwrite=True)
        seconds = time.perf_counter() - start
    run = Run(run_dir)
    fake, asked = run.labelled_samples(1000, seed=5, label="all")
    score = digit_judge(data).score_conditional(fake, np.asarray(asked))
    worst = int(np.nanargmin(score.recognised))
    return {"mode": mode, "seed": seed, "iterations": iterations, "seconds": seconds,
            "overall": score.overall, "recognised": score.to_dict()["recognised"],
            "worst_class": worst, "worst": float(score.recognised[worst]),
            "ceiling": score.ceiling_overall, "class_share": class_share_generated(run).tolist()}


def real_class_share(data):
    data, classes, _, _, _ = load_labelled_dataset(data, n=N_DATA[data], rng=0)
    return class_share_per_row(np.asarray(data), np.asarray(classes)).tolist()


def table(results):
    rows = ["| condition enters G at | seed | recognised as the asked class | weakest class | "
            "class share of row variance, η² row by row |", "|---|---|---|---|---|"]
    for r in results:
        share = " ".join(f"{v:.2f}" for v in r["class_share"])
        rows.append(f"| {r['mode']} | {r['seed']} | {100 * r['overall']:.1f} % | "
                    f"{100 * r['worst']:.0f} % (class {r['worst_class']}) | {share} |")
    for mode in dict.fromkeys(r["mode"] for r in results):
        mine = [r for r in results if r["mode"] == mode]
        if len(mine) > 1:
            rows.append(f"| **{mode}, mean** | {len(mine)} seeds | "
                        f"**{100 * np.mean([r['overall'] for r in mine]):.1f} %** | "
                        f"{100 * np.mean([r['worst'] for r in mine]):.0f} % | |")
    return "\n".join(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="uci-digits", choices=tuple(N_DATA))
    parser.add_argument("--iterations", type=int, default=3000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--modes", nargs="+", default=list(CONDITION_ENTRIES), choices=CONDITION_ENTRIES)
    parser.add_argument("--out", default="runs/condition-entry")
    args = parser.parse_args()
    path = os.path.join(args.out, "results.json")
    results = json.load(open(path)) if os.path.exists(path) else []
    for seed in args.seeds:                         # every mode of a seed before the next seed
        for mode in args.modes:
            if any(r["mode"] == mode and r["seed"] == seed and r["iterations"] == args.iterations
                   for r in results):
                continue
            r = measure(args.out, args.data, mode, seed, args.iterations)
            results.append(r)
            print(f"{mode} seed {seed}: {100 * r['overall']:.1f} % recognised, weakest "
                  f"{100 * r['worst']:.0f} % (class {r['worst_class']}), {r['seconds'] or 0:.0f} s",
                  flush=True)
            with open(path, "w") as f:
                json.dump(results, f, indent=1)
    results.sort(key=lambda r: (CONDITION_ENTRIES.index(r["mode"]), r["seed"]))
    print(table(results))
    print("real digits' η² by row:", " ".join(f"{v:.2f}" for v in real_class_share(args.data)))
    print("judge ceiling:", f"{100 * results[0]['ceiling']:.1f} %")


if __name__ == "__main__":
    main()
