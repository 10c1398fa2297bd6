"""Model selection inside a run (minirgan/selection.py): the held-out split, the best generator
kept in best.npz at the argmin of the recorded scores, sample and evaluate reading it, resume
keeping the best so far, and scoring that never changes what the run trains."""

import json

import numpy as np
import pytest

import minirgan.evaluate as evaluate_module
from conftest import small_train_config
from minirgan.cli import main
from minirgan.run import Run, RunState
from minirgan.selection import HOLDOUT, SelectionScore, holdout_split, load_best
from minirgan.train import train


def config(**kw):
    return small_train_config(**{"iterations": 12, "select_every": 3, "checkpoint_every": 4, **kw})


def records(folder):
    return [json.loads(line) for line in (folder / "metrics.jsonl").read_text().splitlines()]


def scores(folder):
    """{step: select_mmd2} of the run's metrics.jsonl."""
    return {r["step"]: r["select_mmd2"] for r in records(folder) if "select_mmd2" in r}


def test_holdout_split_is_a_partition_chosen_by_the_seed():
    keep, held = holdout_split(200, seed=5)
    assert len(held) == round(HOLDOUT * 200)
    np.testing.assert_array_equal(np.sort(np.concatenate([keep, held])), np.arange(200))
    np.testing.assert_array_equal(holdout_split(200, seed=5)[1], held)
    assert not np.array_equal(holdout_split(200, seed=6)[1], held)
    with pytest.raises(ValueError, match="select_every"):
        holdout_split(3, seed=0)


def test_training_never_sees_the_held_out_sequences():
    state = RunState(config())
    whole = RunState(config(select_every=0)).data
    keep, held = holdout_split(len(whole), seed=3)
    np.testing.assert_array_equal(state.data, whole[keep])
    np.testing.assert_array_equal(state.held_out, whole[held])


def test_best_is_the_argmin_of_the_recorded_scores_and_holds_its_weights(tmp_path):
    train(config(), tmp_path, progress=False, figures=False)
    recorded = scores(tmp_path)
    assert sorted(recorded) == [3, 6, 9, 12]          # every 3rd step and the last
    best = load_best(tmp_path / "best.npz")
    step = min(recorded, key=recorded.get)
    assert best["step"] == step and best["score"] == recorded[step]
    # the kept weights give the kept score again: they are G's at that step
    state = RunState(config())
    run = Run(tmp_path)
    assert run.which == "best" and run.generator_step == step
    again = SelectionScore(state.held_out, 3)(run.generator)
    assert again == recorded[step]


def test_scoring_does_not_change_the_training(tmp_path):
    a, _ = train(config(select_every=3), tmp_path / "a", progress=False, figures=False)
    b, _ = train(config(select_every=5), tmp_path / "b", progress=False, figures=False)
    for k in a.G.params:
        np.testing.assert_array_equal(a.G.params[k], b.G.params[k])
    strip = lambda rs: [{k: v for k, v in r.items() if k != "select_mmd2"} for r in rs]
    assert strip(records(tmp_path / "a")) == strip(records(tmp_path / "b"))


def test_sample_and_evaluate_use_best_unless_asked_for_last(tmp_path, monkeypatch):
    run_dir = tmp_path / "run"
    train(config(ema=0.9), run_dir, progress=False, figures=False)
    best, last = Run(run_dir, "best"), Run(run_dir, "last")
    assert last.generator_step == 12 and best.generator_step in scores(run_dir)
    saved = load_best(run_dir / "best.npz")
    for k, v in best.generator.params.items():                # ema: the averaged G is kept
        np.testing.assert_array_equal(v, saved["G_average"][k])
    for which, run in (([], best), (["--which", "last"], last)):
        out = tmp_path / f"s{len(which)}.npy"
        assert main(["sample", str(run_dir), "-n", "6", "-o", str(out)] + which) == 0
        np.testing.assert_array_equal(np.load(out), run.samples(6, 0))
    seen = {}

    def scored(real, fake, **kw):
        seen["fake"] = fake
        return {}

    monkeypatch.setattr(evaluate_module, "evaluate_samples", scored)
    metrics = evaluate_module.evaluate_run(run_dir, n=5, figures=False, progress=False)
    assert metrics["generator"] == {"which": "best", "step": best.generator_step}
    np.testing.assert_array_equal(seen["fake"], best.samples(5, 0))


def test_which_best_without_best_npz_is_one_line(tmp_path, capsys):
    train(config(select_every=0), tmp_path, progress=False, figures=False)
    assert Run(tmp_path).which == "last"
    assert main(["sample", str(tmp_path), "-n", "3", "-o", str(tmp_path / "s.npy"),
                 "--which", "best"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "best.npz" in err[0]


def test_resume_keeps_the_best_so_far(tmp_path):
    full = tmp_path / "full"
    train(config(), full, progress=False, figures=False)
    part = tmp_path / "part"
    train(config(iterations=6), part, progress=False, figures=False)
    train(config(), part, resume=True, progress=False, figures=False)
    assert scores(part) == scores(full)
    a, b = load_best(full / "best.npz"), load_best(part / "best.npz")
    assert (a["step"], a["score"]) == (b["step"], b["score"])
    for k in a["G"]:
        np.testing.assert_array_equal(a["G"][k], b["G"][k])


def test_resume_does_not_forget_an_earlier_best(tmp_path):
    """A best of score 0 (no MMD² can beat it) written before a resume is still the best after."""
    train(config(iterations=6), tmp_path, progress=False, figures=False)
    best = load_best(tmp_path / "best.npz")
    with np.load(tmp_path / "best.npz") as f:
        arrays = {k: f[k] for k in f.files}
    arrays["score"] = np.array(0.0)
    np.savez(tmp_path / "best.npz", **arrays)
    train(config(), tmp_path, resume=True, progress=False, figures=False)
    kept = load_best(tmp_path / "best.npz")
    assert (kept["step"], kept["score"]) == (best["step"], 0.0)


def test_a_padded_data_set_is_scored_on_its_real_steps_only(tmp_path):
    """Sequences of different lengths: G generates the held-out lengths, and what the data hold
    past each length (their padding) does not change the score."""
    rng = np.random.default_rng(4)
    lengths = rng.integers(2, 7, size=40)
    x = rng.uniform(size=(40, 6, 2)) * (np.arange(6)[None, :, None] < lengths[:, None, None])
    np.savez(tmp_path / "d.npz", x=x, lengths=lengths)
    run_dir = tmp_path / "run"
    train(config(data=str(tmp_path / "d.npz"), seq_len=None, n_data=None), run_dir, progress=False, figures=False)
    state = RunState(config(data=str(tmp_path / "d.npz"), seq_len=None, n_data=None))
    held, held_lengths = state.held_out, state.held_lengths
    np.testing.assert_array_equal(held_lengths, lengths[holdout_split(40, 3)[1]])
    G = Run(run_dir).generator
    other = held.copy()
    for n, L in enumerate(held_lengths):
        other[n, L:] = 7.0                                    # another padding
    score = SelectionScore(held, 3, lengths=held_lengths)(G)
    assert np.isfinite(score) and score == SelectionScore(other, 3, lengths=held_lengths)(G)
    assert load_best(run_dir / "best.npz")["score"] == min(scores(run_dir).values())


def test_train_names_every_file_it_wrote_best_npz_included(tmp_path, capsys):
    """The closing 'wrote RUN/: …' line lists the run's files as they are in the folder."""
    out = tmp_path / "run"
    assert main(["train", "--out", str(out), "--iterations", "6", "--select-every", "3", "--hidden", "4",
                 "--batch", "8", "--noise-dim", "2", "--seq-len", "6", "--n-data", "40",
                 "--metrics-every", "0", "--no-progress"]) == 0
    wrote = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("wrote"))
    assert (out / "best.npz").exists() and "best.npz" in wrote
    assert all(name in wrote for name in ("config.json", "data.npz", "checkpoint.npz", "metrics.jsonl"))
