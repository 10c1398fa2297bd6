"""Steps/s of tutorial 06's own training loop, in a fresh process as a notebook runs it.

The tutorial calls ``train_step`` in its own loop, outside ``minirgan train``'s BLAS cap, with
the cheap quality metrics every 100 steps; this script repeats that loop on the default
configuration. Compare with ``minirgan train --iterations N`` (same configuration), which
prints its own steps/s; take turns in the same time window on a shared machine:

    python benchmarks/notebook_loop.py 300
    minirgan train --iterations 300 --out /tmp/cli_run --overwrite

docs/performance.md (Import and process settings) has the numbers.
"""

import sys
import time

import numpy as np

from minirgan.config import TrainConfig
from minirgan.data import load_dataset
from minirgan.metrics import quick_metrics
from minirgan.run import RunState
from minirgan.train import train_step

iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 300
config = TrainConfig(iterations=iterations, n_data=TrainConfig().n_data, seed=0)
state = RunState(config)
train_step(state.G, state.D, state.opt_g, state.opt_d, state.data, state.rng, config)   # step 1 loads the kernels
held_out, _, _ = load_dataset("sines", seq_len=24, n=1000, rng=1)
eval_rng = np.random.default_rng(123)
every, in_step = 100, 0.0
start = time.perf_counter()
for step in range(2, iterations + 1):
    t = time.perf_counter()
    train_step(state.G, state.D, state.opt_g, state.opt_d, state.data, state.rng, config)
    in_step += time.perf_counter() - t
    if step % every == 0 or step == iterations:
        quick_metrics(held_out, state.G.sample(len(held_out), eval_rng), n=len(held_out), rng=eval_rng)
total = time.perf_counter() - start
print(f"{iterations - 1} steps: {(iterations - 1) / total:.1f} steps/s with the tutorial's metrics, "
      f"{(iterations - 1) / in_step:.1f} steps/s in train_step alone")
