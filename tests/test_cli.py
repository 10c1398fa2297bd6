"""The command line end to end: ``minirgan train`` writes a complete run folder, ``minirgan
sample`` writes samples in the data's original units, resume and seeds behave, and bad input
gets one clear line with exit code 2."""

import json

import numpy as np
import pytest

from minirgan.cli import main

TINY = ["--iterations", "4", "--batch", "8", "--hidden", "5", "--noise-dim", "2", "--seq-len", "8",
        "--checkpoint-every", "2", "--no-progress"]
RUN_FILES = {"config.json", "metrics.jsonl", "checkpoint.npz", "samples.png", "losses.png",
             "d_outputs.png"}


@pytest.fixture
def series_csv(tmp_path):
    """A two-column CSV series far from [0, 1], so the inverse scaling is visible."""
    t = np.arange(200)
    data = np.stack([100 + 50 * np.sin(0.2 * t), -3 + np.cos(0.05 * t)], axis=1)
    path = tmp_path / "series.csv"
    np.savetxt(path, data, delimiter=",", header="price,temperature", comments="")
    return path, data


def test_train_then_sample_end_to_end(tmp_path, series_csv, capsys):
    csv, data = series_csv
    run = tmp_path / "run"
    assert main(["train", "--data", str(csv), "--out", str(run)] + TINY) == 0
    assert RUN_FILES <= {p.name for p in run.iterdir()}
    out = capsys.readouterr().out
    assert str(run) in out and "minirgan sample" in out
    records = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in records] == [1, 2, 3, 4]
    assert json.loads((run / "config.json").read_text())["data"] == str(csv)

    samples = tmp_path / "s.npy"
    assert main(["sample", str(run), "-n", "7", "-o", str(samples)]) == 0
    x = np.load(samples, allow_pickle=False)
    assert x.shape == (7, 8, 2)
    # in the data's units: inside each column's range, far outside [0, 1] for the first one
    assert np.all(x.min(axis=(0, 1)) >= data.min(axis=0)) and np.all(x.max(axis=(0, 1)) <= data.max(axis=0))
    assert x[..., 0].mean() > 40


def test_same_seed_same_samples(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["train", "--n-data", "50", "--out", str(run)] + TINY) == 0
    for name, seed in (("a.npy", "3"), ("b.npy", "3"), ("c.npy", "4")):
        assert main(["sample", str(run), "-n", "5", "-o", str(tmp_path / name), "--seed", seed]) == 0
    a, b, c = (np.load(tmp_path / n) for n in ("a.npy", "b.npy", "c.npy"))
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_resume_continues_to_the_requested_iterations(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["train", "--n-data", "50", "--out", str(run)] + TINY) == 0
    assert main(["train", "--out", str(run), "--resume", "--iterations", "6", "--no-progress"]) == 0
    steps = [json.loads(line)["step"] for line in (run / "metrics.jsonl").read_text().splitlines()]
    assert steps == [1, 2, 3, 4, 5, 6]
    assert main(["train", "--out", str(run), "--resume", "--hidden", "9", "--no-progress"]) == 2
    assert "cannot resume" in capsys.readouterr().err


@pytest.mark.parametrize("argv,message", [
    (["train", "--data", "no/such/file.csv"], "file not found"),
    (["train", "--data", "weather"], "unknown data set 'weather'"),
    (["train", "--resume"], "--resume needs --out"),
    (["train", "--hidden", "0"], "hidden must be a positive integer"),
    (["sample", "no/such/run"], "not a folder"),
])
def test_bad_input_is_one_clear_line_with_exit_code_2(argv, message, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv + ["--no-progress"] if argv[0] == "train" else argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and "Traceback" not in err[0]
    assert not (tmp_path / "runs").exists()          # nothing written before the error


def test_bad_csv_cell_is_reported_before_training(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n3,x\n" + "".join(f"{i},{i}\n" for i in range(40)))
    assert main(["train", "--data", str(bad), "--out", str(tmp_path / "run")] + TINY) == 2
    err = capsys.readouterr().err
    assert "bad.csv" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "run").exists()


def test_train_options_offer_the_choice_lists_of_their_owners():
    """Every field with a fixed set of values gets its choices from config.CHOICES (which
    takes each list from the module that owns it), none written out in the command."""
    from minirgan.cli import build_parser
    from minirgan.config import CHOICES
    from minirgan.models import CELL_TYPES

    train = build_parser()._subparsers._group_actions[0].choices["train"]
    offered = {a.dest: tuple(a.choices) for a in train._actions if a.choices}
    assert offered == {field: tuple(values) for field, values in CHOICES.items()}
    assert CHOICES["cell"] is CELL_TYPES
