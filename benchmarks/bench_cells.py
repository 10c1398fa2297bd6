"""Speed of the recurrent cells: NumPy reference vs numba kernels vs PyTorch CPU.

For each cell (RNN tanh, GRU in both reset placements, LSTM), dtype and shape
(N, T, D, H), the median wall time of the forward pass and of forward+backward
(backward of ``sum(h * g)`` for a random g, all gradients: inputs, initial state,
weights), each implementation's repetitions run as one block. PyTorch (``torch.nn.RNN/GRU/LSTM``,
batch_first, gradients for x and h0 too) runs only when it is importable; its GRU is the
reset-after form, and both minirgan GRU forms are compared with it.

Threads: ``torch.set_num_threads(2)``; NumPy's BLAS keeps its default (2 here) for
the products before and after the time loop; SciPy's BLAS inside the compiled time
loops is pinned to one thread (see minirgan/kernels/blas_threads.py).

At the largest shape it also reports GFLOP/s: the matrix-product flops of the pass
(forward 2·N·T·(D+H)·G·H for G gate blocks; backward twice that) divided by the
time, against a NumPy matmul "peak" of the same sizes measured in the same process.

    python benchmarks/bench_cells.py           # full run, writes docs/performance.md
    python benchmarks/bench_cells.py --quick   # smoke run: smallest shape, few repeats, prints only
"""

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numba
import numpy as np
from tqdm import tqdm

import minirgan as mr
from docs_section import replace_section

SHAPES = [(128, 24, 5, 24), (64, 28, 28, 128), (64, 100, 16, 256)]
CELLS = ["rnn", "gru", "gru-reset_after", "lstm"]
GATE_BLOCKS = {"rnn": 1, "gru": 3, "gru-reset_after": 3, "lstm": 4}
DTYPES = [np.float32, np.float64]
THREADS = 2


def load_torch(threads):
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(threads)
    return torch


def limit_numpy_blas(threads):
    """NumPy's BLAS (the products outside the time loops, the NumPy reference, the peak) to
    ``threads``; SciPy's BLAS inside the numba time loops stays at one thread."""
    from threadpoolctl import threadpool_limits
    from minirgan.kernels import limit_loop_blas_threads
    threadpool_limits(limits=threads, user_api="blas")
    limit_loop_blas_threads(1)


# ----------------------------------------------------------------------------- workloads

def minirgan_passes(cell, x, h0, dh, backend):
    """(forward, forward+backward) closures for one cell on one backend."""
    N, T, D = x.shape
    H = h0.shape[1]
    dtype = x.dtype
    name, _, variant = cell.partition("-")
    rng = np.random.default_rng(1)
    if name == "rnn":
        p = mr.init_rnn_params(D, H, rng=rng, dtype=dtype)
        fwd = lambda: mr.rnn_forward(x, h0, p, backend=backend)
        bwd = mr.rnn_backward
    elif name == "gru":
        ra = variant == "reset_after"
        p = mr.init_gru_params(D, H, rng=rng, dtype=dtype, reset_after=ra)
        fwd = lambda: mr.gru_forward(x, h0, p, ra, backend=backend)
        bwd = mr.gru_backward
    else:
        p = mr.init_lstm_params(D, H, rng=rng, dtype=dtype)
        fwd = lambda: mr.lstm_forward(x, h0, h0, p, backend=backend)
        bwd = mr.lstm_backward

    def fwd_bwd():
        _, cache = fwd()
        bwd(dh, cache)
    return fwd, fwd_bwd


def torch_passes(torch, cell, x, h0, dh):
    """(forward, forward+backward) closures for the matching torch.nn module."""
    N, T, D = x.shape
    H = h0.shape[1]
    dtype = {np.dtype(np.float32): torch.float32, np.dtype(np.float64): torch.float64}[x.dtype]
    module = {"rnn": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}[cell.split("-")[0]]
    net = module(D, H, batch_first=True).to(dtype)
    tx = torch.tensor(x, requires_grad=True)
    th0 = torch.tensor(h0[None], requires_grad=True)
    state = (th0, torch.zeros_like(th0)) if module is torch.nn.LSTM else th0
    tg = torch.tensor(dh)

    def fwd():
        with torch.no_grad():
            net(tx, state)

    def fwd_bwd():
        out, _ = net(tx, state)
        (out * tg).sum().backward()
    return fwd, fwd_bwd


CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}


def medians(fns, repeats, clock=time.perf_counter):
    """Median seconds of each function over ``repeats`` calls, after one warm-up call.

    Each function runs its repetitions as one block. (Interleaving them was tried: on
    2 cores, the worker threads that one library leaves spinning after its call —
    PyTorch's OpenMP, NumPy's OpenBLAS — then slow down the next library's call.)
    """
    result = []
    for f in fns:
        f()                                                # warm-up: compile, allocate
        times = []
        for _ in range(repeats):
            t = clock()
            f()
            times.append(clock() - t)
        result.append(float(np.median(times)))
    return result


def matmul_peak(N, T, D, H, G, dtype, repeats, clock=time.perf_counter):
    """GFLOP/s of NumPy matmuls of the forward's sizes: T products (N, D+H) @ (D+H, G·H)."""
    rng = np.random.default_rng(2)
    a = rng.standard_normal((N, D + H)).astype(dtype)
    b = rng.standard_normal((D + H, G * H)).astype(dtype)
    out = np.empty((N, G * H), dtype)

    def products():
        for _ in range(T):
            np.matmul(a, b, out=out)
    seconds = medians([products], repeats, clock)[0]
    return 2.0 * N * T * (D + H) * G * H / seconds / 1e9


def forward_flops(cell, N, T, D, H):
    return 2.0 * N * T * (D + H) * GATE_BLOCKS[cell] * H


# ----------------------------------------------------------------------------- report

def machine_description(torch):
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = (f"Python {platform.python_version()}, NumPy {np.__version__}, numba {numba.__version__}"
                + (f", PyTorch {torch.__version__}" if torch else ", PyTorch not installed"))
    return f"{model}, {os.cpu_count()} cores ({platform.machine()}, {platform.system()}); {versions}"


def ms(seconds):
    return f"{seconds * 1e3:.3g}"


def ratio(a, b):
    return f"{a / b:.2f}" if a and b else "–"


def run(shapes, repeats, torch, progress=True, dtypes=DTYPES, clock=time.perf_counter):
    rows = []
    jobs = [(dtype, shape, cell) for dtype in dtypes for shape in shapes for cell in CELLS]
    for dtype, shape, cell in tqdm(jobs, desc="cells", disable=not progress):
        N, T, D, H = shape
        rng = np.random.default_rng(0)
        x = rng.standard_normal((N, T, D)).astype(dtype)
        h0 = (0.1 * rng.standard_normal((N, H))).astype(dtype)
        dh = rng.standard_normal((N, T, H)).astype(dtype)
        passes = [minirgan_passes(cell, x, h0, dh, "numpy"), minirgan_passes(cell, x, h0, dh, "numba")]
        if torch is not None:
            passes.append(torch_passes(torch, cell, x, h0, dh))
        reps = max(5, repeats // (1 + 4 * SHAPES.index(shape))) if shape in SHAPES else repeats
        fwd = medians([p[0] for p in passes], reps, clock)
        fb = medians([p[1] for p in passes], reps, clock)
        if torch is None:
            fwd.append(None)
            fb.append(None)
        rows.append({"dtype": np.dtype(dtype).name, "shape": shape, "cell": cell,
                     "numpy": (fwd[0], fb[0]), "numba": (fwd[1], fb[1]), "torch": (fwd[2], fb[2])})
    return rows


def speed_table(rows):
    lines = ["| dtype | (N, T, D, H) | cell | NumPy fwd / fwd+bwd (ms) | numba fwd / fwd+bwd (ms) | "
             "torch fwd / fwd+bwd (ms) | numba/torch fwd+bwd | numba/torch fwd | NumPy/numba fwd+bwd |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        (npf, npb), (nbf, nbb), (tf, tb) = r["numpy"], r["numba"], r["torch"]
        torch_cell = f"{ms(tf)} / {ms(tb)}" if tf else "–"
        lines.append(f"| {r['dtype']} | {r['shape']} | {r['cell']} | {ms(npf)} / {ms(npb)} | "
                     f"{ms(nbf)} / {ms(nbb)} | {torch_cell} | {ratio(nbb, tb)} | {ratio(nbf, tf)} | "
                     f"{ratio(npb, nbb)} |")
    return "\n".join(lines)


def flops_table(rows, repeats, clock=time.perf_counter):
    N, T, D, H = SHAPES[-1]
    lines = [f"At (N, T, D, H) = {SHAPES[-1]}; flops count the matrix products only "
             "(forward 2·N·T·(D+H)·G·H with G = 1, 3, 4 gate blocks; backward twice the forward).", "",
             "| dtype | cell | matmul peak (GFLOP/s) | numba fwd (GFLOP/s) | numba fwd+bwd (GFLOP/s) | "
             "fwd+bwd / peak | torch fwd+bwd (GFLOP/s) |",
             "|---|---|---:|---:|---:|---:|---:|"]
    peaks = {}
    for r in rows:
        if r["shape"] != SHAPES[-1]:
            continue
        G = GATE_BLOCKS[r["cell"]]
        key = (r["dtype"], G)
        if key not in peaks:
            peaks[key] = matmul_peak(N, T, D, H, G, np.dtype(r["dtype"]), repeats, clock)
        f = forward_flops(r["cell"], N, T, D, H)
        fwd_rate, fb_rate = f / r["numba"][0] / 1e9, 3 * f / r["numba"][1] / 1e9
        torch_rate = f"{3 * f / r['torch'][1] / 1e9:.1f}" if r["torch"][1] else "–"
        lines.append(f"| {r['dtype']} | {r['cell']} | {peaks[key]:.1f} | {fwd_rate:.1f} | {fb_rate:.1f} | "
                     f"{fb_rate / peaks[key]:.0%} | {torch_rate} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: smallest shape, 5 repeats, print only")
    parser.add_argument("--repeats", type=int, default=41,
                        help="repetitions at the smallest shape (fewer at larger ones; default 41)")
    parser.add_argument("--threads", type=int, default=THREADS,
                        help=f"threads for PyTorch and NumPy's BLAS (default {THREADS})")
    parser.add_argument("--dtype", choices=["float32", "float64", "both"], default="both",
                        help="measure one dtype only (its own section in docs/performance.md)")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="wall",
                        help="wall: elapsed time (default); cpu: the process's CPU time, which with "
                             "--threads 1 leaves out the time spent waiting for a core on a busy machine")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args(argv)
    clock = CLOCKS[args.clock]
    from minirgan.kernels.allocator import keep_freed_memory
    malloc_tuned = keep_freed_memory()      # also done by importing the kernels: for all three
    torch = load_torch(args.threads)
    limit_numpy_blas(args.threads)
    numba.set_num_threads(min(args.threads, numba.config.NUMBA_NUM_THREADS))
    shapes = SHAPES[:1] if args.quick else SHAPES
    repeats = 5 if args.quick else args.repeats
    load_before = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    dtypes = DTYPES if args.dtype == "both" else [np.dtype(args.dtype).type]
    rows = run(shapes, repeats, torch, dtypes=dtypes, clock=clock)
    parts = [f"Measured {started} on {machine_description(torch)}.",
             f"Load average (1, 5, 15 min) before: {', '.join(f'{v:.2f}' for v in load_before)}; "
             f"after: {', '.join(f'{v:.2f}' for v in os.getloadavg())}. "
             f"Medians ({args.clock} time) of {repeats} repetitions at the smallest shape, fewer at larger ones "
             "(5 at least). glibc keeps freed memory (minirgan/kernels/allocator.py, process-wide): "
             f"{'on' if malloc_tuned else 'off'}. Threads: {args.threads} for PyTorch and NumPy's BLAS, "
             "1 for the BLAS calls inside the numba time loops.", "", speed_table(rows)]
    if SHAPES[-1] in shapes:
        parts += ["", flops_table(rows, repeats, clock)]
    text = "\n".join(parts)
    print(text)
    if not (args.quick or args.no_write):
        section = "bench_cells" if args.threads == THREADS else f"bench_cells_{args.threads}_threads"
        section += "" if args.dtype == "both" else f"_{args.dtype}"
        section += "" if args.clock == "wall" else f"_{args.clock}"
        replace_section(Path(__file__).resolve().parent.parent / "docs" / "performance.md", section, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
