"""The benchmark table: TimeGAN's sines and Stocks, several training seeds, scored as the
literature reports them (Diffusion-TS, ICLR 2024: mean ± 95 % t-interval over 5 runs).

    python benchmarks/benchmark_table.py                        # 5 seeds x {sines, stocks}: docs + README
    python benchmarks/benchmark_table.py --quick                # a smoke run of a few minutes, prints only
    python benchmarks/benchmark_table.py --data stocks --seeds 0 1 --iterations 5000 --no-docs
    python benchmarks/benchmark_table.py --scheduler tcp://HOST:8786   # the runs on a Dask cluster

The runs are one ``minirgan sweep`` (``minirgan.sweep.run_sweep``) in ``--results``: the bare
``minirgan train`` configuration (plus ``--iterations`` / ``--set``) for every data set
(``--set data=sines,<the shipped stock_data.csv>``: the stocks go through the CSV path a user
would pass) and training seed, each run trained, sampled (as many sequences as real ones) and
scored by ``minirgan evaluate`` (TimeGAN's discriminative and predictive scores with 10
repeats, context-FID, the correlational score, coverage; in [0, 1] units) on a local process
pool (``--workers``) or a Dask cluster (``--scheduler``). An interrupted sweep resumes. Then
the real-vs-real floor is scored the same way (sines: a fresh draw of real sines; stocks: the
real windows split at random in two halves), and the table — minirgan's mean ± 95 %
t-interval over the seeds, the floor, the published rows — is written between the markers of
docs/benchmarks.md and README.md.
"""

import os

# One BLAS thread (measured in docs/benchmark_sines.md: BLAS threads waiting for each other on a
# busy 2-core machine made training up to 9x slower). Before NumPy; the shell's setting wins.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from docs_section import replace_section  # noqa: E402

from minirgan.config import TrainConfig  # noqa: E402
from minirgan.data import timegan_sines  # noqa: E402
from minirgan.datasets.embedded import STOCKS_PATH  # noqa: E402
from minirgan.evaluate import FAST, PROTOCOL, evaluate_samples, to_unit_interval  # noqa: E402
from minirgan.metrics import ContextEncoder, context_fid  # noqa: E402
from minirgan.metrics.repeats import available_cores  # noqa: E402
from minirgan.run import Run  # noqa: E402
from minirgan.sweep import run_sweep  # noqa: E402
from minirgan.sweep.intervals import mean_pm, t_interval  # noqa: E402, F401  (t_interval: tests)
from minirgan.sweep.published import PUBLISHED, PUBLISHED_FLOOR  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
PAGES = {"docs": os.path.join(ROOT, "docs", "benchmarks.md"), "readme": os.path.join(ROOT, "README.md")}
SECTION = "benchmark-table"


@dataclass
class Benchmark:
    data: str         # what `minirgan train --data` receives
    floor: str        # "fresh draw" or "half split"
    published: list   # (method, discriminative, predictive, context-FID, correlational)


# Published rows: minirgan/sweep/published.py (Diffusion-TS Tables 1-2, ImagenTime, TimeGAN, TimeVAE).
BENCHMARKS = {"sines": Benchmark("sines", "fresh draw", PUBLISHED["sines"]),
              "stocks": Benchmark(STOCKS_PATH, "half split", PUBLISHED["stocks"])}

# The protocols (minirgan evaluate's: TimeGAN's 2,000 classifier and 5,000 predictor steps, each
# score the mean of 10 repeats) and a quick smoke setting (evaluate --fast, short runs).
FULL = {"scoring": "full", "iterations": None, "n_data": None, "seeds": [0, 1, 2, 3, 4], **PROTOCOL}
QUICK = {"scoring": "fast", "iterations": 60, "n_data": 300, "seeds": [0, 1], **FAST}


def cached(path, compute):
    """The JSON at ``path``, computed (and written) first if it is missing."""
    if not os.path.exists(path):
        result = compute()
        with open(path + ".part", "w") as f:
            json.dump(result, f, indent=1)
        os.replace(path + ".part", path)
    with open(path) as f:
        return json.load(f)


def seed_result(row):
    """A sweep row (sweep.csv) as the table reads one seed."""
    return {"seed": row["seed"], "disc": row["discriminative"], "pred": row["predictive"],
            "cfid": row["context_fid"], "corr": row["correlational"], "coverage": row["coverage"],
            "disc_repeats_ci": row["discriminative_repeats_ci"], "train_seconds": row["train_seconds"],
            "steps_per_second": row["steps_per_second"], "config": {"iterations": row["steps"]}}


def floor(name, real, settings, workers, seed=20191208):
    """The real-vs-real floor: evaluate's scores with real data in place of the generated set."""
    if BENCHMARKS[name].floor == "fresh draw":
        real_set, other = real, timegan_sines(len(real), real.shape[1], real.shape[2], rng=seed)
    else:
        # one series only: two random halves of its windows (neighbouring windows overlap, so the
        # halves share steps and this floor is on the optimistic side)
        order = np.random.default_rng(seed).permutation(len(real))
        real_set, other = real[order[: len(real) // 2]], real[order[len(real) // 2:]]
    m = evaluate_samples(real_set, other, fast=settings["scoring"] == "fast", rng=0, workers=workers)
    return {"disc": m["discriminative_score"]["mean"], "pred": m["predictive_score"]["mean"],
            "cfid": m["context_fid"]["mean"], "corr": m["correlational_score"]["mean"],
            "coverage": m["prdc"]["coverage"]}


def ranking(name, real, fake, settings, seed=0):
    """Context-FID of four sets against the real data (in [0, 1]), with the same encoders: real
    (the floor's other set), minirgan's first seed, that seed's first 10 sequences repeated
    (collapsed) and real sequences with their steps shuffled — the order a sound encoder gives."""
    rng = np.random.default_rng(seed)
    if BENCHMARKS[name].floor == "fresh draw":
        other = to_unit_interval(real, timegan_sines(len(real), real.shape[1], real.shape[2], rng=20191208))[1]
    else:
        order = rng.permutation(len(real))
        real, other = real[order[: len(real) // 2]], real[order[len(real) // 2:]]
    encoders = [ContextEncoder(real.shape[2]).fit(real, settings["fid_iterations"], rng=rng)
                for _ in range(settings["fid_encoders"])]
    sets = {"real": other, "minirgan": fake, "collapsed": np.resize(fake[:10], fake.shape),
            "shuffled": np.stack([x[rng.permutation(x.shape[0])] for x in other])}
    return {k: context_fid(real, v, encoders=encoders).mean for k, v in sets.items()}


def pm(values, digits=3):
    return mean_pm(values, digits)


def table(name, seeds, floor_result, settings):
    """The Markdown table of one benchmark."""
    col = {k: [s[k] for s in seeds] for k in ("disc", "pred", "cfid", "corr", "coverage",
                                               "train_seconds", "steps_per_second")}
    cfg = seeds[0]["config"]
    minutes = np.mean(col["train_seconds"]) / 60
    rows = [f"| **{name}** | discriminative ↓ | predictive ↓ | context-FID ↓ | correlational ↓ | coverage ↑ | training |",
            "|---|---|---|---|---|---|---|",
            f"| **minirgan**, {len(seeds)} seeds | {pm(col['disc'])} | {pm(col['pred'])} | {pm(col['cfid'])} | "
            f"{pm(col['corr'])} | {pm(col['coverage'], 2)} | {cfg['iterations']:,} steps, "
            f"{np.mean(col['steps_per_second']):.1f} steps/s, {minutes:.1f} min (wall clock) |",
            f"| real vs real (floor) | {floor_result['disc']:.3f} | {floor_result['pred']:.3f} | "
            f"{floor_result['cfid']:.3f} | {floor_result['corr']:.3f} | {floor_result['coverage']:.2f} | — |",
            f"| real data (published) | – | {PUBLISHED_FLOOR[name]} | – | – | – | — |"]
    rows += [f"| {m} | {d} | {p} | {c}{'†' if c != '–' else ''} | {r} | – | — |"
             for m, d, p, c, r in BENCHMARKS[name].published]
    return "\n".join(rows)


def document(results, settings, changed):
    """The whole generated section: one table per benchmark and the notes."""
    blocks = [table(name, r["seeds"], r["floor"], settings) for name, r in results.items()]
    blocks += ["Context-FID of four cases against the real data, with the same encoders (expected: real "
               "lowest, collapsed and shuffled well above it): "
               + "; ".join(f"{name}: " + ", ".join(f"{k} {v:.3f}" for k, v in r["ranking"].items())
                           for name, r in results.items()) + "."]
    spreads = "; ".join(f"{name} {np.nanmean([s['disc_repeats_ci'] for s in r['seeds']]):.3f}"
                        for name, r in results.items()
                        if any(np.isfinite(s.get("disc_repeats_ci", np.nan)) for s in r["seeds"]))
    if spreads:
        blocks.append("The other spread, for comparison with the published ±: the 95 % t-interval of the "
                      "discriminative score over its repeats on one trained model (as Diffusion-TS "
                      f"reports it), averaged over the seeds: ± {spreads}.")
    seeds = ", ".join(str(s) for s in settings["seeds"])
    notes = (f"minirgan: mean ± 95 % t-interval over the training seeds ({seeds}); "
             f"each seed's discriminative and predictive scores average {settings['repeats']} repeats of "
             f"TimeGAN's protocols ({settings['disc_iterations']:,} and {settings['pred_iterations']:,} "
             f"post-hoc steps), as many generated sequences as real ones, in [0, 1] units "
             f"(`minirgan evaluate`). Context-FID uses {settings['fid_encoders']} of minirgan's GRU "
             f"encoders ({settings['fid_iterations']:,} steps each); "
             f"coverage is Naeem et al.'s with k = 5. † The published context-FIDs use TS2Vec and "
             f"are not on the same scale (docs/metrics.md). Floors: sines, a fresh draw of "
             f"real sines; stocks, the real windows split at random into two halves (overlapping "
             f"windows make it optimistic). Configuration: `minirgan train` defaults"
             + (f" with {json.dumps(changed)}" if changed else "")
             + f"; measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} shared CPU cores, numpy "
             f"{np.__version__}, Python {platform.python_version()}, command "
             f"`python benchmarks/benchmark_table.py` (a `minirgan sweep`, see docs/benchmarks.md).")
    return "\n\n".join(blocks + [notes])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", nargs="+", default=list(BENCHMARKS), choices=list(BENCHMARKS))
    parser.add_argument("--seeds", nargs="+", type=int, default=None, help="training seeds (default 0..4)")
    parser.add_argument("--iterations", type=int, default=None, help="training steps (default: TrainConfig's)")
    parser.add_argument("--set", default="{}", help="JSON dict of further TrainConfig overrides")
    parser.add_argument("--quick", action="store_true", help="tiny settings for a smoke test; no docs")
    parser.add_argument("--results", default="/tmp/minirgan-benchmark",
                        help="the sweep's folder: run folders, sweep.csv, summary.md, cached floors")
    parser.add_argument("--workers", type=int, default=None,
                        help="processes of the local pool (default: one per core)")
    parser.add_argument("--scheduler", default=None, help="a Dask scheduler's tcp://HOST:PORT")
    parser.add_argument("--no-docs", action="store_true", help="print only; do not touch docs/README")
    args = parser.parse_args(argv)

    settings = dict(QUICK if args.quick else FULL)
    if args.seeds is not None:
        settings["seeds"] = args.seeds
    if args.iterations is not None:
        settings["iterations"] = args.iterations
    overrides = json.loads(args.set)
    changed = {**overrides, **{k: settings[k] for k in ("iterations", "n_data") if settings[k] is not None}}
    folder = args.results + ("-quick" if args.quick else "")
    workers = args.workers or available_cores()
    data = [BENCHMARKS[name].data for name in args.data]
    rows = run_sweep(folder, TrainConfig(**changed), [("data", data)], settings["seeds"],
                     scoring=settings["scoring"], workers=args.workers, scheduler=args.scheduler)
    results = {}
    for name in args.data:
        runs = [r for r in rows if r["data"] == BENCHMARKS[name].data and r["status"] == "ok"]
        seeds = [seed_result(r) for r in runs]
        first = Run(os.path.join(folder, runs[0]["run"]))
        real_units = first.real_data()
        real = to_unit_interval(real_units, real_units)[0]
        results[name] = {
            "seeds": seeds,
            "floor": cached(os.path.join(folder, f"{name}-floor.json"),
                            lambda: floor(name, real_units, settings, workers)),
            "ranking": cached(os.path.join(folder, f"{name}-ranking.json"), lambda: ranking(
                name, real, to_unit_interval(real_units, first.samples(len(real_units), 0))[1], settings))}
        print(f"{name} floor: " + json.dumps({k: round(v, 4) for k, v in results[name]["floor"].items()}),
              flush=True)
    text = document(results, settings, changed)
    print(text)
    with open(os.path.join(folder, "table.md"), "w") as f:
        f.write(text + "\n")
    if not (args.no_docs or args.quick):
        for page in PAGES.values():
            replace_section(page, SECTION, text)
        print(f"\nwrote the table to {PAGES['docs']} and {PAGES['readme']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
