"""What holds when a recurrent generator runs past its trained length (``minirgan sample --length``).

    python benchmarks/long_series.py SINES_RUN STOCKS_RUN      # writes docs/long_series.md's table

For each trained run: draw long samples (sines: 20 of 10·T steps; stocks: 5 as long as the whole
real series, 3,685 days) and compare, in the real data's [0, 1] units, with real series of the
same length (sines: fresh real sines of that length; stocks: the real series itself, rebuilt
from its windows):

* marginals — the Wasserstein-1 distance between all generated and all real values of each
  feature (scipy.stats.wasserstein_distance), averaged over features, for the first T steps
  (the trained length) and for the steps after them, each against the same steps of the real
  series;
* autocorrelation — the mean |r_k(generated) − r_k(real)| over lags k = 1..K and features
  (``minirgan.metrics.autocorrelation`` on whole series, K = 2·T), and r_K itself.
"""

import os
import sys

import numpy as np
from scipy.stats import wasserstein_distance

sys.path.insert(0, os.path.dirname(__file__))
from docs_section import replace_section  # noqa: E402

from minirgan.data import timegan_sines  # noqa: E402
from minirgan.evaluate import to_unit_interval  # noqa: E402
from minirgan.metrics import autocorrelation  # noqa: E402
from minirgan.run import Run  # noqa: E402

PAGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "long_series.md")


def real_long(run, length, n):
    """Real series of ``length`` steps in the data's units: (n, L, F)."""
    if run.config.data == "sines":
        return timegan_sines(n, length, run.info["features"], rng=123)
    windows = run.real_data()                       # windows of one series, in order, stride 1
    series = np.concatenate([windows[0], windows[1:, -1]])
    return series[None, :length]


def marginal_distance(real, fake):
    """Mean over features of W1 between all values of real (·, ·, F) and fake (·, ·, F)."""
    F = real.shape[2]
    return float(np.mean([wasserstein_distance(real[..., j].ravel(), fake[..., j].ravel()) for j in range(F)]))


def measure(run_dir):
    run = Run(run_dir)
    T = run.info["seq_len"]
    stocks = run.config.data != "sines"
    n, probe = (5, None) if stocks else (20, 10 * T)
    real = real_long(run, probe or 10 ** 9, n)
    L = real.shape[1]
    fake = run.samples(n, seed=0, length=L)
    real, fake, _ = to_unit_interval(real, fake)
    K = 2 * T
    r_real, r_fake = autocorrelation(real, K), autocorrelation(fake, K)
    return {"name": "stocks" if stocks else "sines", "T": T, "L": L, "n": n, "K": K,
            "w1_first": marginal_distance(real[:, :T], fake[:, :T]),
            "w1_after": marginal_distance(real[:, T:], fake[:, T:]),
            "acf": float(np.mean(np.abs(r_fake[1:] - r_real[1:]))),
            "r_K_real": float(r_real[K].mean()), "r_K_fake": float(r_fake[K].mean()),
            "step": run.step}


def table(rows):
    lines = ["| data | trained T | sampled L | W1 marginals, steps 1..T | W1 marginals, steps > T | "
             "ACF distance, lags 1..2T | r_2T real / generated |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['name']} ({r['n']} series, run of {r['step']:,} steps) | {r['T']} | {r['L']:,} | "
                     f"{r['w1_first']:.3f} | {r['w1_after']:.3f} | {r['acf']:.3f} | "
                     f"{r['r_K_real']:.2f} / {r['r_K_fake']:.2f} |")
    return "\n".join(lines)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        sys.exit(__doc__)
    text = table([measure(d) for d in argv])
    print(text)
    replace_section(PAGE, "long-series-table", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
