"""The modules behind :mod:`minirgan.data`, one idea each: ``checks`` (DataError and shared checks), ``sines``
(TimeGAN and RCGAN sine waves), ``digits`` (digit images as sequences of rows, C5), ``files``
(the user's .npy and .csv files, windowing) and ``scaler`` (min-max scaling). Import from
:mod:`minirgan.data`."""
