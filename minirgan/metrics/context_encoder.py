"""The sequence encoder behind minirgan's context-FID: a GRU trained on the real data to
predict the next step, whose hidden states, max-pooled over time, embed a sequence.

Built from minirgan's own pieces (``models.RecurrentStack``, the dense layer of E2, Adam):

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

from ..activations import sigmoid, sigmoid_grad
from ..datasets.checks import check_count
from ..dense import dense_backward, dense_forward, init_dense_params
from ..models import RecurrentStack
from ..optim import Adam
from ..validation import sequence_input
from ..datasets.sampling import random_batch

DENSE_KEYS = ("W_hy", "b_y")


class ContextEncoder:
    """GRU next-step predictor; ``embed`` returns its hidden states max-pooled over time (N, H)."""

    def __init__(self, features, hidden=32):
        self.features = check_count("features", features)
        self.stack = RecurrentStack("gru", self.features, check_count("hidden", hidden))
        self.params = None
        self.losses = None

    def _split(self):
        dense = {k: self.params[k] for k in DENSE_KEYS}
        return {k: v for k, v in self.params.items() if k not in DENSE_KEYS}, dense

    def fit(self, real, iterations=1000, batch_size=128, lr=1e-3, rng=None, backend=None):
        """Train on real sequences (N, T, F) in [0, 1], T >= 2; returns self (``losses``: per step)."""
        real = sequence_input("real", real)
        if real.shape[2] != self.features or real.shape[1] < 2:
            raise ValueError(f"real must have shape (N, T >= 2, {self.features}), got {real.shape}")
        iterations, batch_size = check_count("iterations", iterations), check_count("batch_size", batch_size)
        rng = np.random.default_rng(rng)
        self.params = self.stack.init_params(rng)
        self.params.update(init_dense_params(self.stack.hidden, self.features, rng))
        opt = Adam(lr=lr, beta1=0.9, beta2=0.999)
        self.losses = np.empty(iterations)
        for i in range(iterations):
            x = random_batch(real, batch_size, rng)
            rnn, dense = self._split()
            h, rnn_cache = self.stack.forward(x[:, :-1], rnn, backend=backend)
            # E2 with g = σ: x̂_{t+1} = σ(W_hy h_t + b_y)
            a, dense_cache = dense_forward(h, dense)
            x_hat = sigmoid(a)
            err = x_hat - x[:, 1:]
            # loss = mean (x̂ − x)²; d loss / d x̂ = 2 (x̂ − x) / count
            self.losses[i] = np.mean(err ** 2)
            # σ' = x̂ (1 − x̂)
            da = (2.0 / err.size) * err * sigmoid_grad(x_hat)
            dh, grads = dense_backward(da, dense_cache)
            _, rnn_grads = self.stack.backward(dh, rnn_cache)
            grads.update(rnn_grads)
            opt.step(self.params, grads)
        return self

    def embed(self, x, backend=None):
        """Embeddings (N, H) of sequences x (N, T, F): e = max_t h_t."""
        if self.params is None:
            raise ValueError("the ContextEncoder is not trained: call fit(real) first")
        x = sequence_input("x", x)
        if x.shape[2] != self.features:
            raise ValueError(f"x must have {self.features} features, got shape {x.shape}")
        h, _ = self.stack.forward(x, self._split()[0], backend=backend)
        return h.max(axis=1)
