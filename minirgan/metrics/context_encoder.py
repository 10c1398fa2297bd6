"""The sequence encoder behind minirgan's context-FID: a GRU trained on the real data to
predict the next step, whose hidden states, max-pooled over time, embed a sequence.

It is the predictive score's :class:`~minirgan.metrics.predictor.Predictor` (a
``models.RecurrentStack`` GRU and E2's dense layer) with O = F outputs, trained with Adam:

    h_1..h_T = GRU(x_1..x_T)                     (E11–E15, standard GRU, H units, h_0 = 0)
    x̂_{t+1} = σ(W_hy h_t + b_y)                  (E2 with g = σ, O = F: every feature)
    loss    = mean over n, t < T, f of (x̂_{t+1} − x_{t+1})²
    embedding e = max_t h_t                       (element-wise over t = 1..T: (H,))

trained with Adam (lr 10⁻³, β = 0.9, 0.999) on batches of the real sequences, which must lie
in [0, 1] (the sigmoid's range). A next-step predictor has to summarise in h_t what the
sequence has done so far (level, slope, phase, the co-movement of the features), so sequences
with the real dynamics land where the real ones do, and sequences with broken dynamics (e.g.
their steps shuffled) land elsewhere.

How it differs from TS2Vec (Yue et al. 2022), the encoder of the original context-FID (Jeha
et al. 2022) and of Diffusion-TS: TS2Vec is a 10-block dilated convolutional network with 320
output dimensions, trained *self-supervised by contrast* (hierarchical contrastive loss between
two random crops of each series, across instances and time steps); this encoder is a
32-unit GRU trained by *next-step regression*. Both embed a whole sequence by max-pooling the
per-step representations over time. The numbers are therefore not on TS2Vec's scale: compare
context-FIDs computed with this encoder with each other (and with the real-vs-real floor),
not with published TS2Vec-based values.

Shapes: N batch, T time, F features, H hidden.
"""

import numpy as np

from ..datasets.checks import check_count
from ..datasets.sampling import random_batch
from ..optim import Adam
from ..validation import sequence_input
from .predictor import Predictor
from .protocol import in_chunks


class ContextEncoder:
    """GRU next-step predictor; ``embed`` returns its hidden states max-pooled over time (N, H)."""

    def __init__(self, features, hidden=32):
        self.features = check_count("features", features)
        self.hidden = check_count("hidden", hidden)
        self.model = None
        self.losses = None

    def fit(self, real, iterations=1000, batch_size=128, lr=1e-3, rng=None, backend=None):
        """Train on real sequences (N, T, F) in [0, 1], T >= 2; returns self (``losses``: per step)."""
        real = sequence_input("real", real)
        if real.shape[2] != self.features or real.shape[1] < 2:
            raise ValueError(f"real must have shape (N, T >= 2, {self.features}), got {real.shape}")
        iterations, batch_size = check_count("iterations", iterations), check_count("batch_size", batch_size)
        rng = np.random.default_rng(rng)
        self.model = Predictor(self.features, self.hidden, outputs=self.features, rng=rng,
                               backend=backend)
        opt = Adam(lr=lr, beta1=0.9, beta2=0.999)
        self.losses = np.empty(iterations)
        for i in range(iterations):
            x = random_batch(real, batch_size, rng)
            # x̂_{t+1} = σ(W_hy h_t + b_y) from x_1..x_t
            x_hat, cache = self.model.forward(x[:, :-1])
            err = x_hat - x[:, 1:]
            # loss = mean (x̂ − x)²; d loss / d x̂ = 2 (x̂ − x) / count
            self.losses[i] = np.mean(err ** 2)
            _, grads = self.model.backward((2.0 / err.size) * err, cache, need_input_grad=False)
            opt.step(self.model.params, grads)
        return self

    def embed(self, x, backend=None):
        """Embeddings (N, H) of sequences x (N, T, F): e = max_t h_t (backend: the fit's if None)."""
        if self.model is None:
            raise ValueError("the ContextEncoder is not trained: call fit(real) first")
        x = sequence_input("x", x)
        if x.shape[2] != self.features:
            raise ValueError(f"x must have {self.features} features, got shape {x.shape}")
        backend = self.model.backend if backend is None else backend
        return in_chunks(lambda part: self.model.stack.forward(part, self.model.params,
                                                               backend=backend)[0].max(axis=1), x)
