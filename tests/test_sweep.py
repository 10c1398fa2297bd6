"""minirgan sweep: the grid, the table, and the same runs on a local pool and a Dask cluster;
a killed sweep resumes (finished runs untouched, a half-trained run from its checkpoint)."""

import csv
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from minirgan.cli import main
from minirgan.config import TrainConfig
from minirgan.errors import UserError
from minirgan.sweep import grid, parse_seeds, parse_setting
from minirgan.sweep.report import summary_markdown, sweep_table
from minirgan.sweep.task import RESULT_FILE

# A sweep that takes seconds: 2 settings x 2 seeds, a few iterations on 200 sines.
TINY = ["--n-data", "200", "--iterations", "40", "--batch", "16", "--checkpoint-every", "10",
        "--metrics-every", "0", "--no-figures", "--no-progress"]
GRID = ["--seeds", "0-1", "--set", "hidden=8,12"]
RUNS = ["hidden=8,seed=0", "hidden=8,seed=1", "hidden=12,seed=0", "hidden=12,seed=1"]


def checkpoint_arrays(path):
    with np.load(path, allow_pickle=False) as saved:
        return {k: saved[k] for k in saved.files}


def assert_same_checkpoints(a, b):
    """Every array of two checkpoints equal bit for bit (the .npz files differ in their zip
    timestamps only)."""
    x, y = checkpoint_arrays(a), checkpoint_arrays(b)
    assert sorted(x) == sorted(y)
    for key in x:
        assert x[key].dtype == y[key].dtype and x[key].tobytes() == y[key].tobytes(), key


def read_sweep(folder):
    """sweep.csv's rows (dicts of strings, as written)."""
    with open(os.path.join(folder, "sweep.csv"), newline="") as f:
        return list(csv.DictReader(f))


def scores(rows):
    """What must not depend on where a run ran: each run's name, seed, setting, scores, steps."""
    keep = ("run", "seed", "hidden", "mmd2", "acf_distance", "diversity", "steps")
    return [{k: row[k] for k in keep} for row in rows]


def test_seeds_and_settings_are_parsed_with_their_types():
    assert parse_seeds(["0-2", "7"]) == [0, 1, 2, 7] and parse_seeds(["3,5"]) == [3, 5]
    assert parse_setting("hidden=16,32") == ("hidden", [16, 32])
    assert parse_setting("lr=1e-3,5e-4") == ("lr", [1e-3, 5e-4])
    assert parse_setting("noise-dim=4") == ("noise_dim", [4])
    assert parse_setting("conditional=false") == ("conditional", [False])
    for bad in (["2-1"], ["x"], ["0", "0"]):
        with pytest.raises(UserError):
            parse_seeds(bad)
    for bad in ("hidden", "hidden=a", "seed=1,2", "nope=1", "hidden=8,8", "extra=1"):
        with pytest.raises(UserError):
            parse_setting(bad)


def test_the_grid_names_every_setting_and_seed_and_validates_each_config():
    runs = grid(TrainConfig(), [("hidden", [8, 12]), ("lr", [1e-3])], [0, 1])
    assert [r.name for r in runs] == ["hidden=8,lr=0.001,seed=0", "hidden=8,lr=0.001,seed=1",
                                      "hidden=12,lr=0.001,seed=0", "hidden=12,lr=0.001,seed=1"]
    assert [(r.config.hidden, r.config.lr_g, r.config.lr_d, r.config.seed) for r in runs][2] == \
        (12, 1e-3, 1e-3, 0)
    assert runs[0].label == "hidden=8, lr=0.001"
    with pytest.raises(UserError, match="hidden=0"):
        grid(TrainConfig(), [("hidden", [0])], [0])


def test_the_summary_has_each_settings_interval_seeds_and_the_published_rows():
    from scipy import stats
    specs = grid(TrainConfig(), [("hidden", [8, 12])], [0, 1, 2])
    values = {"hidden=8": [0.04, 0.05, 0.06], "hidden=12": [0.1, 0.2, 0.3]}
    rows = {s.name: {"hidden": s.config.hidden, "seed": s.seed, "run": s.name, "status": "ok",
                     "discriminative": values[s.name.rsplit(",", 1)[0]][s.seed],
                     "discriminative_repeats_ci": 0.01, "predictive": 0.09, "context_fid": 0.1,
                     "correlational": 0.02, "coverage": 0.8, "steps_per_second": 20.0,
                     "train_seconds": 60.0} for s in specs}
    rows[specs[-1].name] = {"hidden": 12, "seed": 2, "run": specs[-1].name, "status": "diverged"}
    text = summary_markdown("t", specs, sweep_table(specs, rows)[1], "full", [0, 1, 2], {})
    half = stats.t.ppf(0.975, 2) * 0.01 / np.sqrt(3)
    assert f"| hidden=8 | 3 | 0.050 ± {half:.3f} (0.040, 0.050, 0.060) |" in text
    assert "| hidden=12 | 2 | 0.150 ± " in text and "hidden=12,seed=2 (diverged)" in text
    assert "| TimeGAN | 0.011 ± 0.008 | 0.093 | 0.101† | 0.045 |" in text     # the sines' rows
    other = grid(TrainConfig(data="digits"), [], [0])
    assert "published" not in summary_markdown("t", other, [], "full", [0], {})


@pytest.fixture(scope="module")
def local_sweep(tmp_path_factory):
    """The reference: the tiny grid on the local process pool (2 workers), --quick scores."""
    out = str(tmp_path_factory.mktemp("local") / "sweep")
    assert main(["sweep", "--out", out, *GRID, "--quick", "--workers", "2", *TINY]) == 0
    return out


def test_a_sweep_writes_one_run_folder_per_setting_and_seed_and_its_table(local_sweep):
    rows = read_sweep(local_sweep)
    assert [r["run"] for r in rows] == RUNS and {r["status"] for r in rows} == {"ok"}
    assert {r["steps"] for r in rows} == {"40"} and all(float(r["steps_per_second"]) > 0 for r in rows)
    assert [(r["hidden"], r["seed"]) for r in rows] == [("8", "0"), ("8", "1"), ("12", "0"), ("12", "1")]
    for run in RUNS:
        assert os.path.exists(os.path.join(local_sweep, run, "checkpoint.npz"))
    summary = open(os.path.join(local_sweep, "summary.md")).read()
    assert "| hidden=8 | 2 |" in summary and "| hidden=12 | 2 |" in summary
    assert os.path.getsize(os.path.join(local_sweep, "scores.png")) > 0


def test_a_dask_cluster_gives_the_same_runs_bit_for_bit(local_sweep, tmp_path):
    import distributed
    out = str(tmp_path / "sweep")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        assert main(["sweep", "--out", out, *GRID, "--quick", "--scheduler", cluster.scheduler_address,
                     *TINY]) == 0
    for run in RUNS:
        assert_same_checkpoints(os.path.join(local_sweep, run, "checkpoint.npz"),
                                os.path.join(out, run, "checkpoint.npz"))
    assert scores(read_sweep(out)) == scores(read_sweep(local_sweep))


def test_fast_scoring_is_minirgan_evaluate_fast(tmp_path):
    """A run's scores are those ``minirgan evaluate --fast`` writes into its metrics.json."""
    import json
    out = str(tmp_path / "sweep")
    assert main(["sweep", "--out", out, "--seeds", "3", "--fast", "--workers", "1", *TINY]) == 0
    (row,) = read_sweep(out)
    with open(os.path.join(out, "seed=3", "metrics.json")) as f:
        metrics = json.load(f)
    assert metrics["protocol"] == "fast" and row["seed"] == "3"
    assert float(row["discriminative"]) == metrics["discriminative_score"]["mean"]
    assert float(row["predictive"]) == metrics["predictive_score"]["mean"]
    assert float(row["coverage"]) == metrics["prdc"]["coverage"]
    assert row["discriminative_repeats_ci"] == "nan"          # one repeat: no interval
    assert "| defaults | 1 |" in open(os.path.join(out, "summary.md")).read()


def _files(folder):
    """{file name: (bytes, mtime_ns)} of a run folder."""
    return {name: (open(os.path.join(folder, name), "rb").read(),
                   os.stat(os.path.join(folder, name)).st_mtime_ns) for name in os.listdir(folder)}


def test_a_killed_sweep_resumes_without_redoing_finished_runs(local_sweep, tmp_path):
    out = str(tmp_path / "sweep")
    argv = [sys.executable, "-m", "minirgan", "sweep", "--out", out, *GRID, "--quick", "--workers", "1",
            *TINY]
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    deadline = time.monotonic() + 120

    def state():
        done = [r for r in RUNS if os.path.exists(os.path.join(out, r, RESULT_FILE))]
        started = [r for r in RUNS if r not in done and os.path.exists(os.path.join(out, r, "checkpoint.npz"))]
        return done, started

    try:
        # kill the sweep and its worker when a run is finished and another half-trained
        while not (state()[0] and state()[1]) and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    done, started = state()
    assert done and started and len(done) < len(RUNS), (done, started)
    before = {run: _files(os.path.join(out, run)) for run in done}
    assert main(["sweep", "--out", out, *GRID, "--quick", "--workers", "1", *TINY]) == 0
    for run in done:
        assert _files(os.path.join(out, run)) == before[run]         # not redone: not one byte
    rows = read_sweep(out)
    assert [r["run"] for r in rows] == RUNS and {r["status"] for r in rows} == {"ok"}
    assert int({r["run"]: r for r in rows}[started[0]]["resumed_from"]) > 0
    for run in RUNS:     # and every run, resumed or not, is the uninterrupted one
        assert_same_checkpoints(os.path.join(local_sweep, run, "checkpoint.npz"),
                                os.path.join(out, run, "checkpoint.npz"))
    assert scores(rows) == scores(read_sweep(local_sweep))


def test_a_worker_that_does_not_see_the_sweep_folder_says_so(tmp_path):
    """On a cluster without the shared filesystem the task stops before writing anything."""
    from minirgan.sweep.task import make_task, run_task
    (spec,) = grid(TrainConfig(iterations=5), [], [0])
    task = make_task(spec, str(tmp_path / "elsewhere"), "quick", figures=False)
    with pytest.raises(UserError, match="shared filesystem"):
        run_task(task)
    assert not os.path.exists(tmp_path / "elsewhere")


def test_a_run_killed_in_the_middle_of_a_log_line_resumes(tmp_path):
    """A kill can leave metrics.jsonl ending in half a record (its buffer flushes mid-line);
    a resumed run (what a resumed sweep does) drops it and rewrites the log from its checkpoint."""
    import json
    from minirgan.train import train
    config = TrainConfig(n_data=100, iterations=20, batch=16, hidden=8, checkpoint_every=10,
                         metrics_every=0)
    out = str(tmp_path / "run")
    train(config, out, progress=False, figures=False)
    with open(os.path.join(out, "metrics.jsonl"), "a") as f:
        f.write('{"step": 21, "loss_d": 0.6')                  # torn: no end, no newline
    train(TrainConfig(**{**config.to_dict(), "iterations": 30}), out, resume=True, progress=False,
          figures=False)
    with open(os.path.join(out, "metrics.jsonl")) as f:
        assert [json.loads(line)["step"] for line in f] == list(range(1, 31))


@pytest.mark.parametrize("argv, message", [
    (["--set", "hidden"], "expected KEY=VALUE"),
    (["--set", "seed=1,2"], "--seeds"),
    (["--seeds", "4-1"], "range"),
    (["--workers", "0"], "--workers must be a positive integer, got 0"),
    (["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "give one"),
])
def test_bad_sweep_options_are_one_line_errors(argv, message, tmp_path, capsys):
    assert main(["sweep", "--out", str(tmp_path / "s"), *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_a_sweep_refuses_a_folder_that_holds_a_run(tmp_path):
    """A sweep's folder is its own: --out naming a run folder (from minirgan train) is refused
    before anything is written into it, so the run and the sweep's files do not mix."""
    from minirgan.sweep import run_sweep

    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "checkpoint.npz").write_bytes(b"")
    with pytest.raises(UserError, match="holds a training run"):
        run_sweep(tmp_path, seeds=[0], progress=False, figures=False, log=lambda line: None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["checkpoint.npz", "config.json"]
