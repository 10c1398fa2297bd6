"""The modules behind :mod:`minirgan.data`, one idea each: ``checks`` (DataError and shared
checks), ``sines`` (TimeGAN and RCGAN sine waves), ``digits`` (digit images as sequences of rows,
C5), ``files`` (the user's .npy and .csv files, windowing), ``scaler`` (min-max scaling) and
``sampling`` (the one train/test split, and the batch and subset draws of the training loop and
the metrics). Import from :mod:`minirgan.data`."""
