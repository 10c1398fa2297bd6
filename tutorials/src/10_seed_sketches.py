# %% [markdown]
# # 10. The seeds' Keras sketches, run: each bug beside its fix (A0, A1, A2)
#
# Three of the seeds end with a short Keras program (**A0** in S0, **A1** in S1, **A2** in S2). Each
# has bugs that a reader copying it would inherit. Reading a bug is not the same as seeing what it
# does, so here each one is rebuilt with minirgan's pieces, trained, and measured against the same
# GAN done right (the library's `train_step`, whose nine numbered steps are the fix):
#
# | sketch | bug | what it does to training |
# | --- | --- | --- |
# | A1 | the "real" data is `np.random.randint(0, 1)`: all zeros | part 1 |
# | A1 | G is fitted to the labels directly (`G.fit(noise, ones)`), not through D | part 2 |
# | A1, A2 | the noise (A1) or the image (A2) has no time axis: a "sequence" of one step | part 3 |
# | A2 | D's loss labels the generated samples 1 ("real") | part 4 |
# | A0 | the "generator step" trains D on the fakes; G is never updated | part 5 |
#
# All runs share one set-up, pinned here: RCGAN-style sines (one feature, 24 steps, scaled to
# [0, 1]), a GRU generator and discriminator with $H = 24$, a fresh noise vector at every step,
# D read out at its last state, the non-saturating loss (C6), Adam (lr 1e-3, β₁ = 0.5), batches of
# 64, one D step per G step: the plain recipe of the seeds. Quality is the MMD² between 500
# generated and 500 held-out real sequences (0 for identical sets; `minirgan.metrics.mmd2`), over
# three seeds.

# %%
from _params import FAST, pick, setup_figures, banner
import numpy as np
import matplotlib.pyplot as plt
from minirgan.activations import sigmoid
from minirgan.config import TrainConfig
from minirgan.datasets.embedded import rcgan_sines
from minirgan.losses import discriminator_loss, generator_loss
from minirgan.metrics import mmd2
from minirgan.models import Discriminator, Generator
from minirgan.optim import Adam
from minirgan.train import train_step

setup_figures()
print(banner())

T, H, Z = 24, 24, 8
CONFIG = TrainConfig(cell="gru", hidden=H, noise="per_step", noise_dim=Z, readout="last",
                     loss="nonsaturating", moment_loss=0.0, step_moment_loss=0.0, d_steps=1, batch=64,
                     lr_g=1e-3, lr_d=1e-3, beta1=0.5, clip_norm=0.0, label_smoothing=0.0)
real = (rcgan_sines(pick(2000, 256), seq_len=T, rng=0) + 1.0) / 2.0      # (N, T, 1) in [0, 1]
held_out = (rcgan_sines(500, seq_len=T, rng=1) + 1.0) / 2.0
STEPS, SEEDS = pick(1000, 20), pick(3, 1)

def models(seed):
    """G, D and their optimisers for one seed, as CONFIG says."""
    G = Generator(1, T, noise_dim=Z, hidden=H, cell="gru", noise="per_step", rng=seed, backend="numba")
    D = Discriminator(1, hidden=H, cell="gru", readout="last", rng=seed + 100, backend="numba")
    return G, D, Adam(lr=1e-3, beta1=0.5), Adam(lr=1e-3, beta1=0.5)

def quality(G, seed):
    return mmd2(G.sample(500, np.random.default_rng(seed + 1000)), held_out)

def train_right(seed, data=real):
    """The fix: the library's train_step (D on real 1s and fake 0s, then G through D)."""
    G, D, opt_g, opt_d = models(seed)
    rng = np.random.default_rng(seed)
    for _ in range(STEPS):
        train_step(G, D, opt_g, opt_d, data, rng, CONFIG)
    return G, D

right = [train_right(seed) for seed in range(SEEDS)]
mmd_right = [quality(G, s) for s, (G, _) in enumerate(right)]
mmd_init = [quality(models(s)[0], s) for s in range(SEEDS)]
print(f"MMD² to held-out sines, untrained G: {np.mean(mmd_init):.3f};  trained right: "
      f"{np.mean(mmd_right):.4f}  (per seed {np.round(mmd_right, 4)})")

# %% [markdown]
# ## 1. A1's "real" data: `np.random.randint(0, 1)`
#
# `randint(0, 1)` draws from $\{0\}$ — the upper bound is exclusive — so every "real" sequence is
# all zeros. The loop is otherwise right, so the GAN does its job perfectly: it learns to produce
# zeros.

# %%
zeros = np.zeros_like(real)
on_zeros = [train_right(seed, data=zeros)[0] for seed in range(SEEDS)]
mmd_zeros = [quality(G, s) for s, G in enumerate(on_zeros)]
out = on_zeros[0].sample(200, np.random.default_rng(0))
print(f"trained on randint(0, 1): generated values in [{out.min():.3f}, {out.max():.3f}], "
      f"MMD² to real sines {np.mean(mmd_zeros):.3f} (right: {np.mean(mmd_right):.4f})")

# %% [markdown]
# ## 2. A1's generator step: `G.fit(noise, ones)`
#
# The sketch fits the generator *to the label array*: the generator's output is pushed towards 1 by
# binary cross-entropy, $-\mathrm{mean}\,\log G(z)$, with no discriminator involved. The fix is C6:
# the label 1 belongs to **D's verdict on** $G(z)$, so the loss is $-\mathrm{mean}\,\log D(G(z))$
# and its gradient reaches G *through* D (steps 7–8 of `train_step`).

# %%
def train_g_on_labels(seed):
    G, D, opt_g, opt_d = models(seed)
    rng = np.random.default_rng(seed)
    for _ in range(STEPS):
        x_fake, cache = G.forward(G.noise(CONFIG.batch, rng))
        # the bug: BCE of G's own output against the label 1, i.e. −mean log x̂
        dx = -1.0 / (np.clip(x_fake, 1e-12, None) * x_fake.size)
        _, grads = G.backward(dx, cache)
        opt_g.step(G.params, grads)
    return G

on_labels = [train_g_on_labels(seed) for seed in range(SEEDS)]
out = on_labels[0].sample(200, np.random.default_rng(0))
print(f"G fitted to the labels: mean output {out.mean():.3f} (every value pushed to 1), "
      f"MMD² {np.mean([quality(G, s) for s, G in enumerate(on_labels)]):.3f}")

# %% [markdown]
# ## 3. No time axis (A1's noise, A2's flattened image)
#
# A recurrent layer fed an array without a time axis either fails or, reshaped to make it run,
# sees a sequence of **one** step. With $h_0 = 0$ the recurrent weights then multiply zero: their
# gradient is exactly zero, so the "recurrent" network is a feed-forward layer. We measure it on
# the GRU: the columns of $W_z, W_u, W_c$ that read $h_{t-1}$ (the first $H$) against the ones that
# read $x_t$.

# %%
for steps in (1, T):
    G = Generator(1, steps, noise_dim=Z, hidden=H, cell="gru", noise="per_step", rng=0, backend="numpy")
    x_fake, cache = G.forward(G.noise(16, np.random.default_rng(0)))
    _, grads = G.backward(np.random.default_rng(1).standard_normal(x_fake.shape), cache)
    recurrent = np.sqrt(sum(np.sum(grads[f"rnn0.{w}"][:, :H] ** 2) for w in ("W_z", "W_u", "W_c")))
    inputs = np.sqrt(sum(np.sum(grads[f"rnn0.{w}"][:, H:] ** 2) for w in ("W_z", "W_u", "W_c")))
    print(f"T = {steps:2d}: |gradient| on the recurrent weights {recurrent:.3e}, on the input weights {inputs:.3e}")

# %% [markdown]
# ## 4. A2's discriminator labels the fakes 1
#
# D is trained with label 1 for real *and* generated sequences: $-\mathrm{mean}\log D(x) -
# \mathrm{mean}\log D(G(z))$ (the seed's E6 sign error in code form; tutorial 5). D learns to call
# everything real, so its verdict carries no information and G's loss is already at its minimum.
# The G step here is the correct one.

# %%
def d_step(G, D, opt_d, rng, fakes_label):
    x = real[rng.integers(0, len(real), CONFIG.batch)]
    x_fake, _ = G.forward(G.noise(CONFIG.batch, rng))
    real_logits, real_cache = D.forward(x)
    fake_logits, fake_cache = D.forward(x_fake)
    if fakes_label == 0:       # E5: real 1, generated 0
        _, d_real, d_fake = discriminator_loss(real_logits, fake_logits)
    else:                      # the bug: BCE with label 1 on both batches is G's C6 loss on each
        d_real, d_fake = generator_loss(real_logits)[1], generator_loss(fake_logits)[1]
    grads = D.backward(d_real, real_cache)[1]
    for k, g in D.backward(d_fake, fake_cache)[1].items():
        grads[k] = grads[k] + g
    opt_d.step(D.params, grads)

def g_step(G, D, opt_g, rng):
    x_fake, g_cache = G.forward(G.noise(CONFIG.batch, rng))
    logits, d_cache = D.forward(x_fake)
    _, d_logits = generator_loss(logits)                      # C6, through D
    dx_fake, _ = D.backward(d_logits, d_cache)
    opt_g.step(G.params, G.backward(dx_fake, g_cache)[1])
    return float(np.mean(sigmoid(logits)))          # D(G(z)) before this update

def train_fakes_labelled_real(seed):
    G, D, opt_g, opt_d = models(seed)
    rng = np.random.default_rng(seed)
    d_fake = []
    for _ in range(STEPS):
        d_step(G, D, opt_d, rng, fakes_label=1)          # the bug
        d_fake.append(g_step(G, D, opt_g, rng))          # the G step, right
    return G, d_fake

labelled_real = [train_fakes_labelled_real(seed) for seed in range(SEEDS)]
print(f"D(G(z)) over the last 100 steps: {np.mean(labelled_real[0][1][-100:]):.3f} (D calls everything real); "
      f"MMD² {np.mean([quality(G, s) for s, (G, _) in enumerate(labelled_real)]):.3f}")

# %% [markdown]
# ## 5. A0's "generator step" trains D
#
# S0's loop calls the discriminator's `train_on_batch` on the generated samples with label "real"
# where it means to update the generator. D is updated twice per step (once rightly, once towards
# calling fakes real); G's weights never move.

# %%
def train_a0(seed):
    G, D, opt_g, opt_d = models(seed)
    before = {k: v.copy() for k, v in G.params.items()}
    rng = np.random.default_rng(seed)
    for _ in range(STEPS):
        d_step(G, D, opt_d, rng, fakes_label=0)   # the D step, right
        d_step(G, D, opt_d, rng, fakes_label=1)   # the bug: "train G" updates D on fakes labelled real
    unchanged = all(np.array_equal(before[k], G.params[k]) for k in before)
    return G, unchanged

a0 = [train_a0(seed) for seed in range(SEEDS)]
print(f"G's weights bitwise unchanged after {STEPS} steps: {all(u for _, u in a0)}; "
      f"MMD² {np.mean([quality(G, s) for s, (G, _) in enumerate(a0)]):.3f} (untrained G: {np.mean(mmd_init):.3f})")

# %% [markdown]
# ## Side by side

# %%
rows = {"right (train_step)": mmd_right, "1. real = zeros": mmd_zeros,
        "2. G fitted to labels": [quality(G, s) for s, G in enumerate(on_labels)],
        "4. fakes labelled 1": [quality(G, s) for s, (G, _) in enumerate(labelled_real)],
        "5. A0: G never updated": [quality(G, s) for s, (G, _) in enumerate(a0)],
        "untrained G": mmd_init}
for name, values in rows.items():
    print(f"{name:24s} MMD² {np.mean(values):.4f}  (seeds: {' '.join(f'{v:.4f}' for v in values)})")

fig, axes = plt.subplots(1, 5, figsize=(14, 2.6), sharey=True)
panels = [("real (held out)", held_out[:5]), ("right", right[0][0].sample(5, np.random.default_rng(0))),
          ("1. real = zeros", on_zeros[0].sample(5, np.random.default_rng(0))),
          ("2. G fitted to labels", on_labels[0].sample(5, np.random.default_rng(0))),
          ("5. A0", a0[0][0].sample(5, np.random.default_rng(0)))]
for ax, (title, x) in zip(axes, panels):
    ax.plot(x[:, :, 0].T, lw=1); ax.set_title(title); ax.set_xlabel("time step t")
axes[0].set_ylabel("x_t (scaled to [0, 1])")
plt.tight_layout(); plt.show()

# %% [markdown]
# ## What the measurements say
#
# The numbers quoted here are those of the full run committed with this notebook (fast mode trains
# for a few steps only, so its numbers differ).
#
# Every bug is visible in one number, and each fix is the corresponding step of `train_step`:
#
# 1. **All-zero "real" data**: the GAN learns what it is shown — values within a few hundredths of 0
#    — and its MMD² to real sines is the worst of the table, far above even the untrained generator.
#    The loop was right; the data were wrong.
# 2. **G fitted to the labels**: every output is pushed to 1 (mean output ≈ 1). The generator is
#    solving a regression onto a constant, not a game: no discriminator, no data, no sequence.
# 3. **No time axis**: with one step and $h_0 = 0$ the gradient on the recurrent weights is exactly
#    zero (printed: `0.000e+00`), against a non-zero one with 24 steps. A1/A2's "recurrent" networks
#    are feed-forward layers.
# 4. **Fakes labelled 1**: D learns to call everything real ($D(G(z)) \to 1$ in the last 100 steps),
#    so the generator's loss is already minimal whatever it produces, and it drifts away from the data
#    (MMD² several times the untrained generator's).
# 5. **A0's generator step**: G's weights are *bitwise* unchanged after the whole run and its MMD² is
#    exactly the untrained generator's.
#
# The correct loop (`train_step`) is the only row that improves on the untrained generator. Its
# spread over seeds is large — one seed reaches a low MMD², one stays high — which is the plain
# recipe's instability (C7) that tutorial 6 and the Sines benchmark address with static noise and
# the moment loss.
#
# ## Exercises
#
# 1. A2 feeds a flattened 28×28 image to its LSTM. Reshape it the way C5 intends (28 rows as 28 time
#    steps of 28 pixels; tutorial 7) and check with part 3's measurement that the recurrent weights
#    now receive a gradient.
# 2. Fix A1's data with `np.random.randint(0, 2)`. What does the GAN learn now, and why is that still
#    not a time series?
# 3. In part 4, D still learns *something*. Measure D's accuracy on held-out real against generated
#    sequences over training. What does it converge to?
# 4. Write A0's loop in Keras style with a `trainable` flag and show which ordering of `compile` and
#    `trainable = False` reproduces the bug.
