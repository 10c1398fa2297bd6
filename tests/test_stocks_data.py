"""TimeGAN's Stocks file shipped with the package and served as data set 'stocks'."""

import configparser
import csv
import fnmatch
import hashlib
import os

import numpy as np

from minirgan.data import load_dataset
from minirgan.datasets.embedded import STOCKS_PATH

SHA256 = "134b8a00eb4eefa3242dd7ae85144082da80dedf75a1a656d5d08f97cd95277a"
COLUMNS = ["Open", "High", "Low", "Close", "Adj_Close", "Volume"]


def test_the_shipped_file_is_timegans_with_its_attribution_and_licence():
    with open(STOCKS_PATH, "rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == SHA256
    folder = os.path.dirname(STOCKS_PATH)
    notice = open(os.path.join(folder, "STOCKS.md")).read()
    assert "TimeGAN" in notice and "Apache License, Version 2.0" in notice and SHA256 in notice
    assert "Apache License" in open(os.path.join(folder, "APACHE-2.0.txt")).read()


def test_setup_cfg_installs_the_stocks_files():
    cfg = configparser.ConfigParser()
    cfg.read(os.path.join(os.path.dirname(__file__), "..", "setup.cfg"))
    patterns = [p.strip() for p in cfg["options.package_data"]["minirgan.datasets"].split(",")]
    for name in ("stock_data.csv", "STOCKS.md", "APACHE-2.0.txt"):
        assert any(fnmatch.fnmatch(f"data/{name}", p) for p in patterns), name


def test_stocks_are_timegans_windows_of_the_min_max_scaled_series():
    with open(STOCKS_PATH, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == COLUMNS
    series = np.array(rows[1:], dtype=float)                      # (3685, 6), oldest first
    data, scaler, info = load_dataset("stocks")
    assert data.shape == (3685 - 24 + 1, 24, 6) and info["windowed"] and info["name"] == "stocks"
    # per-column min-max over the whole series, windows of 24 with stride 1, file order
    scaled = (series - series.min(axis=0)) / (series.max(axis=0) - series.min(axis=0))
    assert np.allclose(data[0], scaled[:24], atol=1e-12)
    assert np.allclose(data[-1], scaled[-24:], atol=1e-12)
    assert np.allclose(scaler.inverse_transform(data[5]), series[5:29], rtol=1e-12)
    assert [name.split("'")[1] for name in info["feature_names"]] == COLUMNS


def test_stocks_read_exactly_as_the_same_file_given_as_a_path():
    embedded, _, _ = load_dataset("stocks", seq_len=10, n=100)
    as_file, _, info = load_dataset(STOCKS_PATH, seq_len=10, n=100)
    assert np.array_equal(embedded, as_file) and info["name"] == "file"
