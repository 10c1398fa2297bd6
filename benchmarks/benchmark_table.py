"""The benchmark table: TimeGAN's sines and Stocks, several training seeds, scored as the
literature reports them (Diffusion-TS, ICLR 2024: mean ± 95 % t-interval over 5 runs).

    python benchmarks/benchmark_table.py                        # 5 seeds x {sines, stocks}: docs + README
    python benchmarks/benchmark_table.py --quick                # a smoke run of a few minutes, prints only
    python benchmarks/benchmark_table.py --data stocks --seeds 0 1 --iterations 5000 --no-docs

For each data set and training seed: (1) train the bare ``minirgan train`` configuration
(``TrainConfig()`` with ``data`` and ``seed`` set, plus ``--iterations`` / ``--set``), timing the
steps; the stocks go through the CSV path a user would pass (the shipped ``stock_data.csv``);
(2) generate as many sequences as there are real ones; (3) score them against the training
data with TimeGAN's discriminative and predictive scores, the correlational score, context-FID
and coverage (``minirgan.metrics``), in [0, 1] units (TimeGAN's: the real data's min-max map).
Then the real-vs-real floor is scored the same way (sines: a fresh draw of real sines; stocks:
the real windows split at random in two halves), and the table — minirgan's mean ± 95 %
t-interval over the seeds, the floor, the published rows — is written between the markers of
docs/benchmarks.md and README.md. Each seed's result is kept as JSON in ``--results`` so an
interrupted run resumes where it stopped; training seeds in parallel processes:

    for s in 0 1 2 3 4; do python benchmarks/benchmark_table.py --stage train --seeds $s & done; wait
    python benchmarks/benchmark_table.py                        # scores the cached runs, writes the table
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
from scipy import stats  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from docs_section import replace_section  # noqa: E402

from minirgan.config import TrainConfig  # noqa: E402
from minirgan.data import timegan_sines  # noqa: E402
from minirgan.datasets.embedded import STOCKS_PATH  # noqa: E402
from minirgan.evaluate import to_unit_interval  # noqa: E402
from minirgan.metrics import (ContextEncoder, context_fid, correlational_score,  # noqa: E402
                              discriminative_score, predictive_score, prdc)
from minirgan.run import draw_samples, load_training_data  # noqa: E402
from minirgan.train import train  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
PAGES = {"docs": os.path.join(ROOT, "docs", "benchmarks.md"), "readme": os.path.join(ROOT, "README.md")}
SECTION = "benchmark-table"


@dataclass
class Benchmark:
    data: str         # what `minirgan train --data` receives
    floor: str        # "fresh draw" or "half split"
    published: list   # (method, discriminative, predictive, context-FID, correlational)


BENCHMARKS = {
    # Published: Diffusion-TS (Yuan & Qiao, ICLR 2024) Tables 1 and 2, mean ± 95 % interval over
    # 5 runs; ImagenTime (NeurIPS 2024); "–" where a paper gives no number.
    "sines": Benchmark("sines", "fresh draw", [
        ("Diffusion-TS (GPU, 12k epochs)", "0.006 ± 0.007", "0.093", "0.006", "0.015"),
        ("TimeGAN", "0.011 ± 0.008", "0.093", "0.101", "0.045"),
        ("TimeVAE", "0.041", "0.093", "–", "–")]),
    "stocks": Benchmark(STOCKS_PATH, "half split", [
        ("Diffusion-TS (GPU, 12k epochs)", "0.067 ± 0.015", "0.036", "0.147", "0.004"),
        ("ImagenTime", "0.037 ± 0.006", "0.036", "–", "–"),
        ("TimeGAN", "0.102", "0.038", "0.103", "0.063"),
        ("TimeVAE", "0.145", "0.039", "–", "–")]),
}
PUBLISHED_FLOOR = {"sines": "0.094", "stocks": "0.036"}

# The protocols (TimeGAN: 2,000 classifier and 5,000 predictor steps, each score the mean of 10
# repeats, as main_timegan.py's metric_iteration = 10: one repeat of the classifier on the stocks
# ranges from 0.00 to 0.30 on the same samples) and a quick smoke setting.
FULL = {"iterations": None, "n_data": None, "repeats": 10, "disc_iterations": 2000,
        "pred_iterations": 5000, "encoders": 2, "encoder_iterations": 1000, "seeds": [0, 1, 2, 3, 4]}
QUICK = {"iterations": 60, "n_data": 300, "repeats": 1, "disc_iterations": 60,
         "pred_iterations": 60, "encoders": 1, "encoder_iterations": 60, "seeds": [0, 1]}


def t_interval(values, level=0.95):
    """(mean, half-width of the two-sided Student-t interval) of a few values; half-width nan for one."""
    values = np.asarray(values, dtype=np.float64)
    if len(values) < 2:
        return float(values.mean()), float("nan")
    half = stats.t.ppf(0.5 + level / 2, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
    return float(values.mean()), float(half)


def scores(real, other, encoders, settings, seed, train_on=None):
    """Every number of one set ``other`` against ``real`` (both (N, T, F) in [0, 1]).

    The predictive score trains on ``train_on`` (default ``other``) and tests on ``real``."""
    rng = np.random.default_rng(seed)
    disc = discriminative_score(real, other, repeats=settings["repeats"],
                                iterations=settings["disc_iterations"], rng=rng)
    pred = predictive_score(other if train_on is None else train_on, real, repeats=settings["repeats"],
                            iterations=settings["pred_iterations"], rng=rng)
    manifold = prdc(real, other, rng=seed)
    return {"disc": disc.mean, "disc_repeats": disc.scores, "pred": pred.mean,
            "cfid": context_fid(real, other, encoders=encoders).mean,
            "corr": correlational_score(real, other, rng=seed).mean,
            "coverage": manifold["coverage"], "precision": manifold["precision"],
            "density": manifold["density"], "recall": manifold["recall"]}


def cached(path, compute):
    """The JSON at ``path``, computed (and written) first if it is missing."""
    if not os.path.exists(path):
        result = compute()
        with open(path + ".part", "w") as f:
            json.dump(result, f, indent=1)
        os.replace(path + ".part", path)
    with open(path) as f:
        return json.load(f)


def train_seed(name, seed, settings, overrides, folder):
    """Train one seed of one benchmark; keep its timing (JSON) and its generated set (.npy,
    as many sequences as real ones, in the data's units) in ``folder``."""
    fields = {"data": BENCHMARKS[name].data, "seed": seed, **overrides}
    for key in ("iterations", "n_data"):
        if settings[key] is not None:
            fields[key] = settings[key]
    config = TrainConfig(**fields).validate()
    state, _ = train(config, out_dir=os.path.join(folder, f"{name}-seed{seed}"), progress=False,
                     figures=False)
    fake = draw_samples(state.sampler, state.scaler, len(state.data), seed)
    np.save(os.path.join(folder, f"{name}-seed{seed}-generated.npy"), fake)
    return {"benchmark": name, "seed": seed, "config": config.to_dict(),
            "train_seconds": state.seconds, "steps_per_second": config.iterations / state.seconds}


def real_data(trained):
    """The training data of a trained seed, in the data's units (regenerated from its config)."""
    config = TrainConfig.from_dict(trained["config"])
    data, scaler, _ = load_training_data(config, np.random.default_rng(config.seed))
    return scaler.inverse_transform(data)


def score_seed(trained, folder, settings, encoders):
    """Every score of one trained seed's generated set against its training data."""
    name, seed = trained["benchmark"], trained["seed"]
    fake_units = np.load(os.path.join(folder, f"{name}-seed{seed}-generated.npy"))
    real, fake, units = to_unit_interval(real_data(trained), fake_units)
    t0 = time.perf_counter()
    result = scores(real, fake, encoders, settings, seed)
    return {**trained, "units": units, "score_seconds": time.perf_counter() - t0, **result}


def floor(name, real, settings, encoders, seed=20191208):
    """The real-vs-real floor: the same scores with real data in place of the generated set."""
    if BENCHMARKS[name].floor == "fresh draw":
        other = timegan_sines(len(real), real.shape[1], real.shape[2], rng=seed)
        return scores(real, other, encoders, settings, seed)
    # one series only: two random halves of its windows (neighbouring windows overlap, so the
    # halves share steps and this floor is on the optimistic side)
    order = np.random.default_rng(seed).permutation(len(real))
    a, b = real[order[: len(real) // 2]], real[order[len(real) // 2:]]
    return scores(a, b, encoders, settings, seed, train_on=b)


def ranking(name, real, trained, folder, encoders, seed=0):
    """Context-FID of four sets against the real data, with the table's encoders: real (the
    floor's other set), minirgan's first seed, that seed's first 10 sequences repeated
    (collapsed) and real sequences with their steps shuffled — the order a sound encoder gives."""
    rng = np.random.default_rng(seed)
    fake = to_unit_interval(real_data(trained), np.load(os.path.join(
        folder, f"{name}-seed{trained['seed']}-generated.npy")))[1]
    if BENCHMARKS[name].floor == "fresh draw":
        other = to_unit_interval(real, timegan_sines(len(real), real.shape[1], real.shape[2], rng=20191208))[1]
    else:
        order = rng.permutation(len(real))
        real, other = real[order[: len(real) // 2]], real[order[len(real) // 2:]]
    sets = {"real": other, "minirgan": fake, "collapsed": np.resize(fake[:10], fake.shape),
            "shuffled": np.stack([x[rng.permutation(x.shape[0])] for x in other])}
    return {k: context_fid(real, v, encoders=encoders).mean for k, v in sets.items()}


def pm(values, digits=3):
    mean, half = t_interval(values)
    return f"{mean:.{digits}f}" + ("" if np.isnan(half) else f" ± {half:.{digits}f}")


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
    seeds = ", ".join(str(s) for s in settings["seeds"])
    notes = (f"minirgan: mean ± 95 % t-interval over the training seeds ({seeds}); "
             f"each seed's discriminative and predictive scores average {settings['repeats']} repeats of "
             f"TimeGAN's protocols ({settings['disc_iterations']:,} and {settings['pred_iterations']:,} "
             f"post-hoc steps), as many generated sequences as real ones, in [0, 1] units. "
             f"Context-FID uses {settings['encoders']} of minirgan's GRU encoders "
             f"({settings['encoder_iterations']:,} steps each, shared by every row of a data set); "
             f"coverage is Naeem et al.'s with k = 5. † The published context-FIDs use TS2Vec and "
             f"are not on the same scale (docs/metrics.md). Floors: sines, a fresh draw of "
             f"real sines; stocks, the real windows split at random into two halves (overlapping "
             f"windows make it optimistic). Configuration: `minirgan train` defaults"
             + (f" with {json.dumps(changed)}" if changed else "")
             + f"; measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} shared CPU cores, numpy "
             f"{np.__version__}, Python {platform.python_version()}, command "
             f"`python benchmarks/benchmark_table.py` (see docs/benchmarks.md).")
    return "\n\n".join(blocks + [notes])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", nargs="+", default=list(BENCHMARKS), choices=list(BENCHMARKS))
    parser.add_argument("--seeds", nargs="+", type=int, default=None, help="training seeds (default 0..4)")
    parser.add_argument("--iterations", type=int, default=None, help="training steps (default: TrainConfig's)")
    parser.add_argument("--set", default="{}", help="JSON dict of further TrainConfig overrides")
    parser.add_argument("--repeats", type=int, default=None,
                        help="repeats of the two post-hoc scores per seed (default 10, TimeGAN's)")
    parser.add_argument("--quick", action="store_true", help="tiny settings for a smoke test; no docs")
    parser.add_argument("--results", default="/tmp/minirgan-benchmark", help="folder of runs and per-seed JSON")
    parser.add_argument("--no-docs", action="store_true", help="print only; do not touch docs/README")
    parser.add_argument("--stage", choices=("train", "all"), default="all",
                        help="'train': only train the seeds (run several in parallel with --seeds), "
                             "then 'all' scores what is cached and writes the table")
    args = parser.parse_args(argv)

    settings = dict(QUICK if args.quick else FULL)
    if args.seeds is not None:
        settings["seeds"] = args.seeds
    if args.iterations is not None:
        settings["iterations"] = args.iterations
    if args.repeats is not None:
        settings["repeats"] = args.repeats
    overrides = json.loads(args.set)
    changed = {**overrides, **{k: settings[k] for k in ("iterations", "n_data") if settings[k] is not None}}
    folder = args.results + ("-quick" if args.quick else "")
    os.makedirs(folder, exist_ok=True)
    results = {}
    for name in args.data:
        trained = [cached(os.path.join(folder, f"{name}-seed{seed}-train.json"),
                          lambda seed=seed: train_seed(name, seed, settings, overrides, folder))
                   for seed in settings["seeds"]]
        for t in trained:
            print(f"{name} seed {t['seed']}: trained {t['config']['iterations']} steps in "
                  f"{t['train_seconds']:.0f} s ({t['steps_per_second']:.1f} steps/s)", flush=True)
        if args.stage == "train":
            continue
        real = to_unit_interval(*(2 * [real_data(trained[0])]))[0]    # in the seeds' [0, 1] units
        # context-FID's encoders: trained once per data set on its real data (seed 0's for the
        # sines), shared by every seed and the floor
        shared = {}

        def encoders(real=real, shared=shared):
            # trained on first use only (every score may already be cached), deterministically
            if not shared:
                rng = np.random.default_rng(7)
                shared["list"] = [ContextEncoder(real.shape[2]).fit(real, settings["encoder_iterations"], rng=rng)
                                  for _ in range(settings["encoders"])]
            return shared["list"]

        seeds = [cached(os.path.join(folder, f"{name}-seed{t['seed']}-scores.json"),
                        lambda t=t: score_seed(t, folder, settings, encoders())) for t in trained]
        for s in seeds:
            print(f"{name} seed {s['seed']}: disc {s['disc']:.3f} pred {s['pred']:.3f} cfid {s['cfid']:.3f} "
                  f"corr {s['corr']:.3f} coverage {s['coverage']:.2f}", flush=True)
        results[name] = {"seeds": seeds, "floor": cached(os.path.join(folder, f"{name}-floor.json"),
                                                         lambda: floor(name, real, settings, encoders()))}
        results[name]["ranking"] = cached(os.path.join(folder, f"{name}-ranking.json"),
                                          lambda: ranking(name, real, trained[0], folder, encoders()))
        print(f"{name} floor: " + json.dumps({k: round(v, 4) for k, v in results[name]["floor"].items()
                                              if isinstance(v, float)}), flush=True)
    if args.stage == "train":
        return 0
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
