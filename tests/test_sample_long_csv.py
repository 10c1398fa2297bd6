"""``minirgan sample --length L`` (a recurrent generator run past its trained length) and
``.csv`` output with the data's column names and its time index continued."""

import csv

import numpy as np
import pytest

from minirgan.cli import main
from minirgan.datasets.csv_output import continued_times, write_samples_csv
from minirgan.models import Generator

TINY = ["--iterations", "3", "--batch", "8", "--hidden", "5", "--noise-dim", "2", "--seq-len", "6",
        "--checkpoint-every", "3", "--no-progress"]


@pytest.fixture(scope="module")
def dated_run(tmp_path_factory):
    """A run trained on a dated CSV (newest row first, one row a day)."""
    folder = tmp_path_factory.mktemp("dated")
    days = [f"2024-01-{d:02d}" for d in range(1, 31)]
    lines = ["date,open,volume"] + [f"{d},{100 + i % 7},{1000 + 37 * (i % 5)}" for i, d in enumerate(days)][::-1]
    (folder / "prices.csv").write_text("\n".join(lines) + "\n")
    run = folder / "run"
    assert main(["train", "--data", str(folder / "prices.csv"), "--out", str(run)] + TINY) == 0
    return folder, run


def test_length_runs_the_generator_longer_and_keeps_the_first_steps(dated_run, capsys):
    folder, run = dated_run
    assert main(["sample", str(run), "-n", "2", "-o", str(folder / "short.npy"), "--seed", "1"]) == 0
    assert main(["sample", str(run), "-n", "2", "--length", "50", "-o", str(folder / "long.npy"),
                 "--seed", "1"]) == 0
    short, long = np.load(folder / "short.npy"), np.load(folder / "long.npy")
    assert short.shape == (2, 6, 2) and long.shape == (2, 50, 2)
    # static noise (the default): the same z, so the first T steps are the trained-length sample
    np.testing.assert_allclose(long[:, :6], short, rtol=1e-12)


def test_csv_output_has_the_data_columns_and_continues_its_dates(dated_run, capsys):
    folder, run = dated_run
    out = folder / "s.csv"
    assert main(["sample", str(run), "-n", "2", "--length", "4", "-o", str(out)]) == 0
    rows = list(csv.reader(out.open()))
    assert rows[0] == ["sample", "step", "date", "open", "volume"]
    assert len(rows) == 1 + 2 * 4
    assert [r[2] for r in rows[1:5]] == [f"2024-01-{d}T00:00:00" for d in (31,)] + \
        [f"2024-02-0{d}T00:00:00" for d in (1, 2, 3)]
    assert [r[:2] for r in rows[5:7]] == [["1", "0"], ["1", "1"]]
    values = np.array([[float(v) for v in r[3:]] for r in rows[1:]])
    npy = folder / "s.npy"
    assert main(["sample", str(run), "-n", "2", "--length", "4", "-o", str(npy)]) == 0
    np.testing.assert_array_equal(values, np.load(npy).reshape(-1, 2))     # repr: exact round trip


def test_csv_without_header_or_time_index():
    assert continued_times(None, 3) is None
    with pytest.raises(ValueError, match="name the 2 features"):
        write_samples_csv("/dev/null", np.zeros((1, 2, 2)), ["a"])


def test_the_last_state_generator_cannot_run_longer():
    G = Generator(2, 3, noise_dim=2, form="last_state", rng=0)
    assert G.sample(4, np.random.default_rng(0)).shape == (4, 3, 2)
    with pytest.raises(ValueError, match="exactly seq_len = 3"):
        G.sample(4, np.random.default_rng(0), seq_len=5)


def test_bad_length_and_suffix_are_one_clear_line(dated_run, capsys):
    _, run = dated_run
    assert main(["sample", str(run), "--length", "0"]) == 2
    assert "--length must be a positive integer, got 0" in capsys.readouterr().err
    assert main(["sample", str(run), "-o", "x.txt"]) == 2
    assert ".npy, .npz or .csv" in capsys.readouterr().err
