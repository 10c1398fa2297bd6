"""CPU time of each score ``minirgan evaluate`` computes, one repeat each, on a run's samples.

    python benchmarks/evaluate_parts.py RUN_DIR                  # every part
    python benchmarks/evaluate_parts.py RUN_DIR --parts disc,pred

The samples and the real data are those of ``minirgan evaluate RUN_DIR`` (seed 0, as many
generated as real sequences, both in [0, 1]); each part is timed with the process's CPU time
under one BLAS thread, so a busy machine changes the numbers little (docs/performance.md).
"""

import argparse
import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits

from minirgan import metrics
from minirgan.evaluate import to_unit_interval
from minirgan.run import Run

PARTS = {
    "disc": ("discriminative score (1 repeat)",
             lambda real, fake, rng: metrics.discriminative_score(real, fake, repeats=1, rng=rng)),
    "pred": ("predictive score (1 repeat)",
             lambda real, fake, rng: metrics.predictive_score(fake, real, repeats=1, rng=rng)),
    "fid": ("context-FID (1 encoder)",
            lambda real, fake, rng: metrics.context_fid(real, fake, repeats=1, rng=rng)),
    "prdc": ("precision / recall / density / coverage",
             lambda real, fake, rng: metrics.prdc(real, fake, rng=rng)),
    "corr": ("correlational score",
             lambda real, fake, rng: metrics.correlational_score(real, fake, rng=rng)),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir")
    parser.add_argument("--parts", default=",".join(PARTS), help=f"comma-separated, of {', '.join(PARTS)}")
    args = parser.parse_args(argv)
    run = Run(args.run_dir)
    real = run.real_data()
    real, fake, _ = to_unit_interval(real, run.samples(len(real), 0))
    rng = np.random.default_rng(0)
    with threadpool_limits(limits=1, user_api="blas"):
        for part in args.parts.split(","):
            label, score = PARTS[part]
            t = time.process_time()
            score(real, fake, rng)
            print(f"{label}: {time.process_time() - t:.2f} s CPU", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
