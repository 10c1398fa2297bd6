"""The modules behind :mod:`minirgan.data`, one idea each: ``checks`` (DataError and the checks
every data module shares), ``tables`` (every table — CSV, TSV, DataFrame, Parquet, Excel — read
by pandas), ``arrays`` (.npy files, windows), ``embedded`` (the sines, the UCI digits, the stocks
file), ``digits`` (font digits rendered as sequences of rows, C5), ``scaler`` (min-max scaling),
``labels`` (labels ↔ classes), ``sampling`` (the one train/test split, and the batch and subset
draws of the training loop and the metrics) and ``csv_output`` (generated samples written as a
CSV). Import from :mod:`minirgan.data`."""
