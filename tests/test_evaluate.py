"""Tests of minirgan.evaluate and ``minirgan evaluate``: units, PCA, figures, metrics.json."""

import json
import os

import numpy as np
import pytest

from conftest import sines
from minirgan import evaluate as ev
from minirgan.cli import main
from minirgan.config import TrainConfig
from minirgan.plots import pca_projection
from minirgan.run import Run, RunState
from minirgan.train import train


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """A tiny trained run (a few steps: the point is the plumbing, not the quality)."""
    out = str(tmp_path_factory.mktemp("run"))
    config = TrainConfig(iterations=3, n_data=60, hidden=4, batch=8, seq_len=8, checkpoint_every=3)
    train(config, out_dir=out, progress=False, figures=False)
    return out


def test_data_in_unit_interval_keep_their_units_others_are_min_max_scaled():
    rng = np.random.default_rng(0)
    real, fake = sines(20, rng, T=12, F=3), sines(20, rng, T=12, F=3)
    r, f, units = ev.to_unit_interval(real, fake)
    assert units == "data" and r is real and f is fake
    r, f, units = ev.to_unit_interval(10 * real - 3, 10 * fake - 3)
    assert units == "min-max scaled"
    assert np.allclose(r.min(axis=(0, 1)), 0) and np.allclose(r.max(axis=(0, 1)), 1)
    # the same map for both sets: generated values keep their place relative to real ones
    lo, hi = real.min(axis=(0, 1)), real.max(axis=(0, 1))
    assert np.allclose(f, (fake - lo) / (hi - lo))


def test_pca_of_data_on_a_line_puts_all_variance_on_the_first_component():
    rng = np.random.default_rng(1)
    direction = rng.standard_normal((4, 2))
    real = rng.standard_normal(50)[:, None, None] * direction[None]
    fake = 2.0 * direction[None].repeat(3, axis=0)
    rp, fp, explained = pca_projection(real, fake)
    assert explained[0] == pytest.approx(1.0) and explained[1] == pytest.approx(0.0, abs=1e-12)
    assert np.allclose(rp.mean(axis=0), 0.0)
    # a generated point on the same line projects to its coordinate along it, off-axis part 0
    expected = np.linalg.norm((2.0 * direction - real.mean(axis=0)).ravel())
    assert abs(fp[0, 0]) == pytest.approx(expected) and fp[0, 1] == pytest.approx(0.0, abs=1e-9)


def test_evaluate_samples_reports_every_metric(monkeypatch):
    monkeypatch.setitem(ev.FAST, "disc_iterations", 20)
    monkeypatch.setitem(ev.FAST, "pred_iterations", 20)
    monkeypatch.setitem(ev.FAST, "fid_iterations", 20)
    rng = np.random.default_rng(2)
    m = ev.evaluate_samples(sines(50, rng, T=12, F=3), sines(40, rng, T=12, F=3), fast=True, repeats=2, rng=0)
    assert m["n_real"] == 50 and m["n_generated"] == 40 and m["repeats"] == 2
    assert len(m["discriminative_score"]["scores"]) == 2
    assert len(m["predictive_score"]["scores"]) == 2
    assert 0.0 <= m["discriminative_score"]["mean"] <= 0.5
    assert m["mmd2"] >= 0.0 and m["acf_distance"] >= 0.0 and m["diversity"] > 0.0
    assert m["context_fid"]["mean"] >= 0.0 and m["correlational_score"]["mean"] >= 0.0
    assert 0.0 <= m["prdc"]["coverage"] <= 1.0 and m["verdict"].startswith("too noisy to read: only 40 sequences")
    assert m["verdict"].endswith(ev.coverage_verdict(m["prdc"]["coverage"]))
    json.dumps(m)   # JSON-ready
    lines = ev.summary_lines(m)
    assert any("discriminative score" in line for line in lines)
    assert f"verdict: {m['verdict']}" in lines


def test_the_verdict_on_mode_collapse_reads_the_coverage():
    assert ev.coverage_verdict(0.2).startswith("mode collapse: the generated set reaches 20%")
    assert ev.coverage_verdict(0.6).startswith("partial coverage")
    assert ev.coverage_verdict(0.95).startswith("covers the data")


def test_a_collapsed_generator_is_called_collapsed_whatever_its_spread(monkeypatch):
    monkeypatch.setitem(ev.FAST, "disc_iterations", 20)
    monkeypatch.setitem(ev.FAST, "pred_iterations", 20)
    monkeypatch.setitem(ev.FAST, "fid_iterations", 20)
    rng = np.random.default_rng(3)
    real = sines(200, rng, T=12, F=3)
    few = np.tile(real[:4], (50, 1, 1))          # 4 real sequences repeated: a spread like the data's
    m = ev.evaluate_samples(real, few, fast=True, rng=0)
    assert m["diversity"] > 0.5 and "the coverage alone says: mode collapse" in m["verdict"]


def test_evaluate_run_writes_metrics_and_figures(run_dir, monkeypatch):
    monkeypatch.setitem(ev.FAST, "disc_iterations", 20)
    monkeypatch.setitem(ev.FAST, "pred_iterations", 20)
    monkeypatch.setitem(ev.FAST, "fid_iterations", 20)
    metrics = ev.evaluate_run(run_dir, n=30, fast=True, progress=False)
    for name in ev.EVALUATION_FILES.values():
        assert os.path.getsize(os.path.join(run_dir, name)) > 0, name
    with open(os.path.join(run_dir, "metrics.json")) as f:
        saved = json.load(f)
    assert saved["n_real"] == 60 and saved["n_generated"] == 30
    assert saved["discriminative_score"] == metrics["discriminative_score"]


def test_evaluate_run_opens_the_run_once(run_dir, monkeypatch):
    """The run folder is one object: its checkpoint is read a single time per evaluation."""
    import minirgan.checkpoint as ckpt
    monkeypatch.setitem(ev.FAST, "disc_iterations", 5)
    monkeypatch.setitem(ev.FAST, "pred_iterations", 5)
    reads = []
    real_load = ckpt.load_checkpoint
    monkeypatch.setattr(ckpt, "load_checkpoint", lambda path: reads.append(path) or real_load(path))
    ev.evaluate_run(run_dir, n=10, fast=True, progress=False, figures=False)
    assert len(reads) == 1


def test_run_real_data_regenerates_the_training_data(run_dir):
    run = Run(run_dir)
    real = run.real_data()
    state = RunState(TrainConfig.load(os.path.join(run_dir, "config.json")))
    np.testing.assert_array_equal(real, state.scaler.inverse_transform(state.data))
    assert run.info["features"] == real.shape[2] and run.step == 3
    assert [r["step"] for r in run.history()] == [1, 2, 3]
    np.testing.assert_array_equal(run.samples(4, seed=5), run.samples(4, seed=5))
    assert not np.array_equal(run.samples(4, seed=5), run.samples(4, seed=6))


def test_cli_evaluate_prints_a_summary(run_dir, monkeypatch, capsys):
    monkeypatch.setitem(ev.FAST, "disc_iterations", 10)
    monkeypatch.setitem(ev.FAST, "pred_iterations", 10)
    assert main(["evaluate", run_dir, "-n", "20", "--fast", "--no-figures", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "discriminative score" in out and "metrics.json" in out


def test_cli_evaluate_rejects_bad_input(run_dir, tmp_path, capsys):
    assert main(["evaluate", run_dir, "-n", "1", "--no-progress"]) == 2
    assert "-n must be an integer >= 2, got 1" in capsys.readouterr().err
    assert main(["evaluate", run_dir, "--workers", "0", "--no-progress"]) == 2
    assert "--workers must be a positive integer, got 0" in capsys.readouterr().err
    assert main(["evaluate", str(tmp_path / "missing"), "--no-progress"]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_training_logs_quick_metrics_without_changing_the_run(tmp_path):
    small = dict(iterations=4, n_data=40, hidden=3, batch=8, seq_len=6, checkpoint_every=4)
    state_on, history = train(TrainConfig(metrics_every=2, **small), out_dir=str(tmp_path / "on"),
                              progress=False, figures=False)
    state_off, _ = train(TrainConfig(metrics_every=0, **small), out_dir=str(tmp_path / "off"),
                         progress=False, figures=False)
    logged = [r["step"] for r in history if "mmd2" in r]
    assert logged == [2, 4]
    assert all({"acf_distance", "diversity"} <= set(r) for r in history if "mmd2" in r)
    with open(tmp_path / "on" / "metrics.jsonl") as f:
        assert sum("mmd2" in json.loads(line) for line in f) == 2
    # the metrics draw from their own stream: the trained weights are the same either way
    for k in state_on.G.params:
        assert np.array_equal(state_on.G.params[k], state_off.G.params[k])


def test_metrics_every_must_be_a_nonnegative_integer():
    with pytest.raises(ValueError, match="metrics_every"):
        TrainConfig(metrics_every=-1).validate()
