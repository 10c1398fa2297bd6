"""What happens when a real user does real things (issue 11): Ctrl-C, a folder that holds a run,
divergence, a collapsed game, damaged checkpoints, real CSV files, tiny data sets, a wrong
--seq-len, a huge -n, mistyped options. docs/what_happens_when.md lists these cases.

Each case runs the command line as a user does (``python -m minirgan`` in a subprocess, with
NumPy's RuntimeWarning turned into an error) and checks the exit code, the one-line message,
that no traceback is printed, and that nothing was lost. Runs are tiny (a few steps, H = 4).
"""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from minirgan.checkpoint import load_checkpoint
from minirgan.guards import CollapseWatch, FiniteUpdates, TrainingDiverged
from minirgan.optim import SGD

TINY = ["--iterations", "4", "--hidden", "4", "--batch", "8", "--noise-dim", "2", "--seq-len", "8",
        "--n-data", "40", "--metrics-every", "0", "--no-progress"]


def cli(*args, cwd, timeout=120):
    """Run ``python -m minirgan ARGS`` as a user would; RuntimeWarnings are errors."""
    return subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-m", "minirgan", *map(str, args)],
                          cwd=cwd, capture_output=True, text=True, timeout=timeout)


def start(*args, cwd):
    return subprocess.Popen([sys.executable, "-W", "error::RuntimeWarning", "-m", "minirgan", *map(str, args)],
                            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def assert_clean(result, code, *phrases):
    """Exit code ``code``, every phrase in stderr's last line, no traceback anywhere; returns it."""
    assert result.returncode == code, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr + result.stdout
    last = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
    for phrase in phrases:
        assert phrase in last, (phrase, last)
    return last


def wait_for_steps(run, n, proc, limit=120):
    """Wait until ``run``/metrics.jsonl holds at least n records (the run is training)."""
    path = os.path.join(run, "metrics.jsonl")
    deadline = time.time() + limit
    while time.time() < deadline:
        assert proc.poll() is None, proc.communicate()
        if os.path.exists(path) and sum(1 for _ in open(path)) >= n:
            return
        time.sleep(0.2)
    raise AssertionError(f"no {n} steps in {limit} s")


def steps(run):
    return [json.loads(line)["step"] for line in open(os.path.join(run, "metrics.jsonl"))]


@pytest.fixture
def tiny_run(tmp_path):
    run = tmp_path / "run"
    assert_clean(cli("train", "--out", run, *TINY, cwd=tmp_path), 0)
    return run


# ---------------------------------------------------------------- §2 interrupts and run folders

def test_ctrl_c_checkpoints_the_last_step_says_how_to_resume_and_exits_130(tmp_path):
    run = tmp_path / "run"
    proc = start("train", "--out", run, *TINY[2:], "--iterations", "100000", "--checkpoint-every", "100000",
                 cwd=tmp_path)
    wait_for_steps(run, 5, proc)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    result = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    last = assert_clean(result, 130, "interrupted after step", f"minirgan train --out {run} --resume")
    saved = load_checkpoint(run / "checkpoint.npz")["step"]
    assert saved == steps(run)[-1] and f"after step {saved};" in last
    # ... and the run continues from there
    assert_clean(cli("train", "--out", run, "--resume", "--iterations", saved + 3, "--no-progress",
                     cwd=tmp_path), 0)
    assert steps(run) == list(range(1, saved + 4))


def test_a_folder_holding_a_run_is_refused_unless_resume_or_overwrite(tmp_path, tiny_run):
    before = (tiny_run / "checkpoint.npz").read_bytes()
    assert_clean(cli("train", "--out", tiny_run, *TINY, cwd=tmp_path), 2,
                 "already holds a run", "--resume", "--overwrite")
    assert (tiny_run / "checkpoint.npz").read_bytes() == before          # nothing lost
    result = cli("train", "--out", tiny_run, *TINY, "--seed", "1", "--overwrite", cwd=tmp_path)
    assert_clean(result, 0)
    assert "steps/s" in result.stdout                                   # §7: the cost of the run
    assert json.loads((tiny_run / "config.json").read_text())["seed"] == 1


def test_sigkill_while_checkpointing_every_step_leaves_a_loadable_run(tmp_path):
    run = tmp_path / "run"
    proc = start("train", "--out", run, *TINY[2:], "--iterations", "100000", "--checkpoint-every", "1",
                 cwd=tmp_path)
    wait_for_steps(run, 10, proc)
    proc.kill()
    proc.communicate()
    saved = load_checkpoint(run / "checkpoint.npz")["step"]
    assert saved >= 9
    assert_clean(cli("train", "--out", run, "--resume", "--iterations", saved + 2, "--no-progress",
                     cwd=tmp_path), 0)


# ---------------------------------------------------------------- §3 divergence and collapse

def test_a_diverging_run_stops_with_step_cause_checkpoint_and_hint(tmp_path):
    result = cli("train", "--out", tmp_path / "run", *TINY, "--lr", "1e308", cwd=tmp_path)
    assert_clean(result, 1, "training diverged at step 1", "is not finite",
                 "no checkpoint had been written yet", "--lr", "--clip")


def test_divergence_after_a_checkpoint_names_it_and_it_stays_good(tmp_path, monkeypatch):
    """A NaN gradient at step 3 is refused before the update; the step-2 checkpoint stays good."""
    import minirgan.missing as missing_module     # where train_step's moment loss is called
    import minirgan.train as train_module
    from minirgan.config import TrainConfig
    from minirgan.run import Run

    real, calls = missing_module.moment_loss, {"n": 0}

    def nan_at_third_step(x_fake, x, *args, **kwargs):
        loss, grad = real(x_fake, x, *args, **kwargs)
        calls["n"] += 1
        return loss, (grad * np.nan if calls["n"] == 3 else grad)

    monkeypatch.setattr(missing_module, "moment_loss", nan_at_third_step)
    monkeypatch.setattr(train_module, "trial_step", lambda state: None)   # count the run's steps only
    config = TrainConfig(iterations=6, hidden=4, batch=8, noise_dim=2, seq_len=8, n_data=40,
                         metrics_every=0, checkpoint_every=2)
    with pytest.raises(TrainingDiverged, match=r"diverged at step 3: a value inside the models became NaN "
                                               r"or inf \(dx contains .*the last good checkpoint \(step 2\)"):
        train_module.train(config, tmp_path / "run", progress=False, figures=False)
    assert np.isfinite(Run(tmp_path / "run").samples(16)).all()


def test_non_finite_gradients_never_reach_the_parameters():
    params = {"W": np.ones((2, 2))}
    guarded = FiniteUpdates(SGD(lr=0.1), "discriminator")
    with pytest.raises(TrainingDiverged, match="discriminator's gradient of W is not finite"):
        guarded.step(params, {"W": np.array([[1.0, np.nan], [0.0, 0.0]])})
    np.testing.assert_array_equal(params["W"], np.ones((2, 2)))
    with np.errstate(over="ignore"), pytest.raises(TrainingDiverged, match="update overflowed"):
        FiniteUpdates(SGD(lr=1e308), "generator").step(params, {"W": np.full((2, 2), -1e308)})
    np.testing.assert_array_equal(params["W"], np.ones((2, 2)))       # the overflowing update undone


def test_a_collapsed_game_is_warned_about_in_the_log_and_at_the_end(tmp_path):
    # --lr 30 saturates D with losses of 10-30; --lr 1e6 now diverges (exit 1, tests/test_failures.py)
    result = cli("train", "--out", tmp_path / "run", *TINY, "--iterations", "30", "--lr", "30",
                 "--collapse-window", "10", cwd=tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "warning: step" in result.stderr and "the game has collapsed" in result.stderr
    assert "warning: the game was collapsed in steps" in result.stderr


def test_the_collapse_rule():
    watch = CollapseWatch(3)
    fed = [watch.update({"step": s, "d_fake": d}) for s, d in enumerate([0.5, 0.001, 0.999, 0.0, 0.5], 1)]
    assert fed[3] is not None and "since step 2" in fed[3] and fed[:3] == [None] * 3
    assert watch.summary() == [s for s in watch.summary() if "steps 2-4" in s] and len(watch.summary()) == 1


# ---------------------------------------------------------------- §4 damaged and foreign files

DAMAGE = {"truncated": lambda b: b[: len(b) // 3], "random bytes": lambda b: os.urandom(len(b))}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
@pytest.mark.parametrize("command", ["sample", "evaluate", "resume"])
def test_a_damaged_checkpoint_is_one_clear_line_naming_the_file(tmp_path, tiny_run, damage, command):
    path = tiny_run / "checkpoint.npz"
    path.write_bytes(DAMAGE[damage](path.read_bytes()))
    argv = {"sample": ["sample", tiny_run, "-n", "3", "-o", tmp_path / "s.npy"],
            "evaluate": ["evaluate", tiny_run, "--fast", "--no-progress"],
            "resume": ["train", "--out", tiny_run, "--resume", "--no-progress"]}[command]
    last = assert_clean(cli(*argv, cwd=tmp_path), 2, str(path), "delete it and train again")
    assert "pickle" not in last


def test_a_damaged_config_json_is_named_on_resume(tmp_path, tiny_run):
    (tiny_run / "config.json").write_text('{"hidden": 4,')
    assert_clean(cli("train", "--out", tiny_run, "--resume", "--no-progress", cwd=tmp_path), 2,
                 "config.json is not a readable run configuration")


# ---------------------------------------------------------------- §5 data a real user has

def write_prices(path, sep=","):
    rng = np.random.default_rng(0)
    close = 100 + np.cumsum(rng.normal(size=60))
    rows = [sep.join(["date", "symbol", "open", "close", "volume"])]
    for k in range(60):
        day = np.datetime64("2024-01-01") + k
        rows.append(sep.join([str(day), "GOOG", f"{close[k] - 0.5:.3f}", f"{close[k]:.3f}", str(1000 + 10 * k)]))
    path.write_text("\n".join(rows) + "\n")
    return path


def test_a_csv_with_a_date_column_trains(tmp_path):
    csv = tmp_path / "prices.csv"
    csv.write_text("date,open,close\n" + "".join(f"2024-01-{d:02d},{d},{d * d % 7}\n" for d in range(1, 31)))
    assert_clean(cli("train", "--data", csv, "--out", tmp_path / "run", "--iterations", "2", "--hidden", "4",
                     "--batch", "8", "--seq-len", "8", "--metrics-every", "0", "--no-progress", cwd=tmp_path), 0)
    info = load_checkpoint(tmp_path / "run" / "checkpoint.npz")["data_info"]
    assert info["features"] == 2 and info["time_index"]["first"] == "2024-01-01"


def test_columns_and_delimiter_on_the_command_line(tmp_path):
    csv = write_prices(tmp_path / "prices.csv", sep=";")
    assert_clean(cli("train", "--data", csv, "--out", tmp_path / "r0", *TINY, cwd=tmp_path), 2,
                 "'GOOG' is not a number", "--columns")
    assert_clean(cli("train", "--data", csv, "--columns", "close,volume", "--delimiter", ";",
                     "--out", tmp_path / "run", *TINY, cwd=tmp_path), 0)
    saved = load_checkpoint(tmp_path / "run" / "checkpoint.npz")
    assert saved["data_info"]["columns"] == [4, 5] and saved["config"]["columns"] == "close,volume"


@pytest.mark.parametrize("n_sequences", [1, 3])
def test_data_sets_smaller_than_the_batch_train_and_draw_their_figures(tmp_path, n_sequences):
    data = np.random.default_rng(1).random((n_sequences, 8, 2))
    np.save(tmp_path / "few.npy", data)
    run = tmp_path / "run"
    assert_clean(cli("train", "--data", tmp_path / "few.npy", "--out", run, "--iterations", "3", "--hidden", "4",
                     "--batch", "64", "--metrics-every", "0", "--no-progress", cwd=tmp_path), 0)
    assert (run / "samples.png").exists() and load_checkpoint(run / "checkpoint.npz")["step"] == 3


def test_seq_len_that_a_npy_file_cannot_give_is_refused_and_config_records_the_t_used(tmp_path):
    np.save(tmp_path / "seqs.npy", np.random.default_rng(2).random((20, 7, 2)))
    args = ["train", "--data", tmp_path / "seqs.npy", "--iterations", "2", "--hidden", "4", "--batch", "8",
            "--metrics-every", "0", "--no-progress"]
    assert_clean(cli(*args, "--seq-len", "24", "--out", tmp_path / "bad", cwd=tmp_path), 2,
                 "its sequences have T=7 steps, but seq_len=24", "--seq-len")
    assert not (tmp_path / "bad").exists()
    assert_clean(cli(*args, "--out", tmp_path / "run", cwd=tmp_path), 0)
    assert json.loads((tmp_path / "run" / "config.json").read_text())["seq_len"] == 7


def test_sample_n_beyond_the_disk_is_refused_at_once(tmp_path, tiny_run):
    result = cli("sample", tiny_run, "-n", 10 ** 12, "-o", tmp_path / "huge.npy", cwd=tmp_path, timeout=60)
    assert_clean(result, 2, "GB", "ask for fewer (-n)")
    assert not (tmp_path / "huge.npy").exists()


def test_the_disk_check_of_sample_gives_its_sizes_as_every_size_message_does(tmp_path, monkeypatch):
    """Both sizes through memory_budget.format_bytes (here MB, where a hand-made GB said 0.0048 GB)."""
    import shutil
    from types import SimpleNamespace
    from minirgan.memory_budget import format_bytes
    from minirgan.models import Generator
    from minirgan.run import write_samples

    G, free = Generator(2, 3, noise_dim=2, rng=0), 10 ** 6
    monkeypatch.setattr(shutil, "disk_usage", lambda folder: SimpleNamespace(free=free))
    with pytest.raises(ValueError) as err:
        write_samples(G, None, 10 ** 5, 0, tmp_path / "s.npy")
    needed = 8 * 10 ** 5 * G.seq_len * G.features + 4096
    assert f"take {format_bytes(needed)} as float64" in str(err.value) and " MB as" in str(err.value)
    assert f"has {format_bytes(free)} free: ask for fewer (-n)" in str(err.value)
    assert not os.listdir(tmp_path)


def test_sample_writes_in_chunks_the_same_samples(tmp_path, tiny_run):
    from minirgan.run import Run
    assert_clean(cli("sample", tiny_run, "-n", 2500, "-o", tmp_path / "s.npy", "--seed", 3, cwd=tmp_path), 0)
    np.testing.assert_array_equal(np.load(tmp_path / "s.npy"), Run(tiny_run).samples(2500, seed=3))


# ---------------------------------------------------------------- §6 messages that name what was typed

def test_a_bad_lr_names_the_flag_typed(tmp_path):
    assert_clean(cli("train", "--lr", "-1", *TINY, "--out", tmp_path / "run", cwd=tmp_path), 2,
                 "--lr must be > 0, got -1.0")
    assert_clean(cli("train", "--lr-d", "0", *TINY, "--out", tmp_path / "run", cwd=tmp_path), 2,
                 "--lr-d must be > 0")
    assert not (tmp_path / "run").exists()


def test_version_and_help_texts(tmp_path):
    from minirgan import __version__
    result = cli("--version", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == f"minirgan {__version__}"
    text = cli("train", "--help", cwd=tmp_path).stdout
    assert "(default: None)" not in text and "default: 0.001" in " ".join(text.split())
