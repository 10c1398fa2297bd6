"""One task of a sweep: train one run folder from its seed, score it, and write its result.

``run_task(task)`` is what the executor runs, in a worker process of the local pool or on a
Dask worker; ``task`` is a plain dict (``make_task``) so that it pickles anywhere. The task reads
and writes only its run folder, so the folder must be reachable at the same path where the task
runs (a shared filesystem on a cluster, docs/sweeps.md); it checks that first.

A task picks up whatever an earlier, interrupted sweep left: a folder with a checkpoint resumes
from it (``train(resume=True)``, which equals an uninterrupted run), a folder without one starts
over, and a folder whose ``sweep_result.json`` matches the task is returned as it is. The result
is written last, atomically: its presence means the run is finished.

Scoring (``task["scoring"]``): ``full`` is ``minirgan evaluate`` (TimeGAN's protocols, 10
repeats), ``fast`` is ``minirgan evaluate --fast``, ``quick`` only the three cheap numbers of
the training log (MMD², autocorrelation distance, diversity ratio) on at most 500 sequences of
each set, for smoke tests. Every score is computed with evaluation seed 0, as
``minirgan evaluate RUN`` does, so its numbers are those of that command.
"""

import json
import os
import socket
import time

from ..atomic import write_json
from ..run_lock import run_folder_lock
from .intervals import t_interval

RESULT_FILE = "sweep_result.json"       # in each run folder: the run's row, once finished
SWEEP_FILE = "sweep.json"               # in the sweep's folder: what it runs (also the
                                        # marker a task looks for to know it sees that folder)
SCORINGS = ("full", "fast", "quick")
QUICK_SAMPLES = 500


def make_task(spec, sweep_dir, scoring, figures):
    """The task of a RunSpec (``grid.RunSpec``): a plain dict, picklable by any executor."""
    return {"name": spec.name, "sweep_dir": os.path.abspath(sweep_dir),
            "setting": [list(pair) for pair in spec.setting], "seed": spec.seed,
            "config": spec.config.to_dict(), "scoring": scoring, "figures": bool(figures)}


def run_dir(task):
    return os.path.join(task["sweep_dir"], task["name"])


def finished(task):
    """The row of a finished run of ``task`` (read from its folder), or None: not run yet, half
    done, or run with another configuration or scoring (then it is continued or redone)."""
    path = os.path.join(run_dir(task), RESULT_FILE)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        saved = json.load(f)
    same = all(saved["task"].get(k) == task[k] for k in ("config", "scoring", "setting", "seed"))
    return saved["row"] if same else None


def _scores(folder, scoring, figures):
    """{score: value} of a trained run folder (see the module's docstring for ``scoring``)."""
    if scoring == "quick":
        from ..evaluate import to_unit_interval
        from ..metrics.quick import quick_metrics
        from ..run import Run
        run = Run(folder)
        real = run.real_data()
        real, fake, _ = to_unit_interval(real, run.samples(min(len(real), QUICK_SAMPLES), seed=0))
        return {k: float(v) for k, v in quick_metrics(real, fake, n=QUICK_SAMPLES, rng=0).items()}
    from ..evaluate import evaluate_run
    m = evaluate_run(folder, fast=scoring == "fast", progress=False, figures=figures, workers=1)
    disc = m["discriminative_score"]
    return {"discriminative": disc["mean"],
            # the spread of the metric's repeats on this one model (what Diffusion-TS reports)
            "discriminative_repeats_ci": t_interval(disc["scores"])[1],
            "predictive": m["predictive_score"]["mean"], "context_fid": m["context_fid"]["mean"],
            "correlational": m["correlational_score"]["mean"],
            **{k: float(m["prdc"][k]) for k in ("precision", "recall", "density", "coverage")},
            "mmd2": float(m["mmd2"]), "acf_distance": float(m["acf_distance"]),
            "diversity": float(m["diversity"])}


def run_task(task):
    """Train, score and record one run of a sweep; returns its row (a dict: the setting's values,
    seed, status, scores, steps, resumed_from, train/score/wall seconds, steps/s, host).

    A run that diverges is recorded with status "diverged" and no scores (it would diverge
    again: the same seed gives the same run). Raises UserError if the sweep's folder is not
    visible here (a cluster worker without the shared filesystem)."""
    from ..errors import UserError

    host = socket.gethostname()
    if not os.path.exists(os.path.join(task["sweep_dir"], SWEEP_FILE)):
        raise UserError(f"the sweep folder {task['sweep_dir']} is not visible on {host}: every "
                           "worker needs it at the same path (a shared filesystem, docs/sweeps.md)")
    done = finished(task)
    if done is not None:
        return done
    folder = run_dir(task)
    t0 = time.perf_counter()
    os.makedirs(folder, exist_ok=True)
    with run_folder_lock(folder, "minirgan sweep"):     # one writer, train to result (run_lock.py)
        return _run_locked(task, folder, host, t0)


def _run_locked(task, folder, host, t0):
    """The rest of ``run_task``, with the run folder's lock held."""
    from ..checkpoint import checkpoint_step
    from ..config import TrainConfig
    from ..run import run_paths
    from ..train import TrainingDiverged, train

    resume = os.path.exists(run_paths(folder)["checkpoint"])
    resumed_from = (checkpoint_step(run_paths(folder)["checkpoint"]) or 0) if resume else 0
    row = {**dict(task["setting"]), "seed": task["seed"], "run": task["name"]}
    try:
        # overwrite: a folder without a checkpoint holds only the start of a killed run
        state, _ = train(TrainConfig.from_dict(task["config"]), folder, resume=resume,
                         overwrite=not resume, progress=False, figures=task["figures"])
    except TrainingDiverged as err:
        row.update(status="diverged", error=str(err), resumed_from=resumed_from,
                   wall_seconds=time.perf_counter() - t0, host=host)
    else:
        t1 = time.perf_counter()
        scores = _scores(folder, task["scoring"], task["figures"])
        row.update(status="ok", **scores, steps=int(state.step), resumed_from=resumed_from,
                   train_seconds=state.seconds, steps_per_second=state.steps_per_second,
                   score_seconds=time.perf_counter() - t1, wall_seconds=time.perf_counter() - t0,
                   host=host)
    write_json(os.path.join(folder, RESULT_FILE), {"task": task, "row": row}, indent=1)
    return row
