"""minirgan's default GAN written plainly in PyTorch: the baseline of benchmarks/gan_throughput.py.

The same model, losses and optimiser as a bare ``minirgan train`` (``TrainConfig()``):

* G: static noise z ~ N(0, I) of size Z = 16 per sequence, repeated at each of T = 24 steps →
  ``nn.GRU(16, 32)`` → ``nn.Linear(32, 5)`` → sigmoid (E2, per step);
* D: ``nn.GRU(5, 32)`` → ``nn.Linear(32, 1)`` on every state, logits averaged over t (E10);
* D's loss: binary cross-entropy from logits, real = 1, generated = 0 (E5); two D updates per
  G update, each on a fresh real batch and fresh noise, G not updated;
* G's loss: non-saturating −mean log D(G(z)) (C6) plus 10 × TimeGAN's moment loss against the
  last real batch, plus 10 × the same loss on the steps x_t − x_{t−1} (``minirgan/moment_loss.py``);
* Adam (lr 1e-3, β = (0.5, 0.999)) for both; batches of 64 sequences.

One difference: ``nn.GRU`` is the framework GRU (reset gate after the recurrent product,
minirgan's ``reset_after=True``); minirgan's default is the standard form (E14 with its
erratum). Both cost the same three gate blocks per step. Initialisation is PyTorch's own:
the benchmark measures speed, not samples.

    from gan_torch import TorchGAN
    gan = TorchGAN(data, dtype=torch.float64, seed=0)   # data (N, T, F) NumPy array in [0, 1]
    gan.train_step()                                    # one G update after two D updates
"""

import torch
from torch import nn
from torch.nn import functional as F


class _Recurrent(nn.Module):
    """A one-layer GRU followed by a dense layer applied to every hidden state."""

    def __init__(self, inputs, hidden, outputs):
        super().__init__()
        self.gru = nn.GRU(inputs, hidden, batch_first=True)
        self.out = nn.Linear(hidden, outputs)

    def forward(self, x):
        h, _ = self.gru(x)               # (N, T, H)
        return self.out(h)               # (N, T, O)


def moment_loss(fake, real, eps=1e-6):
    """TimeGAN's moment loss: mean |σ̂ − σ| + mean |μ̂ − μ| per step and feature (batch axis 0)."""
    sd_fake = torch.sqrt(fake.var(dim=0, unbiased=False) + eps)
    sd_real = torch.sqrt(real.var(dim=0, unbiased=False) + eps)
    return ((sd_fake - sd_real).abs().mean()
            + (fake.mean(dim=0) - real.mean(dim=0)).abs().mean())


class TorchGAN:
    """minirgan's default GAN in PyTorch (see the module docstring)."""

    def __init__(self, data, dtype=torch.float64, seed=0, hidden=32, noise_dim=16, batch=64,
                 d_steps=2, moment_weight=10.0, step_moment_weight=10.0, lr=1e-3, betas=(0.5, 0.999)):
        torch.manual_seed(seed)
        self.data = torch.as_tensor(data, dtype=dtype)
        _, self.seq_len, features = self.data.shape
        self.dtype, self.batch, self.d_steps = dtype, batch, d_steps
        self.noise_dim, self.moment_weight = noise_dim, moment_weight
        self.step_moment_weight = step_moment_weight
        self.G = _Recurrent(noise_dim, hidden, features).to(dtype)
        self.D = _Recurrent(features, hidden, 1).to(dtype)
        self.opt_g = torch.optim.Adam(self.G.parameters(), lr=lr, betas=betas)
        self.opt_d = torch.optim.Adam(self.D.parameters(), lr=lr, betas=betas)

    def noise(self):
        """Static noise: one z (N, 1, Z) per sequence, repeated over the T steps."""
        z = torch.randn(self.batch, 1, self.noise_dim, dtype=self.dtype)
        return z.expand(-1, self.seq_len, -1)

    def generate(self, z):
        return torch.sigmoid(self.G(z))                                   # E2, g = sigmoid

    def logits(self, x):
        return self.D(x)[..., 0].mean(dim=1)                              # E10: mean of l_t

    def real_batch(self):
        return self.data[torch.randint(len(self.data), (self.batch,))]

    def train_step(self):
        """Two D updates, then one G update; returns (loss_d, loss_g) as floats."""
        for _ in range(self.d_steps):
            real = self.real_batch()
            with torch.no_grad():
                fake = self.generate(self.noise())
            l_real, l_fake = self.logits(real), self.logits(fake)
            # E5: −mean log σ(l_x) − mean log(1 − σ(l_G)), from logits
            loss_d = F.softplus(-l_real).mean() + F.softplus(l_fake).mean()
            self.opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            self.opt_d.step()
        fake = self.generate(self.noise())
        # C6: −mean log σ(l_G), plus the moment losses of the values and of the steps against
        # the last real batch
        loss_g = (F.softplus(-self.logits(fake)).mean() + self.moment_weight * moment_loss(fake, real)
                  + self.step_moment_weight * moment_loss(fake.diff(dim=1), real.diff(dim=1)))
        self.opt_g.zero_grad(set_to_none=True)
        loss_g.backward()                # D's gradients are computed too, then discarded
        self.opt_g.step()
        return float(loss_d.detach()), float(loss_g.detach())
