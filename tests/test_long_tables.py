"""Long tables (one row per step, --sequence-key, --time-column) and .npz padded batches as
training data, kept whole at their own lengths, and `sample` writing them back (issue 25 §1)."""

import csv
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from minirgan.data import DataError, load_dataset, load_labelled_dataset
from minirgan.run import Run


def long_frame(n=24, seed=0):
    """n sequences of 2 to 6 steps, keyed "s0".., labels "up"/"down", time column t, rows shuffled."""
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(n):
        label = ("up", "down")[s % 2]
        for t in range(int(rng.integers(2, 7))):
            rows.append({"key": f"s{s}", "t": 10.0 + 5.0 * t, "a": t + rng.normal(0, 0.1) * (s % 2),
                         "b": rng.normal(), "label": label})
    return pd.DataFrame(rows)


def test_a_long_table_becomes_padded_sequences_in_time_order_with_their_lengths():
    frame = long_frame()
    shuffled = frame.sample(frac=1, random_state=1)
    x, classes, labels, scaler, info = load_labelled_dataset(shuffled, sequence_key="key", time_column="t",
                                                             label_column="label")
    lengths = np.array(info["lengths"])
    assert x.shape == (24, lengths.max(), 2) and info["feature_names"][0].endswith("('a')")
    first = shuffled["key"].iloc[0]
    raw = scaler.inverse_transform(x)
    want = frame[frame.key == first].sort_values("t")[["a", "b"]].to_numpy()
    np.testing.assert_allclose(raw[0, :lengths[0]], want, rtol=1e-12)      # time order restored
    for n, L in enumerate(lengths):
        assert not x[n, L:].any()                                          # zero padding
    assert labels.decode(classes[:1])[0] == frame[frame.key == first].label.iloc[0]
    assert info["time_column"] == {"name": "t", "kind": "number", "first": 10.0, "step": 5.0}
    # min-max over the real steps only: the padding's zeros do not stretch the range
    assert scaler.data_min[0] == pytest.approx(frame.a.min())


def test_seq_len_asks_for_windows_within_each_sequence_and_a_label_must_be_one_per_sequence():
    frame = long_frame()
    x, _, info = load_dataset(frame, sequence_key="key", columns="a,b", seq_len=3)
    lengths = frame.groupby("key", sort=False).size().to_numpy()
    assert x.shape == (int(np.sum(np.maximum(lengths - 2, 0))), 3, 2) and "lengths" not in info
    assert info["sequences_too_short"] == int(np.sum(lengths < 3))
    frame.loc[1, "label"] = "down"
    with pytest.raises(DataError, match="sequence 's0' has more than one label"):
        load_labelled_dataset(frame, sequence_key="key", label_column="label")
    with pytest.raises(DataError, match="give the sequence key column too"):
        load_dataset(frame, time_column="t")


def test_an_npz_of_x_and_lengths_is_a_padded_batch(tmp_path):
    rng = np.random.default_rng(2)
    x, lengths = rng.uniform(size=(5, 4, 3)), np.array([1, 4, 2, 3, 4])
    np.savez(tmp_path / "d.npz", x=x, lengths=lengths)
    data, scaler, info = load_dataset(tmp_path / "d.npz")
    assert info["lengths"] == lengths.tolist()
    np.testing.assert_allclose(scaler.inverse_transform(data)[1], x[1], rtol=1e-12)
    np.savez(tmp_path / "bad.npz", x=x)
    with pytest.raises(DataError, match="'lengths' is missing"):
        load_dataset(tmp_path / "bad.npz")


def minirgan(*args):
    return subprocess.run([sys.executable, "-m", "minirgan", *map(str, args)], capture_output=True,
                          text=True, timeout=300)


def test_a_long_csv_trains_conditionally_and_samples_per_label_to_a_long_csv(tmp_path):
    path = tmp_path / "long.csv"
    long_frame().sample(frac=1, random_state=3).to_csv(path, index=False)
    run = tmp_path / "run"
    done = minirgan("train", "--data", path, "--sequence-key", "key", "--time-column", "t",
                    "--label-column", "label", "--iterations", 3, "--hidden", 4, "--batch", 8,
                    "--out", run)
    assert done.returncode == 0, done.stderr
    saved = Run(run).run_data()
    assert saved.lengths is not None and saved.lengths.max() == saved.data.shape[1]
    out = tmp_path / "up.csv"
    done = minirgan("sample", run, "-n", 40, "--label", "up", "-o", out)
    assert done.returncode == 0, done.stderr
    with open(out, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["key", "t", "a", "b", "label"]
    table = pd.DataFrame(rows[1:], columns=rows[0])
    assert set(table.label) == {"up"}
    per_sequence = table.groupby("key", sort=False).size()
    real_up = saved.lengths[saved.classes == Run(run).label_map.encode_one("up")]
    assert set(per_sequence) <= set(real_up)               # lengths drawn from the class's own
    assert table.t.astype(float).groupby(table.key).min().eq(10.0).all()
    done = minirgan("sample", run, "-n", 5, "-o", tmp_path / "s.npz")
    with np.load(tmp_path / "s.npz") as f:
        assert f["x"].shape[0] == 5 and f["lengths"].shape == (5,)
    refused = minirgan("sample", run, "-n", 5, "-o", tmp_path / "s.npy")
    assert refused.returncode != 0 and "different lengths" in refused.stderr


def test_the_worked_examples_ts_reader_reads_unequal_multivariate_cases():
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1] / "benchmarks"))
    from japanese_vowels import read_ts

    text = "#c\n@problemName x\n@data\n1,2,3:4,5,6:a\n7:8:b\n"
    sequences, labels = read_ts(text)
    assert labels == ["a", "b"]
    np.testing.assert_array_equal(sequences[0], [[1, 4], [2, 5], [3, 6]])
    assert sequences[1].shape == (1, 2)
    with pytest.raises(ValueError, match="differ in length"):
        read_ts("1,2:3:a\n")


def test_an_unconditional_run_on_an_npz_resumes_on_its_own_lengths_and_samples_them(tmp_path):
    rng = np.random.default_rng(4)
    lengths = rng.integers(2, 7, size=30)
    x = rng.uniform(size=(30, 6, 2)) * (np.arange(6)[None, :, None] < lengths[:, None, None])
    np.savez(tmp_path / "d.npz", x=x, lengths=lengths)
    run = tmp_path / "run"
    common = ["--data", tmp_path / "d.npz", "--hidden", 4, "--batch", 8, "--out", run]
    assert minirgan("train", "--iterations", 2, *common).returncode == 0
    resumed = minirgan("train", "--iterations", 4, "--resume", *common)
    assert resumed.returncode == 0, resumed.stderr
    saved = Run(run)
    np.testing.assert_array_equal(saved.run_data().lengths, lengths)
    assert saved.step == 4
    samples = saved.samples(200, seed=1)
    drawn = saved.sample_lengths(200, seed=1)
    assert set(drawn) <= set(lengths) and samples.shape == (200, 6, 2)
    for n, L in enumerate(drawn):
        assert not samples[n, L:].any() and np.abs(samples[n, :L]).sum() > 0
    done = minirgan("sample", run, "-n", 4, "--seed", 1, "-o", tmp_path / "s.csv")
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(tmp_path / "s.csv")
    assert list(table.columns) == ["sequence", "feature 0", "feature 1"]     # an .npz names nothing
    assert table.groupby("sequence").size().tolist() == drawn[:4].tolist()


@pytest.mark.parametrize("damage", ["not a zip", "cut short", "empty"])
def test_a_damaged_npz_of_sequences_is_one_data_error(tmp_path, damage):
    """Whatever np.load raises on a damaged .npz (BadZipFile, EOFError, zlib.error, ...) becomes
    the data's one-line DataError, not a traceback at the command line."""
    np.savez_compressed(tmp_path / "good.npz", x=np.ones((5, 4, 3)), lengths=np.full(5, 4))
    good = (tmp_path / "good.npz").read_bytes()
    body = {"not a zip": b"PK\x03\x04" + b"garbage" * 10, "cut short": good[:len(good) // 2],
            "empty": b""}[damage]
    (tmp_path / "d.npz").write_bytes(body)
    with pytest.raises(DataError, match="d.npz"):
        load_dataset(tmp_path / "d.npz")
