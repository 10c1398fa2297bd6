"""The default architecture, in one place: ``Generator``, ``Discriminator`` and ``TrainConfig``
all read these values, so a bare model and a bare ``minirgan train`` are the same model.

The values are the sines benchmark configuration (docs/benchmark_sines.md): a GRU with
H = 32, static noise of size Z = 16 (one z per sequence, fed at every step), a per-step
output (E2) through a sigmoid, and a per-step discriminator readout (E10).
"""

CELL = "gru"                    # the recurrent cell of G and D
ACTIVATION = "tanh"             # f of E1 when the cell is "rnn" ("relu" the other choice)
HIDDEN = 32                     # H of every recurrent layer
LAYERS = 1                      # L stacked recurrent layers
DROPOUT = 0.0                   # between stacked layers (A0)
NOISE_DIM = 16                  # Z
NOISE = "static"                # one z per sequence ("per_step": a fresh z_t at every step)
FORM = "per_step"               # the generator's form (E2)
OUTPUT_ACTIVATION = "sigmoid"   # g of E2
READOUT = "per_step"            # the discriminator's readout (E10)
