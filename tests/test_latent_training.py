"""Training the latent model (``--model latent``, docs/latent.md): its autoencoder learns, its
decoded samples beat the untrained model's on held-out sines, a run is the same for the same
seed and resumes bitwise (after a stop at any phase, and after SIGKILL), and the options it does
not support are refused in one line that names them."""

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from minirgan.checkpoint import checkpoint_step, load_checkpoint
from minirgan.cli import main
from minirgan.config import TrainConfig
from minirgan.data import timegan_sines
from minirgan.metrics.mmd import mmd2
from minirgan.run import RunState
from minirgan.train import train

SMALL = dict(model="latent", data="sines", n_data=128, seq_len=8, hidden=8, noise_dim=4, batch=16,
             metrics_every=0, seed=3)


def small(**changes):
    return TrainConfig(**{**SMALL, **changes})


def checkpoint_arrays(folder):
    """Every array of a run's checkpoint: weights of G and D, both optimisers, step, RNG."""
    with np.load(os.path.join(folder, "checkpoint.npz"), allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def assert_same_checkpoint(a, b):
    a, b = checkpoint_arrays(a), checkpoint_arrays(b)
    assert sorted(a) == sorted(b)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)


def test_M13_autoencoder_learns_and_M15_decoded_samples_beat_the_untrained_model_on_held_out_sines(tmp_path):
    """Phase 1 takes the reconstruction error L_R (M13) well down; after phase 2 the decoded
    codes (M15) are much closer to held-out TimeGAN sines, by MMD² (RBF kernel, median
    bandwidth), than the untrained model's samples. Observed here: L_R 0.081 → 0.012 over the
    first and last 20 autoencoder steps, MMD² 0.49 → 0.066; the bounds ask for a third of L_R
    and 40 % less MMD²."""
    config = TrainConfig(model="latent", data="sines", n_data=512, seq_len=12, hidden=16, batch=32,
                         iterations=900, ae_iterations=500, checkpoint_every=900, metrics_every=0,
                         seed=0)
    initial = RunState(config)
    held_out = initial.scaler.transform(timegan_sines(300, 12, dim=5, rng=2024))
    before = mmd2(initial.G.sample(300, np.random.default_rng(1)), held_out)
    state, history = train(config, tmp_path, progress=False, figures=False)
    reconstruction = [r["loss_ae"] for r in history if "loss_ae" in r]
    assert len(reconstruction) == 500 and all("loss_d" in r for r in history[500:])
    first, last = np.mean(reconstruction[:20]), np.mean(reconstruction[-20:])
    after = mmd2(state.G.sample(300, np.random.default_rng(1)), held_out)
    print(f"L_R {first:.4f} -> {last:.4f}; MMD² {before:.3f} untrained, {after:.3f} trained")
    assert last < first / 3, f"L_R {first:.4f} -> {last:.4f}"
    assert after < 0.6 * before, f"MMD² {before:.3f} untrained, {after:.3f} trained"


def test_same_seed_same_latent_run(tmp_path):
    for name in ("a", "b"):
        train(small(iterations=30, ae_iterations=15, checkpoint_every=10), tmp_path / name,
              progress=False, figures=False)
    assert_same_checkpoint(tmp_path / "a", tmp_path / "b")
    other = small(iterations=30, ae_iterations=15, checkpoint_every=10, seed=4)
    train(other, tmp_path / "c", progress=False, figures=False)
    assert not np.array_equal(checkpoint_arrays(tmp_path / "a")["G/gen.l0.W_hy"],
                              checkpoint_arrays(tmp_path / "c")["G/gen.l0.W_hy"])


@pytest.mark.parametrize("stop", [7, 15, 16, 24])
def test_resumed_latent_run_equals_the_uninterrupted_one(tmp_path, stop):
    """A run stopped inside phase 1 (7), at its last step (15), at the first step of phase 2
    (16: G's optimiser was just reset) or inside phase 2 (24), then resumed, ends with bitwise
    the uninterrupted run's checkpoint (weights, optimisers, RNG) and metrics."""
    config = small(iterations=30, ae_iterations=15, checkpoint_every=30)
    train(config, tmp_path / "full", progress=False, figures=False)
    train(small(iterations=stop, ae_iterations=15, checkpoint_every=30), tmp_path / "part",
          progress=False, figures=False)
    train(config, tmp_path / "part", resume=True, progress=False, figures=False)
    assert_same_checkpoint(tmp_path / "full", tmp_path / "part")
    read = lambda name: (tmp_path / name / "metrics.jsonl").read_text()
    assert read("full") == read("part")


def test_a_killed_latent_run_resumes_to_the_uninterrupted_weights(tmp_path):
    """SIGKILL while ``minirgan train --model latent`` runs, once its checkpoint is past the
    autoencoder's phase; ``--resume`` then ends with the uninterrupted run's checkpoint, bit for bit."""
    args = ["--model", "latent", "--n-data", "128", "--seq-len", "8", "--hidden", "8", "--noise-dim", "4",
            "--batch", "16", "--metrics-every", "0", "--seed", "3", "--iterations", "300",
            "--ae-iterations", "100", "--checkpoint-every", "20", "--no-progress"]
    killed = tmp_path / "killed"
    process = subprocess.Popen([sys.executable, "-m", "minirgan", "train", *args, "--out", str(killed)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while (checkpoint_step_or_none(killed) or 0) <= 100 and process.poll() is None:
            assert time.monotonic() < deadline, "the run wrote no checkpoint past step 100 in 2 minutes"
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert 100 < checkpoint_step(killed / "checkpoint.npz") < 300, "killed too late to test a resume"
    assert main(["train", "--out", str(killed), "--resume", "--no-progress"]) == 0
    assert main(["train", *args, "--out", str(tmp_path / "full")]) == 0
    assert_same_checkpoint(tmp_path / "full", killed)


def checkpoint_step_or_none(folder):
    try:
        return checkpoint_step(folder / "checkpoint.npz")
    except ValueError:                  # being written (a rename is atomic, but be safe)
        return None


def test_latent_run_folder_samples_and_resumes_through_the_ordinary_commands(tmp_path, capsys):
    """``minirgan train --model latent`` writes the ordinary run folder; ``sample`` (also at
    another length: the decoder runs for any number of steps) reads it unchanged."""
    run = tmp_path / "run"
    assert main(["train", "--model", "latent", "--n-data", "64", "--seq-len", "8", "--hidden", "6",
                 "--noise-dim", "3", "--batch", "8", "--iterations", "12", "--checkpoint-every", "6",
                 "--metrics-every", "6", "--out", str(run), "--no-progress"]) == 0
    assert {"config.json", "data.npz", "metrics.jsonl", "checkpoint.npz", "losses.png"} <= set(os.listdir(run))
    saved = load_checkpoint(run / "checkpoint.npz")["config"]
    assert saved["model"] == "latent" and saved["ae_iterations"] == 4       # a third of 12
    assert main(["sample", str(run), "-n", "5", "-o", str(tmp_path / "s.npy")]) == 0
    assert main(["sample", str(run), "-n", "2", "--length", "20", "-o", str(tmp_path / "l.npy")]) == 0
    assert np.load(tmp_path / "s.npy").shape == (5, 8, 5) and np.load(tmp_path / "l.npy").shape == (2, 20, 5)
    assert "L_D" in capsys.readouterr().out          # the last step's record is the game's


@pytest.mark.parametrize("argv, flag", [
    (["--conditional", "--data", "rcgan-sines"], "--conditional"),
    (["--select-every", "5"], "--select-every"),
    (["--ema", "0.99"], "--ema"),
    (["--missing", "mask"], "--missing"),
    (["--static-columns", "sex"], "--static-columns"),
    (["--generator", "last_state"], "--generator"),
    (["--ae-iterations", "0"], "--ae-iterations"),
])
def test_options_the_latent_model_does_not_support_are_refused_in_one_line(argv, flag, tmp_path, capsys):
    code = main(["train", "--model", "latent", "--iterations", "12", "--out", str(tmp_path / "r"), *argv])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and flag in err[0], err
    assert not (tmp_path / "r").exists()


def test_ae_iterations_belongs_to_the_latent_model_and_variable_lengths_are_refused(tmp_path, capsys):
    assert main(["train", "--ae-iterations", "5", "--out", str(tmp_path / "r")]) == 2
    assert "--ae-iterations applies to the latent model only" in capsys.readouterr().err
    table = tmp_path / "long.csv"
    rows = [f"{k},{t},{np.sin(t + k):.4f}" for k in range(6) for t in range(4 + k)]
    table.write_text("id,t,value\n" + "\n".join(rows) + "\n")
    code = main(["train", "--model", "latent", "--data", str(table), "--sequence-key", "id",
                 "--time-column", "t", "--iterations", "4", "--out", str(tmp_path / "r")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "--model latent" in err[0] and "--seq-len" in err[0], err


def test_the_latent_model_is_a_sweep_setting():
    """``minirgan sweep --set model=rgan,latent`` (or ``--model latent`` as its base) makes runs
    of both models, each config valid; the rgan runs keep ae_iterations unset."""
    from minirgan.sweep.grid import grid, parse_setting
    key, values = parse_setting("model=rgan,latent")
    runs = grid(TrainConfig(iterations=30), [(key, values)], [0, 1])
    assert [(r.config.model, r.seed) for r in runs] == [("rgan", 0), ("rgan", 1), ("latent", 0), ("latent", 1)]
    assert runs[0].name == "model=rgan,seed=0" and all(r.config.ae_iterations is None for r in runs)
    assert {r.config.model for r in grid(TrainConfig(model="latent"), [], [0])} == {"latent"}
