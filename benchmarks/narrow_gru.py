"""The standard GRU's two forward loops against each other, across the state size H.

``minirgan/kernels/gru_kernels.py`` has the row loop (gate maths vectorised along the H units
of each row) and the narrow loop (vectorised along each step's flat (N·H) block); the
wrapper takes the narrow one when a row of h is shorter than ``NARROW_ROW_BYTES``. This
times both compiled loops on the same inputs, taking turns, checks that they give bitwise
the same arrays, and writes the table between the ``narrow_gru`` markers of
docs/performance.md.

    python benchmarks/narrow_gru.py              # float64 and float32, one BLAS thread
    python benchmarks/narrow_gru.py --no-write
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from bench_cells import CLOCKS
from docs_section import replace_section
from scaling import interleaved_medians

from minirgan.kernels.gru_kernels import (NARROW_ROW_BYTES, _forward_loop_standard,
                                          _forward_loop_standard_narrow, is_narrow)

# (N, T) of the discriminative score's classifier (2 × 128 sequences of TimeGAN's 24 steps)
# and of the default GAN (64); H from the post-hoc models' 2 to the GAN's 32
SHAPES = [(256, 24, 2), (64, 24, 2), (64, 24, 4), (64, 24, 8), (64, 24, 16), (64, 24, 32)]
DOCS = Path(__file__).resolve().parent.parent / "docs"


def loop_inputs(N, T, H, dtype, rng):
    """Random (xp, W_zuhT, W_chT) and fresh output arrays (hs, z, u, r, c) of one loop call."""
    xp = rng.standard_normal((T, N, 3 * H)).astype(dtype)
    weights = ((0.5 * rng.standard_normal((H, 2 * H))).astype(dtype),
               (0.5 * rng.standard_normal((H, H))).astype(dtype))
    hs = np.empty((T + 1, N, H), dtype)
    hs[0] = 0.5 * rng.standard_normal((N, H))
    return (xp, *weights), (hs, *(np.empty((T, N, H), dtype) for _ in range(4)))


def measure(dtype, repeats, clock):
    rows = []
    for N, T, H in SHAPES:
        inputs, out_row = loop_inputs(N, T, H, dtype, np.random.default_rng(0))
        out_narrow = tuple(a.copy() for a in out_row)
        flat = tuple(a.reshape(-1) for a in out_narrow)
        row = lambda: _forward_loop_standard(*inputs, *out_row, None)
        narrow = lambda: _forward_loop_standard_narrow(*inputs, *out_narrow, *flat)
        t_row, t_narrow = interleaved_medians([row, narrow], repeats, clock)
        same = all(np.array_equal(a, b) for a, b in zip(out_row, out_narrow))
        rows.append((np.dtype(dtype).name, (N, T, H), t_row, t_narrow, same))
    return rows


def table(rows, clock_name):
    lines = [f"| dtype | (N, T, H) | row loop (ms, {clock_name}) | narrow loop (ms) | row / narrow "
             "| bitwise equal | used |",
             "|---|---|---:|---:|---:|---|---|"]
    for dtype, (N, T, H), t_row, t_narrow, same in rows:
        used = "narrow" if is_narrow(H, dtype) else "row"
        lines.append(f"| {dtype} | ({N}, {T}, {H}) | {t_row * 1e3:.3f} | {t_narrow * 1e3:.3f} | "
                     f"{t_row / t_narrow:.2f} | {'yes' if same else 'NO'} | {used} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=101)
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    from threadpoolctl import threadpool_limits
    with threadpool_limits(limits=1, user_api="blas"):
        rows = measure(np.float64, args.repeats, CLOCKS[args.clock]) + \
            measure(np.float32, args.repeats, CLOCKS[args.clock])
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    text = (f"Measured {stamp}; medians of {args.repeats} turns each ({args.clock} time, one BLAS "
            f"thread); the kernels take the narrow loop when H × itemsize < {NARROW_ROW_BYTES} bytes.\n\n" + table(rows, args.clock))
    print(text)
    if not args.no_write:
        replace_section(DOCS / "performance.md", "narrow_gru", text)
    return 0 if all(r[-1] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
