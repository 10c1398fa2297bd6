# %% [markdown]
# # 8. Mode collapse and its remedies (C3), measured
#
# S4 says GANs suffer **mode collapse** — the generator produces only a few kinds of samples — and
# names remedies: the least-squares loss (LSGAN), the Wasserstein loss (WGAN), and noise input
# (claim **C3**). In this notebook you will
#
# 1. build a data set with four clearly separated modes, so coverage can be counted;
# 2. define three measurements: modes covered, the diversity ratio, and MMD²;
# 3. train the same recurrent GAN with each remedy and compare the numbers.
#
# As in tutorial 4, the conclusions are whatever the numbers say.

# %%
from _params import FAST, pick, setup_figures, banner
import os
import tempfile
import time
import numpy as np
import matplotlib.pyplot as plt
from minirgan.config import TrainConfig
from minirgan.train import train
from minirgan.metrics import mmd2, diversity_ratio

setup_figures()
print(banner())

# %% [markdown]
# ## Four modes
#
# Every sequence is a sine of one of four frequencies (the *mode*), with a random phase and a little
# noise: $x_t = \tfrac12\big(1 + \sin(\omega_m t + \varphi)\big) + \epsilon_t$, $m \in \{0,1,2,3\}$.
# A generator that covers the data produces all four frequencies in equal shares.

# %%
T, OMEGAS = 24, np.array([0.15, 0.4, 0.8, 1.4])

def four_modes(n, rng):
    """(n, T, 1) sequences and their mode index m (n,)."""
    rng = np.random.default_rng(rng)
    m = rng.integers(0, 4, n)
    phase = rng.uniform(0, 2 * np.pi, n)
    t = np.arange(T)
    x = 0.5 * (1 + np.sin(OMEGAS[m, None] * t + phase[:, None])) + 0.03 * rng.standard_normal((n, T))
    return x[:, :, None], m

def dominant_mode(x):
    """The mode whose frequency carries the most power in each sequence's spectrum."""
    t = np.arange(x.shape[1])
    centred = x[:, :, 0] - x[:, :, 0].mean(axis=1, keepdims=True)
    power = [np.abs(centred @ np.exp(-1j * w * t)) for w in OMEGAS]
    return np.argmax(np.stack(power, axis=1), axis=1)

real, modes = four_modes(pick(4000, 400), rng=0)
print("mode read back from the spectrum, accuracy on real data:", np.mean(dominant_mode(real) == modes))
fig, axes = plt.subplots(1, 4, figsize=(12, 2.4), sharey=True)
for k in range(4):
    axes[k].plot(real[modes == k][:5, :, 0].T, lw=0.8); axes[k].set_title(f"mode {k}: ω = {OMEGAS[k]}")
    axes[k].set_xlabel("t")
axes[0].set_ylabel("$x_t$ (about [0, 1])")
plt.tight_layout(); plt.show()

data_path = os.path.join(tempfile.mkdtemp(prefix="minirgan-modes-"), "four_modes.npy")
np.save(data_path, real)                      # the loop reads user data from .npy (N, T, F)

# %% [markdown]
# ## Three measurements
#
# * **modes covered** — how many of the four frequencies have at least 5 % of the generated samples,
#   and the entropy of the mode shares in bits (2 bits = all four equally);
# * **purity** — how clean each generated sequence is: the share of its power (at the four
#   frequencies) that sits at its dominant one. Noise "covers" every mode, so coverage alone can
#   flatter a generator that has learned nothing; purity catches that;
# * **diversity ratio** (`minirgan.metrics.diversity_ratio`) — the mean pairwise distance of generated
#   sequences divided by that of real ones: about 1 when as varied as the data, far below 1 when
#   collapsed;
# * **MMD²** (`minirgan.metrics.mmd2`) — a distance between the two distributions (0 = the same).

# %%
def purity(x):
    """Share of the power at the four frequencies that sits at the dominant one, per sequence:
    near 1 for a clean sine of one mode, near 1/4 for noise (which 'covers' every mode)."""
    t = np.arange(x.shape[1])
    centred = x[:, :, 0] - x[:, :, 0].mean(axis=1, keepdims=True)
    power = np.stack([np.abs(centred @ np.exp(-1j * w * t)) ** 2 for w in OMEGAS], axis=1)
    return power.max(axis=1) / power.sum(axis=1)

def measure(fake, real_eval):
    shares = np.bincount(dominant_mode(fake), minlength=4) / len(fake)
    nz = shares[shares > 0]
    return {"modes": int(np.sum(shares >= 0.05)), "entropy": float(-(nz * np.log2(nz)).sum()),
            "purity": float(purity(fake).mean()), "diversity": diversity_ratio(real_eval, fake),
            "mmd2": mmd2(real_eval, fake), "shares": shares}

def summary(m):
    return (f"modes {m['modes']}  entropy {m['entropy']:.2f} bits  purity {m['purity']:.2f}  "
            f"diversity {m['diversity']:.3f}  MMD² {m['mmd2']:.4f}  shares {np.round(m['shares'], 2)}")

real_eval, _ = four_modes(pick(1000, 200), rng=1)
print("real vs real:", summary(measure(four_modes(len(real_eval), 2)[0], real_eval)))
print("noise       :", summary(measure(np.random.default_rng(3).uniform(0, 1, real_eval.shape), real_eval)))

# %% [markdown]
# ## The remedies, trained side by side
#
# One baseline — the seeds' plain recipe, fixed here whatever the library's defaults become: GRU
# generator and discriminator, fresh noise at every step, the non-saturating loss C6, no moment loss,
# Adam with A4's β1 — and one change at a time:
#
# | run | change | remedy named in S4 |
# | --- | --- | --- |
# | `nonsaturating` | none (baseline) | — |
# | `minimax` | the saturating loss E4 | — (for contrast) |
# | `lsgan` | least-squares loss | LSGAN |
# | `wgan` | Wasserstein critic with weight clipping | WGAN |
# | `noise 1` | one noise number per step instead of the default | noise input (less of it) |
# | `noise 16` | sixteen noise numbers per step | noise input (more of it) |
# | `static noise` | one noise vector per sequence, repeated at every step | noise input (another form) |
# | `moment loss` | TimeGAN's moment loss added to $L_G$ (weight 1) | — (TimeGAN's remedy) |

# %%
RUNS = {"nonsaturating": {}, "minimax": {"loss": "minimax"}, "lsgan": {"loss": "lsgan"},
        "wgan": {"loss": "wgan"}, "noise 1": {"noise_dim": 1}, "noise 16": {"noise_dim": 16},
        "static noise": {"noise": "static"}, "moment loss": {"moment_loss": 1.0}}
BASELINE = {"loss": "nonsaturating", "noise": "per_step", "noise_dim": 5, "moment_loss": 0.0,
            "step_moment_loss": 0.0,
            "hidden": 24, "batch": 64, "readout": "last", "d_steps": 1}
iterations, seeds = pick(1000, 8), pick(2, 1)
results = {}
start = time.perf_counter()
for name, change in RUNS.items():
    for seed in range(seeds):
        config = TrainConfig(data=data_path, seq_len=T, iterations=iterations, seed=seed,
                             **{**BASELINE, **change})
        state, history = train(config, out_dir=tempfile.mkdtemp(), progress=False, figures=False)
        fake = state.scaler.inverse_transform(state.G.sample(len(real_eval), np.random.default_rng(seed)))
        results[name, seed] = {**measure(fake, real_eval), "fake": fake, "history": history}
print(f"{len(results)} runs of {iterations} steps in {time.perf_counter() - start:.0f} s\n")

print(f"{'run':14s} {'modes':>7s} {'entropy':>8s} {'purity':>7s} {'diversity':>10s} {'MMD²':>8s}   mode shares (per seed)")
for name in RUNS:
    rs = [results[name, s] for s in range(seeds)]
    print(f"{name:14s} {np.mean([r['modes'] for r in rs]):7.1f} {np.mean([r['entropy'] for r in rs]):8.2f} {np.mean([r['purity'] for r in rs]):7.2f} "
          f"{np.mean([r['diversity'] for r in rs]):10.3f} {np.mean([r['mmd2'] for r in rs]):8.4f}   "
          + "  ".join(str(np.round(r["shares"], 2)) for r in rs))

# %%
fig, axes = plt.subplots(2, len(RUNS) // 2, figsize=(12, 4.6), sharey=True)
axes = axes.ravel()
for ax, name in zip(axes, RUNS):
    ax.plot(results[name, 0]["fake"][:12, :, 0].T, lw=0.8)
    ax.set_title(name, fontsize=9)
for ax in axes[::len(RUNS) // 2]:
    ax.set_ylabel("generated $x_t$")
plt.tight_layout(); plt.show()

fig, ax = plt.subplots(figsize=(8, 3))
for name in RUNS:
    h = results[name, 0]["history"]
    ax.plot(np.convolve([r["d_fake"] for r in h], np.ones(pick(20, 2)) / pick(20, 2), mode="valid"), label=name, lw=1)
ax.set_xlabel("step"); ax.set_ylabel("mean D(G(z)), smoothed"); ax.legend(fontsize=8, ncol=3)
ax.set_title("the discriminator's view of the samples during training"); plt.show()

# %% [markdown]
# ## Reading the table
#
# Each row is one change from the baseline, averaged over the seeds shown (few seeds: differences
# smaller than the seed-to-seed spread in the "mode shares" column are not evidence). Things to
# check against S4's claim:
#
# * Does the baseline collapse at all here (modes covered < 4, diversity ≪ 1)? If it does not, a
#   remedy has nothing to fix on this data.
# * Do LSGAN and WGAN cover more modes or reach a lower MMD² than the baseline, with the same budget?
#   (WGAN's clipped critic often learns slowly with the default learning rate; a remedy that needs
#   its own tuning is not a free fix.)
# * Does the amount of noise matter? With one noise number per step the generator still has $T$ of
#   them per sequence, enough in principle to pick a mode and a phase.
#
# **What the full run committed with this notebook found** (two seeds, 1,000 steps each; fast mode
# trains for a few steps only).
#
# * Purity says it first: the baseline's samples have a purity of 0.55, hardly above *noise* (0.53)
#   and far from real data (0.90). In this budget the plain recipe of the seeds produces jagged sequences
#   with the right range and roughly the right spread (diversity 0.87), not clean sines — so its
#   "modes covered" (3.5) flatters it, as noise would.
# * The clearest **mode collapse** came from a change S4 would count as a remedy: *static* noise (one
#   noise vector per sequence). Its samples are clean, nearly identical waves (purity 0.69, the
#   highest), three quarters of them in one mode, none in another (entropy 1.34 bits, where even shares give 2), and MMD² is
#   seven times the baseline's. Less noise (one number per step) also skewed the shares (one mode took
#   up to 68 %). Note the contrast: on TimeGAN's sines, whose features vary smoothly within one family,
#   the Sines benchmark measured static noise as a clear *improvement* — it is now the library's
#   default (tutorial 6). On data with separate modes it collapsed. A remedy's effect depends on the data.
# * LSGAN changed little (MMD² 0.022 against 0.025; samples *more* spread than the data, diversity
#   1.4). WGAN, with its default clipping and learning rate, barely moved from its initial output
#   (diversity 0.18, MMD² 0.16 — among the worst): a remedy that needs its own tuning is not a free fix.
# * TimeGAN's moment loss gave the lowest MMD² (0.006, a quarter of the baseline's) and a diversity
#   ratio of 0.995 — but the samples are still not clean sines (purity 0.59) and the fastest mode is
#   almost never produced (2–3 %).
#
# So the seeds' claim C3 holds in its first half — mode collapse is real and easy to provoke — while
# the named remedies did not, on this data and budget, deliver what the claim suggests; matching the
# batch statistics (moment loss) helped most.
#
# The metrics page of the docs (`docs/metrics.md`) explains the diversity ratio and MMD² in detail.
#
# ## Exercises
#
# 1. Add one-sided label smoothing (`label_smoothing=0.1`) and `d_steps=5` as further runs. Which of
#    them changes the mode shares more than the seed-to-seed spread?
# 2. Make the modes unequal (70 % of mode 0). Does the generator follow the shares or over-produce
#    the common mode?
# 3. Track the mode shares *during* training (sample every 100 steps). Does the generator cycle
#    between modes — the classic picture of mode collapse — or settle?
# 4. WGAN's critic needs to stay Lipschitz: try `wgan_clip` of 0.005, 0.01 and 0.05. How does the
#    critic's output range change, and with it the generator's progress?
# 5. Use more seeds (e.g. 5) and report mean ± standard deviation for each run. Which conclusions of
#    the table survive?
