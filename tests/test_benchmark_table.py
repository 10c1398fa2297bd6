"""The benchmark table script's statistics and table (benchmarks/benchmark_table.py)."""

import importlib.util
import os

import numpy as np
import pytest
from scipy import stats

HERE = os.path.dirname(__file__)


@pytest.fixture(scope="module")
def bench():
    path = os.path.join(HERE, "..", "benchmarks", "benchmark_table.py")
    spec = importlib.util.spec_from_file_location("benchmark_table", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_t_interval_is_students_95_percent_half_width(bench):
    mean, half = bench.t_interval([1.0, 2.0, 3.0])
    assert mean == 2.0 and np.isclose(half, stats.t.ppf(0.975, 2) * 1.0 / np.sqrt(3), rtol=1e-12)
    assert np.isclose(half, 2.4841, atol=1e-4)
    assert np.isnan(bench.t_interval([0.5])[1])


def test_the_table_shows_seeds_floor_and_published_rows(bench):
    seed = {"disc": 0.05, "pred": 0.04, "cfid": 0.2, "corr": 0.03, "coverage": 0.5,
            "train_seconds": 120.0, "steps_per_second": 25.0, "config": {"iterations": 3000}}
    seeds = [dict(seed, disc=d) for d in (0.04, 0.05, 0.06)]
    floor = dict(seed, disc=0.01)
    text = bench.table("stocks", seeds, floor, bench.FULL)
    half = stats.t.ppf(0.975, 2) * 0.01 / np.sqrt(3)
    assert f"| **minirgan**, 3 seeds | 0.050 ± {half:.3f} |" in text
    assert "3,000 steps, 25.0 steps/s, 2.0 min" in text
    assert "| real vs real (floor) | 0.010 |" in text
    assert "| TimeGAN | 0.102 | 0.038 | 0.103† | 0.063 |" in text
    assert all(line.startswith("|") and line.endswith("|") for line in text.splitlines())


def test_the_stocks_benchmark_trains_from_the_shipped_csv(bench):
    from minirgan.datasets.embedded import STOCKS_PATH
    assert bench.BENCHMARKS["stocks"].data == STOCKS_PATH and STOCKS_PATH.endswith(".csv")
