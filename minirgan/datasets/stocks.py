"""TimeGAN's Stocks benchmark: daily Google stock prices, shipped inside the package.

The file ``data/stock_data.csv`` (TimeGAN's, Apache-2.0; ``data/STOCKS.md`` has the
attribution, ``data/APACHE-2.0.txt`` the licence) is package data, so ``--data stocks`` works
from a clone or an installed wheel without a download. ``load_dataset("stocks")`` reads it with
the same CSV reader as a user's file: 3,685 trading days × 6 columns (Open, High, Low, Close,
Adj_Close, Volume), oldest row first, no date column; then min-max scales each column and cuts
overlapping windows of ``seq_len`` (24) steps — TimeGAN's protocol (its loader also reverses
the rows; see ``data/STOCKS.md``).
"""

import os

PATH = os.path.join(os.path.dirname(__file__), "data", "stock_data.csv")
