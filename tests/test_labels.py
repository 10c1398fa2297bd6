"""Labels of any kind mapped to classes and back, and the labelled data sets."""

import numpy as np
import pytest

from minirgan.data import DataError, LabelMap, load_dataset, load_labelled_dataset


def test_label_map_sorts_encodes_and_decodes_any_kind():
    m, classes = LabelMap.fit(np.array(["walk", "run", "walk", "sit"]))
    assert m.classes == ["run", "sit", "walk"] and classes.tolist() == [2, 0, 2, 1]
    assert m.decode([2, 0]).tolist() == ["walk", "run"]
    m, classes = LabelMap.fit([10, 2, 2.0, np.int64(7)])        # 2.0 read from a file is 2
    assert m.classes == [2, 7, 10] and classes.tolist() == [2, 0, 0, 1]
    assert m.encode_one("10") == 2 and m.encode_one(7) == 1        # the CLI's text finds numbers
    with pytest.raises(ValueError, match=r"unknown label '3': the run's labels are \[2, 7, 10\]"):
        m.encode_one("3")
    assert LabelMap(m.to_json()).classes == m.classes              # JSON round trip


def test_label_map_rejects_what_json_cannot_hold():
    with pytest.raises(DataError, match=r"one per sequence, shape \(N,\), got \(2, 2\)"):
        LabelMap.fit([(1, 2), (3, 4)])
    with pytest.raises(DataError, match="strings or numbers"):
        LabelMap.fit([None, 1])
    with pytest.raises(DataError, match="strings or numbers"):
        LabelMap.fit([1.0, float("nan")])


@pytest.mark.parametrize("name, K", [("digits", 10), ("uci-digits", 10), ("rcgan-sines", 3)])
def test_embedded_sets_bring_their_labels_with_the_same_data(name, K):
    data, classes, m, _, info = load_labelled_dataset(name, n=300, rng=0)
    assert len(m) == K and info["labels"] == m.classes and classes.shape == (300,)
    assert set(classes.tolist()) == set(range(K))
    assert np.array_equal(data, load_dataset(name, n=300, rng=0)[0])


def test_sine_bands_are_frequency_bands():
    data, classes, m, _, _ = load_labelled_dataset("rcgan-sines", seq_len=60, n=600, rng=1)
    crossings = (np.diff(np.sign(data[:, :, 0] - 0.5), axis=1) != 0).sum(axis=1)
    mean = {m.classes[k]: crossings[classes == k].mean() for k in range(3)}
    assert mean["slow"] < mean["medium"] < mean["fast"]


def test_npy_with_a_labels_file(tmp_path):
    rng = np.random.default_rng(0)
    np.save(tmp_path / "x.npy", rng.random((40, 5, 2)))
    np.save(tmp_path / "y.npy", np.array(["a", "b"] * 20))
    data, classes, m, _, _ = load_labelled_dataset(tmp_path / "x.npy", labels=tmp_path / "y.npy", n=10)
    assert data.shape == (10, 5, 2) and m.classes == ["a", "b"] and classes.tolist() == [0, 1] * 5
    np.save(tmp_path / "short.npy", np.zeros(39))
    with pytest.raises(DataError, match=r"one label per sequence .* shape \(40,\), got \(39,\)"):
        load_labelled_dataset(tmp_path / "x.npy", labels=tmp_path / "short.npy")


@pytest.mark.parametrize("damage", ["an .npz named .npy", "not a zip", "empty"])
def test_a_labels_file_that_is_not_one_array_is_one_data_error(tmp_path, damage):
    """np.load of a labels file may return an NpzFile or raise BadZipFile/EOFError: each is the
    data's one-line DataError naming the file, not a traceback at the command line."""
    np.save(tmp_path / "x.npy", np.random.default_rng(0).random((40, 5, 2)))
    np.savez(tmp_path / "z.npz", y=np.arange(40) % 2)
    body = {"an .npz named .npy": (tmp_path / "z.npz").read_bytes(),
            "not a zip": b"PK\x03\x04" + b"garbage" * 10, "empty": b""}[damage]
    (tmp_path / "y.npy").write_bytes(body)
    with pytest.raises(DataError, match="y.npy"):
        load_labelled_dataset(tmp_path / "x.npy", labels=tmp_path / "y.npy")


def test_a_series_keeps_only_windows_within_one_label(tmp_path):
    np.save(tmp_path / "s.npy", np.random.default_rng(0).random((40, 2)))
    np.save(tmp_path / "l.npy", np.repeat([3, 7], 20))
    data, classes, m, _, info = load_labelled_dataset(tmp_path / "s.npy", labels=tmp_path / "l.npy", seq_len=5)
    assert data.shape == (32, 5, 2) and info["windows_dropped"] == 4
    assert m.classes == [3, 7] and np.bincount(classes).tolist() == [16, 16]


def test_missing_or_misplaced_labels_are_named(tmp_path):
    with pytest.raises(DataError, match="sines: has no labels"):
        load_labelled_dataset("sines")
    with pytest.raises(DataError, match="brings its own labels"):
        load_labelled_dataset("digits", labels=tmp_path / "y.npy")


def test_a_newest_first_csv_reverses_its_labels_with_its_rows(tmp_path):
    lines = ["date,value"] + [f"2020-01-{d:02d},{d}" for d in range(20, 0, -1)]   # newest first
    (tmp_path / "s.csv").write_text("\n".join(lines) + "\n")
    np.save(tmp_path / "l.npy", np.array(["late"] * 10 + ["early"] * 10))         # per file line
    data, classes, m, scaler, _ = load_labelled_dataset(tmp_path / "s.csv", labels=tmp_path / "l.npy", seq_len=3)
    values = scaler.inverse_transform(data)[:, 0, 0]                 # first day of each window
    early = classes == m.classes.index("early")
    assert values[early].max() <= 8 and values[~early].min() >= 11


def test_a_csv_label_column(tmp_path):
    lines = ["date,activity,x,y"] + [f"2020-01-{d:02d},{'walk' if d <= 12 else 'sit'},{d},{-d}"
                                     for d in range(1, 25)]
    (tmp_path / "a.csv").write_text("\n".join(lines) + "\n")
    data, classes, m, scaler, info = load_labelled_dataset(tmp_path / "a.csv", label_column="activity", seq_len=4)
    assert m.classes == ["sit", "walk"] and info["features"] == 2 and info["windows_dropped"] == 3
    first = scaler.inverse_transform(data)[:, 0, 0]
    assert first[classes == m.classes.index("walk")].max() <= 9
    np.save(tmp_path / "x.npy", np.zeros((3, 2, 1)))
    with pytest.raises(DataError, match="label_column applies to CSV files and DataFrames, not to a .npy"):
        load_labelled_dataset(tmp_path / "x.npy", label_column="a")
    (tmp_path / "b.csv").write_text("x,label\n1,a\n2,\n")
    with pytest.raises(DataError, match="line 3, column 2 \\('label'\\): no label"):
        load_labelled_dataset(tmp_path / "b.csv", label_column="label", seq_len=1)


def test_labels_with_too_many_classes_are_refused_unless_asked_for(tmp_path):
    """100 distinct float labels for 100 sequences are measurements, not classes (issue 23 Rule 5)."""
    rng = np.random.default_rng(0)
    np.save(tmp_path / "x.npy", rng.random((100, 4, 2)))
    np.save(tmp_path / "y.npy", rng.random(100))
    with pytest.raises(DataError, match=r"y.npy: 100 distinct labels for 100 sequences \(fewer than 5 per class "
                                        r"on average\): are they classes\? give --many-classes"):
        load_labelled_dataset(tmp_path / "x.npy", labels=tmp_path / "y.npy")
    _, classes, m, _, _ = load_labelled_dataset(tmp_path / "x.npy", labels=tmp_path / "y.npy", many_classes=True)
    assert len(m) == 100 and sorted(classes.tolist()) == list(range(100))
    np.save(tmp_path / "z.npy", np.arange(100) % 20)                 # 5 per class: classes
    assert len(load_labelled_dataset(tmp_path / "x.npy", labels=tmp_path / "z.npy")[2]) == 20


def test_too_many_classes_through_the_cli_is_one_line(tmp_path, capsys):
    from minirgan.cli import main
    rng = np.random.default_rng(1)
    np.save(tmp_path / "x.npy", rng.random((30, 4, 2)))
    np.save(tmp_path / "y.npy", rng.random(30))
    tiny = ["--iterations", "1", "--hidden", "3", "--batch", "4", "--metrics-every", "0", "--no-progress"]
    assert main(["train", "--data", str(tmp_path / "x.npy"), "--labels", str(tmp_path / "y.npy"),
                 "--out", str(tmp_path / "run")] + tiny) == 2
    err = capsys.readouterr().err
    assert "30 distinct labels for 30 sequences" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "run").exists()
    assert main(["train", "--data", str(tmp_path / "x.npy"), "--labels", str(tmp_path / "y.npy"),
                 "--many-classes", "--out", str(tmp_path / "run")] + tiny) == 0
