"""The published rows of the two benchmarks of the literature, TimeGAN's sines and Stocks.

A sweep on one of these data sets (24-step windows, as published) shows them under its own
rows in ``summary.md``; ``benchmarks/benchmark_table.py`` writes them into the docs' table.
Sources: Diffusion-TS (Yuan & Qiao, ICLR 2024) Tables 1 and 2, mean ± 95 % interval over 5
repeats of the metric on one trained model; ImagenTime (NeurIPS 2024); "–" where a paper gives
no number. Each row: (method, discriminative, predictive, context-FID, correlational).
"""

import os

from ..datasets.embedded import STOCKS_PATH

PUBLISHED = {
    "sines": [
        ("Diffusion-TS (GPU, 12k epochs)", "0.006 ± 0.007", "0.093", "0.006", "0.015"),
        ("TimeGAN", "0.011 ± 0.008", "0.093", "0.101", "0.045"),
        ("TimeVAE", "0.041", "0.093", "–", "–")],
    "stocks": [
        ("Diffusion-TS (GPU, 12k epochs)", "0.067 ± 0.015", "0.036", "0.147", "0.004"),
        ("ImagenTime", "0.037 ± 0.006", "0.036", "–", "–"),
        ("TimeGAN", "0.102", "0.038", "0.103", "0.063"),
        ("TimeVAE", "0.145", "0.039", "–", "–")],
}
# The predictive score of real data on itself, as the papers report it.
PUBLISHED_FLOOR = {"sines": "0.094", "stocks": "0.036"}
PUBLISHED_SEQ_LEN = 24


def benchmark_of(config):
    """"sines" or "stocks" if ``config`` (a TrainConfig) trains on that benchmark as published
    (the embedded sines or the shipped stock CSV, in 24-step windows), else None."""
    if config.seq_len not in (None, PUBLISHED_SEQ_LEN) or config.n_data is not None:
        return None
    if config.data == "sines":
        return "sines"
    if config.data == "stocks" or os.path.abspath(config.data) == os.path.abspath(STOCKS_PATH):
        return "stocks"
    return None
