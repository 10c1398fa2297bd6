"""How the cost of a GRU forward+backward grows with T, H and N: numba, NumPy and PyTorch.

From the default GAN's shape (N, T, D, H) = (64, 24, 5, 32), one of T, H, N at a time is
multiplied by 4 (``AXES``); at each point the median forward+backward time (the workloads
of ``bench_cells.py``: all gradients of ``sum(h * g)``) of the standard GRU (minirgan's
NumPy reference and numba kernels) and of ``torch.nn.GRU``, the implementations taking
turns within each repeat. A NumPy matmul of the forward's per-step product at the largest
H gives the machine's matmul peak for the same sizes.

Writes a log–log figure (``docs/images/scaling.png``, one panel per axis) and a table
between the ``scaling`` markers of docs/performance.md.

    python benchmarks/scaling.py                 # float64, 1 thread everywhere
    python benchmarks/scaling.py --dtype float32 --threads 2 --no-write
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from bench_cells import CLOCKS, limit_numpy_blas, load_torch, minirgan_passes, torch_passes
from docs_section import replace_section

BASE = {"N": 64, "T": 24, "D": 5, "H": 32}
AXES = {"T": [6, 24, 96, 384], "H": [8, 32, 128, 512], "N": [16, 64, 256, 1024]}
IMPLEMENTATIONS = ("numpy", "numba", "torch")
DOCS = Path(__file__).resolve().parent.parent / "docs"


def interleaved_medians(fns, repeats, clock=time.process_time):
    """Median seconds of each function, the functions taking turns in every repeat.

    The default clock is the process's CPU time: with one thread everywhere it is the
    wall time of an idle machine, without the time the process waits for a core
    on a shared one (under a load of 10 on 2 cores, wall times of the same call varied 30×).
    """
    for f in fns:
        f()                                                # warm-up: compile, allocate
    times = [[] for _ in fns]
    for _ in range(repeats):
        for f, ts in zip(fns, times):
            t = clock()
            f()
            ts.append(clock() - t)
    return [float(np.median(ts)) for ts in times]


def point(shape, dtype, torch, repeats, clock):
    """{implementation: median fwd+bwd seconds} at shape (N, T, D, H)."""
    N, T, D, H = shape
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, T, D)).astype(dtype)
    h0 = (0.1 * rng.standard_normal((N, H))).astype(dtype)
    dh = rng.standard_normal((N, T, H)).astype(dtype)
    fns = [minirgan_passes("gru", x, h0, dh, "numpy")[1], minirgan_passes("gru", x, h0, dh, "numba")[1]]
    if torch is not None:
        fns.append(torch_passes(torch, "gru", x, h0, dh)[1])
    seconds = interleaved_medians(fns, repeats, clock)
    return dict(zip(IMPLEMENTATIONS, seconds))


def gru_flops(N, T, D, H):
    """Matrix-product flops of a GRU forward+backward: 3 × (2·N·T·(D+H)·3H)."""
    return 3 * 2.0 * N * T * (D + H) * 3 * H


def matmul_peak(N, D, H, dtype, repeats, clock):
    """GFLOP/s of NumPy's (N, D+H) @ (D+H, 3H), the GRU's per-step product size."""
    rng = np.random.default_rng(2)
    a = rng.standard_normal((N, D + H)).astype(dtype)
    b = rng.standard_normal((D + H, 3 * H)).astype(dtype)
    out = np.empty((N, 3 * H), dtype)
    reps = 50

    def products():
        for _ in range(reps):
            np.matmul(a, b, out=out)
    seconds = interleaved_medians([products], repeats, clock)[0] / reps
    return 2.0 * N * (D + H) * 3 * H / seconds / 1e9


def figure(results, dtype, threads):
    fig = Figure(figsize=(11, 3.6), layout="constrained")
    axes = fig.subplots(1, len(AXES), sharey=True)
    styles = {"numpy": ("NumPy reference", "s-"), "numba": ("numba kernels", "o-"),
              "torch": ("PyTorch nn.GRU", "^-")}
    for ax, (axis, values) in zip(axes, AXES.items()):
        for impl, (label, style) in styles.items():
            ys = [results[axis][v].get(impl) for v in values]
            if all(y is not None for y in ys):
                ax.loglog(values, np.array(ys) * 1e3, style, label=label)
        others = ", ".join(f"{k} = {v}" for k, v in BASE.items() if k != axis)
        ax.set_xlabel(f"{axis} ({others})")
        ax.set_xticks(values, [str(v) for v in values])
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("forward + backward time (ms)")
    axes[0].legend()
    fig.suptitle(f"GRU forward+backward, {dtype}, {threads} thread{'s' if threads > 1 else ''}")
    return fig


def table(results):
    lines = ["| axis | value | (N, T, D, H) | NumPy (ms) | numba (ms) | PyTorch (ms) | NumPy/numba | numba/PyTorch | numba GFLOP/s |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|"]
    for axis, values in AXES.items():
        for v in values:
            r = results[axis][v]
            shape = tuple({**BASE, axis: v}[k] for k in "NTDH")
            torch_ms = f"{r['torch'] * 1e3:.3g}" if r.get("torch") else "–"
            vs_torch = f"{r['numba'] / r['torch']:.2f}" if r.get("torch") else "–"
            lines.append(f"| {axis} | {v} | {shape} | {r['numpy'] * 1e3:.3g} | {r['numba'] * 1e3:.3g} | "
                         f"{torch_ms} | {r['numpy'] / r['numba']:.2f} | {vs_torch} | "
                         f"{gru_flops(*shape) / r['numba'] / 1e9:.1f} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads for PyTorch and NumPy's BLAS (default 1; the numba time loops use 1)")
    parser.add_argument("--repeats", type=int, default=7, help="turns per point (default 7)")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu",
                        help="cpu: the process's CPU time (default; right for 1 thread on a shared "
                             "machine); wall: elapsed time (use it for more than 1 thread)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    clock = CLOCKS[args.clock]
    torch = load_torch(args.threads)
    limit_numpy_blas(args.threads)
    dtype = np.dtype(args.dtype)
    load_before = os.getloadavg()[0]
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results = {axis: {} for axis in AXES}
    for axis, values in AXES.items():
        for v in values:
            shape = tuple({**BASE, axis: v}[k] for k in "NTDH")
            results[axis][v] = point(shape, dtype, torch, args.repeats, clock)
            print(axis, v, {k: f"{s * 1e3:.3g} ms" for k, s in results[axis][v].items()}, flush=True)
    H_max = AXES["H"][-1]
    peak = matmul_peak(BASE["N"], BASE["D"], H_max, dtype, args.repeats, clock)
    largest = tuple({**BASE, "H": H_max}[k] for k in "NTDH")
    achieved = gru_flops(*largest) / results["H"][H_max]["numba"] / 1e9
    text = "\n".join([
        f"Measured {started}, {dtype.name}, {args.threads} thread(s) for PyTorch and NumPy's BLAS "
        f"(1 inside the numba time loops), medians of {args.repeats} turns, {args.clock} time; load average (1 min) "
        f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after, on {os.cpu_count()} cores. "
        "GFLOP/s counts the matrix products only (3 × 2·N·T·(D+H)·3H for forward+backward).", "",
        table(results), "",
        f"Matmul peak for the per-step product at {largest}: {peak:.1f} GFLOP/s "
        f"(NumPy, ({BASE['N']}, {BASE['D'] + H_max}) @ ({BASE['D'] + H_max}, {3 * H_max})); the numba "
        f"forward+backward reaches {achieved:.1f} GFLOP/s there, {achieved / peak:.0%} of it."])
    print(text)
    if not args.no_write:
        suffix = "" if (dtype == np.float64 and args.threads == 1) else f"_{dtype.name}_{args.threads}"
        (DOCS / "images").mkdir(exist_ok=True)
        figure(results, dtype.name, args.threads).savefig(DOCS / "images" / f"scaling{suffix}.png", dpi=110)
        replace_section(DOCS / "performance.md", "scaling" + suffix, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
