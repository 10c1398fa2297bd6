"""Training throughput of minirgan's default GAN against the same GAN in PyTorch, one process.

Each contender runs ``minirgan.train.train_step`` (or ``TorchGAN.train_step`` from
``gan_torch.py``) on TimeGAN's sines, the default configuration (GRU H = 32, batch 64,
2 D steps, moment loss 10, static noise Z = 16, per-step readout, Adam):

* minirgan float64 (the default) and float32, numba backend, one BLAS thread (what
  ``minirgan train`` uses, ``--blas-threads 1``);
* PyTorch float32 and float64, each at its best thread count (``torch.set_num_threads``):
  a short first pass (``--threads-rounds`` turns of a quarter of ``--steps``) times 1 and 2
  threads and keeps the faster for the main pass.

The contenders take turns: ``--rounds`` rounds, each running every contender for a block of
``--steps`` training steps and timing the block; the table shows the median steps/s over the
rounds and the median over rounds of each contender's ratio to the fastest PyTorch setting
(same round, same load). Taking turns spreads a shared machine's changing load over all
contenders. Only the training step is timed (no checkpoints, quick metrics or progress bar).

    python benchmarks/gan_throughput.py            # prints the table, updates docs/performance.md
    python benchmarks/gan_throughput.py --quick    # smoke run, prints only
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from minirgan.config import TrainConfig
from minirgan.train import RunState, train_step
from docs_section import replace_section


def minirgan_contender(dtype):
    """(name, run(n_steps)) for minirgan's default GAN in ``dtype``."""
    config = TrainConfig(dtype=dtype, metrics_every=0)
    state = RunState(config)

    def run(steps):
        with threadpool_limits(limits=config.blas_threads, user_api="blas"):
            for _ in range(steps):
                train_step(state.G, state.D, state.opt_g, state.opt_d, state.data, state.rng, config)
    default = " (the default)" if dtype == TrainConfig().dtype else ""
    return f"minirgan {dtype}{default}", run, state.data


def torch_contender(torch, data, dtype, threads):
    from gan_torch import TorchGAN
    config = TrainConfig()
    gan = TorchGAN(data, dtype=getattr(torch, dtype), moment_weight=config.moment_loss,
                   step_moment_weight=config.step_moment_loss)

    def run(steps):
        torch.set_num_threads(threads)
        for _ in range(steps):
            gan.train_step()
    return f"PyTorch {dtype}, {threads} thread{'s' if threads > 1 else ''}", run


def measure(contenders, rounds, steps):
    """Steps/s of every contender in each of ``rounds`` turns of ``steps`` steps each, by the
    wall clock and by the process's CPU time: ({name: [wall rates]}, {name: [CPU rates]})."""
    for _, run in contenders:
        run(max(1, steps // 4))                           # warm-up: compile, allocate
    wall = {name: [] for name, _ in contenders}
    cpu = {name: [] for name, _ in contenders}
    for _ in range(rounds):
        for name, run in contenders:
            t, c = time.perf_counter(), time.process_time()
            run(steps)
            wall[name].append(steps / (time.perf_counter() - t))
            cpu[name].append(steps / (time.process_time() - c))
    return wall, cpu


def table(rates, clock):
    torch_names = [n for n in rates if n.startswith("PyTorch")]
    best = max(torch_names, key=lambda n: np.median(rates[n])) if torch_names else None
    lines = [f"| contender | steps/s ({clock}, median) | range over rounds | ratio to " + (best or "–") + " |",
             "|---|---:|---:|---:|"]
    for name, r in rates.items():
        # the ratio per round (same round, same load), then its median
        ratio = (f"{np.median(np.array(r) / np.array(rates[best])):.2f}" if best else "–")
        lines.append(f"| {name} | {np.median(r):.1f} | {min(r):.1f}–{max(r):.1f} | {ratio} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="turns per contender (default 7)")
    parser.add_argument("--steps", type=int, default=30, help="training steps per turn (default 30)")
    parser.add_argument("--threads-rounds", type=int, default=3,
                        help="turns of the first pass choosing PyTorch's thread count (default 3)")
    parser.add_argument("--quick", action="store_true", help="2 rounds of 10 steps, print only")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    rounds, steps = (2, 10) if args.quick else (args.rounds, args.steps)
    contenders, data = [], None
    for dtype in ("float64", "float32"):
        name, run, data = minirgan_contender(dtype)
        contenders.append((name, run))
    try:
        import torch
    except ImportError:
        torch = None
    load_before = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    chosen = []
    if torch is not None:
        for dtype in ("float32", "float64"):
            settings = [torch_contender(torch, data, dtype, threads) for threads in (1, 2)]
            first = measure(settings, args.threads_rounds, max(2, steps // 4))[0]   # wall clock
            best = max(first, key=lambda n: np.median(first[n]))
            chosen.append(f"{dtype}: " + ", ".join(f"{n.split(', ')[1]} {np.median(r):.1f}"
                                                    for n, r in first.items()))
            contenders.append(next(c for c in settings if c[0] == best))
    wall, cpu = measure(contenders, rounds, steps)
    single = all(", 1 thread" in name for name, _ in contenders if name.startswith("PyTorch"))
    text = "\n".join([
        f"Measured {started}; {rounds} rounds of {steps} steps per contender, taking turns; "
        f"{os.cpu_count()} cores; load average (1 min) {load_before[0]:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after" + (f"; PyTorch {torch.__version__}" if torch else "") + ".",
        *([f"PyTorch's thread count chosen by a first pass (steps/s): {'; '.join(chosen)}."] if chosen else []),
        "", table(wall, "wall clock"),
        *(["", "Every contender ran on one thread, so the process's CPU time is the time it "
           "computed (without the time it waited for a core on this shared machine):", "",
           table(cpu, "CPU time")] if single else [])])
    print(text)
    if not (args.quick or args.no_write):
        replace_section(Path(__file__).resolve().parent.parent / "docs" / "performance.md",
                        "gan_throughput", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
