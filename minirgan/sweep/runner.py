"""``run_sweep``: every run of a grid through one executor, then the sweep's table and summary."""

import dataclasses
import os
import time

from ..atomic import write_json
from ..config import TrainConfig
from ..errors import UserError
from ..interruptible import wait_first
from ..run import RUN_FILES
from .executors import open_executor
from .grid import grid
from .report import score_columns, write_report
from .task import SCORINGS, SWEEP_FILE, finished, make_task, run_task


def changed_fields(config):
    """{field: value} where ``config`` differs from a bare TrainConfig (the seed left out)."""
    default = TrainConfig().to_dict()
    return {k: v for k, v in config.to_dict().items() if v != default[k] and k != "seed"}


def _row_line(row, scoring):
    if row.get("status") != "ok":
        return f"{row['run']}: {row['status']}"
    scores = "  ".join(f"{c} {row[c]:.4f}" for c, _ in score_columns(scoring))
    return f"{row['run']}: {scores}  ({row['steps_per_second']:.1f} steps/s, {row['wall_seconds']:.0f} s)"


def run_sweep(out, base=None, settings=(), seeds=(0,), scoring="full", figures=True, executor=None,
              workers=None, scheduler=None, progress=True, log=print):
    """Train, score and tabulate every combination of ``settings`` × ``seeds`` under ``out``.

    base: the TrainConfig of every run (default: a bare ``minirgan train``'s); settings:
    [(key, [values]), ...] (``grid.parse_setting``); seeds: ints; scoring: "full", "fast" or
    "quick" (``task``); figures: each run folder's figures too. The runs go to ``executor`` (any
    concurrent.futures.Executor), else to ``open_executor(workers, scheduler)``: a local spawn
    pool of ``workers`` processes, or the Dask cluster at ``scheduler``. Finished runs are not
    redone and half-trained ones resume from their checkpoints. Writes out/sweep.json, and
    sweep.csv, summary.md, scores.png (also after an error or an interrupt, for the runs that
    finished); returns the rows of sweep.csv (dicts, in the grid's order). ``log`` receives one-line messages.
    """
    from tqdm import tqdm

    if scoring not in SCORINGS:
        raise ValueError(f"scoring must be one of {SCORINGS}, got {scoring!r}")
    base = TrainConfig() if base is None else base
    settings, seeds = [(k, list(v)) for k, v in settings], list(seeds)
    specs = grid(base, settings, seeds)
    if os.path.exists(os.path.join(out, RUN_FILES["checkpoint"])):
        raise UserError(f"--out {out} holds a training run (its {RUN_FILES['checkpoint']}): a sweep "
                        "writes its runs and tables into a folder of its own; choose another")
    os.makedirs(out, exist_ok=True)
    write_json(os.path.join(out, SWEEP_FILE), {"base": dataclasses.asdict(base), "set": settings,
                                               "seeds": seeds, "scoring": scoring,
                                               "runs": [s.name for s in specs]}, indent=1)
    tasks = {spec.name: make_task(spec, out, scoring, figures) for spec in specs}
    rows = {name: row for name, task in tasks.items() if (row := finished(task)) is not None}
    todo = [name for name in tasks if name not in rows]
    t0 = time.perf_counter()
    report = dict(folder=out, specs=specs, rows=rows, scoring=scoring, seeds=seeds,
                  changed=changed_fields(base))
    try:
        if todo:
            context = open_executor(workers, scheduler) if executor is None else _given(executor)
            with context as (pool, where):
                log(f"sweep: {len(specs)} runs, {len(rows)} finished before, {len(todo)} to run on {where}")
                futures = {pool.submit(run_task, tasks[name]): name for name in todo}
                bar = tqdm(total=len(todo), desc="sweep", unit="run", disable=not progress,
                           dynamic_ncols=True)
                pending = set(futures)
                try:
                    while pending:
                        done, pending = wait_first(pending)     # Ctrl-C: minirgan/interruptible.py
                        for future in done:
                            rows[futures[future]] = row = future.result()
                            bar.update(1)
                            (tqdm.write if progress else log)(_row_line(row, scoring))
                finally:
                    bar.close()
                    for future in pending:
                        future.cancel()
        else:
            log(f"sweep: all {len(specs)} runs finished before")
    except KeyboardInterrupt:
        log("sweep: interrupted; run the same command again to finish the sweep (finished runs "
            "are kept, half-trained ones resume from their checkpoints)")
        raise
    finally:
        table = write_report(**report, wall_seconds=time.perf_counter() - t0 if todo else None)
    return table


class _given:
    """A caller's executor as the context open_executor gives (left open: the caller owns it)."""

    def __init__(self, executor):
        self.executor = executor

    def __enter__(self):
        return self.executor, type(self.executor).__name__

    def __exit__(self, *exc):
        return False
