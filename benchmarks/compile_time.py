"""Cold-start and warm-start compile time of the numba kernels, each in a fresh process.

Cold: an empty numba cache (NUMBA_CACHE_DIR set to a new temporary folder), so every
kernel the workload touches is compiled. Warm: a second process with the same cache
folder, so the machine code is loaded from disk (``cache=True``).

Workloads: "gan" is what a GRU generator + discriminator needs (the standard GRU,
reset_after=False, forward and backward, float32 and float64); "all" is every cell
and variant (RNN tanh/ReLU, GRU both placements, LSTM) in both dtypes.

    python benchmarks/compile_time.py            # prints the table, updates docs/performance.md
    python benchmarks/compile_time.py --no-write # prints only
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from docs_section import replace_section

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import numpy as np
import minirgan as mr
import minirgan.kernels                       # the kernels' imports (numba, SciPy BLAS)
t_import = time.perf_counter() - t0
workload = sys.argv[1]
cells = ["gru"] if workload == "gan" else ["rnn", "rnn-relu", "gru", "gru-reset_after", "lstm"]
N, T, D, H = 2, 3, 2, 4
t1 = time.perf_counter()
for dtype in (np.float32, np.float64):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, T, D)).astype(dtype)
    dh = np.ones((N, T, H), dtype)
    for cell in cells:
        name, _, variant = cell.partition("-")
        if name == "rnn":
            p = mr.init_rnn_params(D, H, dtype=dtype)
            h, c = mr.rnn_forward(x, None, p, "relu" if variant else "tanh", backend="numba")
            mr.rnn_backward(dh, c)
        elif name == "gru":
            p = mr.init_gru_params(D, H, dtype=dtype, reset_after=bool(variant))
            h, c = mr.gru_forward(x, None, p, bool(variant), backend="numba")
            mr.gru_backward(dh, c)
        else:
            p = mr.init_lstm_params(D, H, dtype=dtype)
            h, c = mr.lstm_forward(x, None, None, p, backend="numba")
            mr.lstm_backward(dh, c)
t_kernels = time.perf_counter() - t1
print(json.dumps({"import": t_import, "kernels": t_kernels, "total": time.perf_counter() - t0}))
"""


def run_child(workload, cache_dir):
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    out = subprocess.run([sys.executable, "-c", CHILD, workload], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure(workload):
    """{"cold": {...}, "warm": {...}} seconds for one workload, in fresh processes."""
    with tempfile.TemporaryDirectory(prefix="minirgan-numba-cache-") as cache_dir:
        cold = run_child(workload, cache_dir)
        warm = run_child(workload, cache_dir)
    return {"cold": cold, "warm": warm}


def table(results, load):
    lines = ["| workload | cache | import (s) | first calls (s) | total (s) |",
             "|---|---|---:|---:|---:|"]
    for workload, by_cache in results.items():
        for cache, t in by_cache.items():
            lines.append(f"| {workload} | {cache} | {t['import']:.2f} | {t['kernels']:.2f} | {t['total']:.2f} |")
    lines.append("")
    lines.append(f"Load average (1 min) when measured: {load[0]:.2f} before, {load[1]:.2f} after, "
                 f"on {os.cpu_count()} cores. 'first calls' is the first forward+backward of every kernel "
                 "in the workload (compiling them when cold, loading them when warm).")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    results = {w: measure(w) for w in ("gan", "all")}
    text = table(results, (load_before, os.getloadavg()[0]))
    print(text)
    if not args.no_write:
        replace_section(Path(__file__).resolve().parent.parent / "docs" / "performance.md", "compile_time", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
