"""Tests of the data: embedded sets (TimeGAN sines, RCGAN sines, digits as rows, C5), the user's
.npy/.csv files, windowing, min-max scaling, and every DataError."""

import numpy as np
import pytest

from minirgan.data import (DATASETS, DataError, MinMaxScaler, batch_indices, digit_sequences,
                           load_array, load_dataset, make_windows, random_batch, random_subset,
                           rcgan_sines, timegan_sines, train_test_split)


# ---------------------------------------------------------------- TimeGAN sines

def test_timegan_sines_shape_range_and_reproducibility():
    x = timegan_sines(300, seq_len=24, dim=5, rng=7)
    assert x.shape == (300, 24, 5) and x.dtype == np.float64
    assert x.min() >= 0.0 and x.max() <= 1.0
    assert np.array_equal(x, timegan_sines(300, 24, 5, rng=7))
    assert not np.array_equal(x, timegan_sines(300, 24, 5, rng=8))


def test_timegan_sines_frequencies_and_phases_are_recoverable_and_uniform_on_0_01():
    x = timegan_sines(2000, seq_len=24, dim=5, rng=1)
    # While f·t + φ < π/2 (t <= 10 here), arcsin(2x − 1) = f·t + φ exactly: fit a line per series.
    t = np.arange(10.0)
    y = np.arcsin(2 * x[:, :10, :] - 1).transpose(0, 2, 1).reshape(-1, 10)   # (N·F, 10)
    slope, intercept = np.polyfit(t, y.T, 1)
    fitted = np.outer(slope, t) + intercept[:, None]
    assert np.max(np.abs(fitted - y)) < 1e-9                       # every series is one sine
    for v in (slope, intercept):                                     # f, φ ~ U(0, 0.1)
        assert v.min() >= -1e-12 and v.max() <= 0.1 + 1e-12
        assert v.mean() == pytest.approx(0.05, abs=0.002)
        assert v.std() == pytest.approx(0.1 / np.sqrt(12), abs=0.002)
    # features are drawn independently
    f = slope.reshape(2000, 5)
    assert abs(np.corrcoef(f[:, 0], f[:, 1])[0, 1]) < 0.1


# ---------------------------------------------------------------- RCGAN sines

def test_rcgan_sines_amplitudes_and_frequencies_in_their_ranges():
    x = rcgan_sines(2000, seq_len=30, dim=2, rng=2)
    assert x.shape == (2000, 30, 2)
    peak = np.abs(x).max(axis=1).ravel()                 # ≈ amplitude A ~ U(0.1, 0.9)
    assert peak.max() <= 0.9 and peak.min() >= 0.1 * np.cos(np.pi / 6)  # ≥ 6 samples per period
    assert np.quantile(peak, 0.05) < 0.2 and np.quantile(peak, 0.95) > 0.8
    # sign changes = zero crossings ≈ 2 per cycle; f ~ U(1, 5) cycles over t = 1 … 30
    crossings = (np.diff(np.sign(x), axis=1) != 0).sum(axis=1).ravel()
    assert crossings.min() >= 1 and crossings.max() <= 11
    assert crossings.mean() == pytest.approx(2 * 3.0 * 29 / 30, abs=0.2)
    assert abs(x.mean()) < 0.01                           # random phases: no offset


# ---------------------------------------------------------------- digits (C5)

def test_digit_sequences_shape_range_labels_and_ink():
    """C5: images as sequences of rows (T = 16 rows of F = 16 pixels), in [0, 1], with ink."""
    images, labels = digit_sequences(200, size=16, rng=3)
    assert images.shape == (200, 16, 16) and labels.shape == (200,)
    assert images.min() >= 0.0 and images.max() <= 1.0
    assert set(labels.tolist()) == set(range(10))
    assert np.all(images.max(axis=(1, 2)) > 0.6)            # every image has ink ...
    assert np.all(images[:, :, :].mean(axis=(1, 2)) < 0.5)  # ... on a dark background
    sub, sub_labels = digit_sequences(50, size=20, rng=3, digits=[3, 7])
    assert sub.shape == (50, 20, 20) and set(sub_labels.tolist()) == {3, 7}


def test_digit_classes_differ_a_nearest_mean_classifier_reads_them():
    """C5: the row sequences carry their digit: a nearest-mean classifier tells the classes apart."""
    train, y_train = digit_sequences(2000, rng=4)
    test, y_test = digit_sequences(500, rng=5)
    means = np.stack([train[y_train == d].mean(axis=0) for d in range(10)])
    dist = ((test[:, None] - means[None]) ** 2).sum(axis=(2, 3))
    accuracy = np.mean(dist.argmin(axis=1) == y_test)
    assert accuracy > 0.6    # chance is 0.1; measured 0.79 (jitter blurs the class means)


def test_digit_jitter_varies_samples_of_one_class():
    images, labels = digit_sequences(300, rng=6, digits=[8])
    flat = images.reshape(300, -1)
    assert len(np.unique(flat.round(6), axis=0)) == 300
    assert flat.std(axis=0).max() > 0.3
    again, _ = digit_sequences(300, rng=6, digits=[8])
    assert np.array_equal(images, again)


def test_digit_sequences_bad_arguments():
    with pytest.raises(ValueError, match="digits"):
        digit_sequences(5, digits=[10])
    with pytest.raises(ValueError, match="size"):
        digit_sequences(5, size=4)


# ---------------------------------------------------------------- windows

def test_make_windows_count_and_content():
    series = np.arange(30.0).reshape(10, 3)
    w = make_windows(series, 4)
    assert w.shape == (10 - 4 + 1, 4, 3)
    for i in range(w.shape[0]):
        assert np.array_equal(w[i], series[i:i + 4])
    w3 = make_windows(series, 4, stride=3)
    assert w3.shape == ((10 - 4) // 3 + 1, 4, 3)
    assert np.array_equal(w3[2], series[6:10])
    w[0, 0, 0] = -1.0
    assert series[0, 0] == 0.0                           # a copy, not a view
    assert make_windows(series, 10).shape == (1, 10, 3)


def test_make_windows_errors():
    with pytest.raises(DataError, match="5 time steps, fewer than the window length seq_len=6"):
        make_windows(np.ones((5, 2)), 6)
    with pytest.raises(DataError, match="shape \\(T, F\\)"):
        make_windows(np.ones(5), 2)
    with pytest.raises(ValueError, match="stride"):
        make_windows(np.ones((5, 2)), 2, stride=0)


# ---------------------------------------------------------------- scaler

def test_min_max_scaler_round_trip_and_ranges(tmp_path):
    rng = np.random.default_rng(0)
    data = rng.normal([0.0, 10.0, -5.0], [1.0, 3.0, 0.1], size=(40, 7, 3))
    for lo, hi in ((0.0, 1.0), (-1.0, 1.0)):
        scaler = MinMaxScaler((lo, hi)).fit(data)
        y = scaler.transform(data)
        assert np.allclose(y.reshape(-1, 3).min(axis=0), lo) and np.allclose(y.reshape(-1, 3).max(axis=0), hi)
        assert np.allclose(scaler.inverse_transform(y), data, rtol=1e-12, atol=1e-12)
        np.savez(tmp_path / "s.npz", **scaler.to_dict())
        with np.load(tmp_path / "s.npz", allow_pickle=False) as f:
            back = MinMaxScaler.from_dict({k: f[k] for k in f.files})
        assert back.feature_range == (lo, hi)
        assert np.array_equal(back.transform(data), y)


def test_min_max_scaler_errors():
    with pytest.raises(ValueError, match="not fitted"):
        MinMaxScaler().transform(np.ones((2, 3)))
    with pytest.raises(ValueError, match="feature_range"):
        MinMaxScaler((1, 0))
    data = np.random.default_rng(1).random((5, 4, 3))
    data[:, :, 1] = 2.5
    with pytest.raises(DataError, match="feature 1 is constant \\(every value is 2.5\\)"):
        MinMaxScaler().fit(data)
    scaler = MinMaxScaler().fit(np.random.default_rng(1).random((5, 4, 3)))
    with pytest.raises(ValueError, match="3 fitted features"):
        scaler.transform(np.ones((2, 4)))


# ---------------------------------------------------------------- user files

def test_load_array_npy_three_and_two_dimensional(tmp_path):
    seqs = np.random.default_rng(2).random((6, 5, 2))
    np.save(tmp_path / "seqs.npy", seqs)
    np.save(tmp_path / "series.npy", seqs[0])
    assert np.array_equal(load_array(tmp_path / "seqs.npy"), seqs)
    assert np.array_equal(load_array(tmp_path / "series.npy"), seqs[0])


def test_load_array_csv_with_and_without_header(tmp_path):
    (tmp_path / "h.csv").write_text("temp, pressure\n1.5,2\n-3,4e2\n\n5,6\n")
    (tmp_path / "n.csv").write_text("1.5,2\n-3,4e2\n5,6\n")
    expected = np.array([[1.5, 2.0], [-3.0, 400.0], [5.0, 6.0]])
    assert np.array_equal(load_array(tmp_path / "h.csv"), expected)
    assert np.array_equal(load_array(tmp_path / "n.csv"), expected)


def test_load_dataset_from_csv_windows_and_scales(tmp_path):
    T = 40
    t = np.arange(T)
    rows = "\n".join(f"{np.sin(0.3 * k):.6f},{k * 2.0}" for k in t)
    (tmp_path / "s.csv").write_text("wave,ramp\n" + rows + "\n")
    data, scaler, info = load_dataset(tmp_path / "s.csv", seq_len=10)
    assert data.shape == (T - 10 + 1, 10, 2)
    assert data.min() == 0.0 and data.max() == 1.0
    assert info["windowed"] and info["n"] == 31 and info["features"] == 2
    assert "wave" in info["feature_names"][0]
    raw = scaler.inverse_transform(data)
    assert np.allclose(raw[5, :, 1], 2.0 * np.arange(5, 15))


def test_load_dataset_from_npy_sequences_keeps_them_and_takes_the_first_n(tmp_path):
    seqs = np.random.default_rng(3).normal(5.0, 2.0, size=(20, 7, 3))
    np.save(tmp_path / "x.npy", seqs)
    data, scaler, info = load_dataset(str(tmp_path / "x.npy"), n=12)
    assert data.shape == (12, 7, 3) and info["seq_len"] == 7 and not info["windowed"]
    assert np.array_equal(load_dataset(tmp_path / "x.npy", seq_len=7, n=12)[0], data)
    with pytest.raises(DataError, match="its sequences have T=7 steps, but seq_len=24 was asked"):
        load_dataset(tmp_path / "x.npy", seq_len=24)      # refused, not silently ignored
    assert np.allclose(scaler.inverse_transform(data), seqs[:12], rtol=1e-12)
    with pytest.raises(DataError, match="n=30 sequences requested, but the file gives only 20"):
        load_dataset(tmp_path / "x.npy", n=30)


@pytest.mark.parametrize("name", DATASETS)
def test_load_dataset_builtin_sets(name):
    T, F = {"sines": (12, 5), "rcgan-sines": (12, 1), "digits": (16, 16), "uci-digits": (8, 8), "stocks": (12, 6)}[name]
    seq_len = 12 if T == 12 else None           # the image sets have their own T (rows)
    data, scaler, info = load_dataset(name, seq_len=seq_len, n=64, rng=0)
    assert data.shape == (64, T, F) and info["n"] == 64 and info["name"] == name
    assert data.min() >= 0.0 and data.max() <= 1.0
    assert np.array_equal(data, load_dataset(name, seq_len=seq_len, n=64, rng=0)[0])
    if seq_len is None:
        with pytest.raises(DataError, match=f"its sequences have T={T} steps, but seq_len=12"):
            load_dataset(name, seq_len=12, n=64, rng=0)


def test_load_dataset_sines_defaults_to_timegans_size():
    data, _, info = load_dataset("sines", rng=0)
    assert data.shape == (10000, 24, 5) and info["seq_len"] == 24


def test_digits_scaler_keeps_pixel_values():
    data, scaler, _ = load_dataset("digits", n=20, rng=1)
    images, _ = digit_sequences(20, rng=1)
    assert np.array_equal(data, images) and np.array_equal(scaler.inverse_transform(data), images)


# ---------------------------------------------------------------- DataError cases

def error_message(tmp_path, filename, content, **kw):
    path = tmp_path / filename
    if isinstance(content, np.ndarray):
        np.save(path, content)
    else:
        path.write_text(content)
    with pytest.raises(DataError) as info:
        load_dataset(path, **kw)
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    return message


def test_nan_in_npy_sequences_names_sample_time_and_feature(tmp_path):
    x = np.ones((4, 5, 3))
    x[2, 3, 1] = np.nan
    x[3, 0, 0] = np.inf
    msg = error_message(tmp_path, "x.npy", x)
    assert "1 of 60 values are missing (NaN; first at sample 2, time step 3, feature 1" in msg
    assert "--missing mask" in msg


# (CSV content, seq_len, the message's expected core): each problem names its line and column
CSV_ERRORS = [
    ("a,b\n1,2\n3,inf\n", 1, "line 3, column 2 ('b'): 'inf' is not finite"),
    ("a,b\n1,2\n3,NaN\n", 1, "1 of 4 cells are missing (empty, NA or NaN; first at line 3, column 2 ('b')): "
     "fill them in, or train with --missing mask"),
    ('a,b\n1,2\n"1,00,000",4\n', 1, "line 3, column 1 ('a'): '1,00,000' is not a number (thousands separators group three"),
    ("1,2\n3,4\n5,abc\n6,7\n", 2, "line 3, column 2: 'abc' is not a number"),
    ("1,2\n3,\n", 1, "1 of 4 cells are missing (empty, NA or NaN; first at line 2, column 2)"),
    ("a,b\n1,2\n3,4\n5,x y\n", 1, "line 4, column 2 ('b'): 'x y' is not a number"),
    ("1,2\n3,4,5\n", 1, "line 2 has 3 columns, expected 2"),
    ("1,2,3\n4,5\n", 1, "line 2 has 2 columns, expected 3"),
    ("1,2\n3,4\n5,7\n", 24, "3 time steps, fewer than the window length seq_len=24"),
    ("temp,level\n1,5\n2,5\n3,5\n", 2, "column 2 ('level') is constant (every value is 5)"),
]


@pytest.mark.parametrize("content, seq_len, expected", CSV_ERRORS)
def test_csv_problems_are_named_with_line_and_column(tmp_path, content, seq_len, expected):
    assert expected in error_message(tmp_path, "x.csv", content, seq_len=seq_len)


def test_wrong_rank(tmp_path):
    assert "got 1-D shape (10,) (reshape to (T, 1) for one feature)" in error_message(tmp_path, "a.npy", np.ones(10))
    assert "got 4-D shape (2, 3, 4, 5)" in error_message(tmp_path, "b.npy", np.ones((2, 3, 4, 5)))


def test_constant_npy_feature_is_named(tmp_path):
    msg = error_message(tmp_path, "y.npy", np.stack([np.arange(6.0), np.zeros(6)], axis=1), seq_len=3)
    assert "feature 1 is constant (every value is 0)" in msg


def test_empty_files(tmp_path):
    assert "is empty" in error_message(tmp_path, "a.csv", "")
    assert "is empty" in error_message(tmp_path, "b.csv", "\n \n")
    assert "has a header line but no data" in error_message(tmp_path, "c.csv", "a,b\n")
    assert "is empty" in error_message(tmp_path, "d.npy", np.ones((0, 3, 2)))
    (tmp_path / "e.npy").write_bytes(b"")
    with pytest.raises(DataError, match="is empty"):
        load_dataset(tmp_path / "e.npy")


def test_unreadable_npy_files(tmp_path):
    assert "cannot be read without pickle" in error_message(tmp_path, "o.npy", np.array([[1, "a"]], dtype=object))
    assert "expected numbers" in error_message(tmp_path, "s.npy", np.array([["a", "b"]]))
    (tmp_path / "junk.npy").write_bytes(b"not an npy file")
    with pytest.raises(DataError, match="not a readable .npy file"):
        load_dataset(tmp_path / "junk.npy")


def test_missing_file_unknown_name_and_unsupported_type(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        load_dataset(tmp_path / "nope.csv")
    with pytest.raises(DataError, match="unknown data set 'sine': expected one of sines, rcgan-sines, digits"):
        load_dataset("sine")
    (tmp_path / "x.txt").write_text("1,2\n")
    with pytest.raises(DataError, match="unsupported file type"):
        load_dataset(tmp_path / "x.txt")


def test_data_error_is_a_value_error():
    assert issubclass(DataError, ValueError)


# ---------------------------------------------------------------- train/test split

def test_train_test_split_partitions_the_sequences():
    data = np.arange(50.0).reshape(10, 5, 1)
    train, test = train_test_split(data, 0.3, rng=0)
    assert train.shape == (7, 5, 1) and test.shape == (3, 5, 1)
    firsts = sorted(np.concatenate([train[:, 0, 0], test[:, 0, 0]]).tolist())
    assert firsts == data[:, 0, 0].tolist()
    again = train_test_split(data, 0.3, rng=0)
    assert np.array_equal(train, again[0]) and np.array_equal(test, again[1])
    with pytest.raises(ValueError, match="test_fraction"):
        train_test_split(data, 1.0)


def test_random_batch_is_the_training_loops_draw_with_replacement():
    """rng.integers(0, N, B): the draw train_step has always made, so same-seed runs keep their
    bits; B may exceed N (rows repeat), and paired arrays share batch_indices."""
    data = np.arange(40.0).reshape(8, 5, 1)
    batch = random_batch(data, 20, np.random.default_rng(3))
    np.testing.assert_array_equal(batch, data[np.random.default_rng(3).integers(0, 8, size=20)])
    assert batch.shape == (20, 5, 1) and len(np.unique(batch[:, 0, 0])) < 20
    idx = batch_indices(8, 6, np.random.default_rng(4))
    assert idx.shape == (6,) and idx.min() >= 0 and idx.max() < 8


def test_random_subset_draws_distinct_sequences_or_all_of_a_small_set():
    data = np.arange(100.0).reshape(20, 5, 1)
    sub = random_subset(data, 7, np.random.default_rng(5))
    assert sub.shape == (7, 5, 1) and len(np.unique(sub[:, 0, 0])) == 7
    assert set(sub[:, 0, 0]) <= set(data[:, 0, 0])
    assert random_subset(data, 20, np.random.default_rng(5)) is data


# ---------------------------------------------------------------- the sources table

def test_the_sources_table_names_every_data_set_and_file_kind_and_drives_the_cli_help():
    from minirgan.commands.train import OPTIONS
    from minirgan.data import FILE_SUFFIXES, SOURCES, data_help
    assert DATASETS == ("sines", "rcgan-sines", "digits", "uci-digits", "stocks")
    assert set(SOURCES) == set(DATASETS) | set(FILE_SUFFIXES) and ".csv" in FILE_SUFFIXES
    (text,) = [text for flag, _, _, text in OPTIONS if flag == "--data"]
    assert text == data_help() and all(name in text for name in DATASETS + FILE_SUFFIXES)


def test_a_new_source_is_one_row(monkeypatch):
    """A data set added to SOURCES loads through load_dataset with nothing else changed."""
    from minirgan import data as data_module
    ramp = data_module.Source(lambda name, req: data_module.Loaded(
        np.arange(2.0 * req.seq_len).reshape(req.seq_len, 2), ["a", "b"]), "a ramp")
    monkeypatch.setitem(data_module.SOURCES, "ramp", ramp)
    monkeypatch.setattr(data_module, "DATASETS", data_module.DATASETS + ("ramp",))
    data, scaler, info = load_dataset("ramp", seq_len=4)
    assert data.shape == (1, 4, 2) and info["name"] == "ramp" and info["windowed"]
