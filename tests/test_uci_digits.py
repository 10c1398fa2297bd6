"""The UCI handwritten digits shipped with the package (C5's real handwriting)."""

import configparser
import fnmatch
import hashlib
import os

import numpy as np
import pytest

from minirgan.data import load_dataset, uci_digits
from minirgan.datasets.embedded import UCI_PATH

SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"


def test_the_shipped_file_is_the_attributed_one():
    with open(UCI_PATH, "rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == SHA256
    notice = os.path.join(os.path.dirname(UCI_PATH), "UCI_DIGITS.md")
    text = open(notice).read()
    assert "CC BY 4.0" in text and "Alpaydin" in text and SHA256 in text


def test_setup_cfg_installs_the_data_files():
    cfg = configparser.ConfigParser()
    cfg.read(os.path.join(os.path.dirname(__file__), "..", "setup.cfg"))
    patterns = [p.strip() for p in cfg["options.package_data"]["minirgan.datasets"].split(",")]
    for name in ("uci_digits.csv.gz", "UCI_DIGITS.md"):
        assert any(fnmatch.fnmatch(f"data/{name}", p) for p in patterns), name


def test_images_labels_and_class_counts():
    x, y = uci_digits()
    assert x.shape == (1797, 8, 8) and y.shape == (1797,)
    assert x.min() == 0.0 and x.max() == 1.0
    assert np.allclose(x * 16, np.round(x * 16))                 # 16 grey levels
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_a_seed_shuffles_and_n_takes_a_subset():
    x, y = uci_digits()
    xs, ys = uci_digits(n=50, rng=3)
    assert xs.shape == (50, 8, 8)
    order = np.random.default_rng(3).permutation(1797)[:50]
    assert np.array_equal(xs, x[order]) and np.array_equal(ys, y[order])
    with pytest.raises(ValueError, match="at most 1797"):
        uci_digits(n=1798)


def test_load_dataset_serves_them_unscaled():
    data, scaler, info = load_dataset("uci-digits", n=100, rng=0)
    assert data.shape == (100, 8, 8) and info["seq_len"] == 8 and info["name"] == "uci-digits"
    assert np.array_equal(data, uci_digits(n=100, rng=0)[0])       # pixel bounds fixed at [0, 1]
