# %% [markdown]
# # 14. Generating in a latent space (M11–M15)
#
# Every generator so far wrote its sequences step by step, taught only by a recurrent
# discriminator. This notebook takes the other road that `--model latent` offers: first a
# recurrent **autoencoder** learns to squeeze each sequence into a fixed-size code and to rebuild
# the sequence from it, then a small GAN learns to make **codes**, and a sample is a generated code,
# decoded. The idea is RTSGAN's (Pei, Chen, Xu, Ren, Li and Jiang, ICDM 2021); minirgan's version
# is its own, described on the docs' *latent model* page (`docs/latent.md`). In this notebook you
# will
#
# 1. read why splitting the work this way helps;
# 2. train the autoencoder alone on the stocks and look at what it keeps and what it smooths away;
# 3. check one of its new backward passes against centred differences;
# 4. play the game on codes and look at the code space and the decoded samples;
# 5. measure what a step costs against the recurrent GAN's, and list the limits.
#
# Equations cited: the output layer E2, the losses E5 (D) and C6 (G), A4's leaky ReLU, and the project's
# own M11–M15 (the encoder, the decoder, the reconstruction loss, a perceptron layer, the game on
# codes), written out on the docs' *equations* page.

# %%
from _params import pick, setup_figures, banner
import time
import numpy as np
import matplotlib.pyplot as plt
from minirgan.config import AE_SHARE, TrainConfig
from minirgan.run import RunState
from minirgan.train import run_step
from minirgan.latent_train import autoencoder_step
from minirgan.models.autoencoder import Autoencoder
from minirgan.gradcheck import THRESHOLDS, numerical_gradient, relative_error
from minirgan.plots import pca_projection

setup_figures()
print(banner())


def step_std(x):
    """Standard deviation of the steps x_t − x_{t−1} of sequences x (N, T, F), per feature (F,)."""
    return np.diff(x, axis=1).std(axis=(0, 1))


def smooth(v, w=pick(50, 3)):
    """Moving average of a loss curve over w steps."""
    return np.convolve(v, np.ones(w) / w, mode="valid")


# %% [markdown]
# ## 1. Why generate in a latent space
#
# A recurrent GAN's generator has to get two things right at once: the shape of a whole sequence
# (its level, its trend, its wiggles, how its features move together) and the step-to-step
# dynamics that make it a time series rather than a list of numbers. Its only teacher is the
# discriminator's score — a signal that moves as $D$ learns, and that reaches the generator's early
# steps only through a long chain of backpropagation through time. That is the game that
# oscillates, collapses (tutorial 8) and gives five seeds five different answers.
#
# The latent model gives the two jobs to two learners.
#
# * The **autoencoder** learns the temporal structure with a plain regression loss, the mean
#   squared error between a sequence and its reconstruction (M13): a fixed target, no opponent.
#   Training it is as stable as fitting any regression.
# * Once it is trained, every sequence *is* a point in a space of $C$ numbers, its code (M11), and
#   the decoder (M12) turns any such point back into a sequence with the dynamics it learned. What
#   is left for the GAN is a low-dimensional **vector** problem: make points spread like the codes
#   of the data. No recurrence, no BPTT, no sequence length in the game at all — two small
#   perceptrons (M14) playing the ordinary game (M15), at a fraction of the cost of a recurrent
#   GAN's step (section 5 measures it).
#
# The price: a sample can be no better than the decoder's reconstructions, and the code generator
# must cover the codes of the data without leaving their region, where the decoder was never
# trained. Both show up below.

# %% [markdown]
# ## 2. The autoencoder alone
#
# ### The data and the model
#
# The stocks: TimeGAN's daily Google prices, windows of $T = 24$ days of $F = 6$ features (open,
# high, low, close, adjusted close, volume), each feature min–max scaled to $[0, 1]$. A latent run
# is the ordinary `RunState` of a `TrainConfig` with `model="latent"`, so the notebook trains
# exactly what `minirgan train --model latent --data stocks` trains, with the same defaults (a GRU
# of $H = 32$, batches of 64, Adam). `ae_iterations` says how many of the steps
# train the autoencoder; the rest play the game on codes.
#
# The autoencoder (`minirgan/models/autoencoder.py`) is
#
# * **encoder (M11):** a GRU reads $x_1 \dots x_T$; its last state gives the code
#   $c = \tanh(W_e h_T + b_e)$, $C = H = 32$ numbers in $(-1, 1)$;
# * **decoder (M12):** the code is the input of *every* step, $u_t = c$, of a second GRU whose
#   states $s_t$ give $\hat x_t = \sigma(W_o s_t + b_o)$ (E2, the sigmoid because the data are in
#   $[0, 1]$);
# * **loss (M13):** $L_R = \frac{1}{NTF}\sum_{n,t,f}(\hat x_{ntf} - x_{ntf})^2$, backpropagated
#   through the decoder's BPTT, summed over the steps into $\partial L/\partial c =
#   \sum_t \partial L/\partial u_t$, and through the encoder's BPTT.
#
# Why the code enters at every step rather than as the decoder's initial state: each step's error
# then pulls on the code through one step of the cell instead of through all the steps before it,
# and the decoder can run for any number of steps with the code present all the way.

# %%
AE_STEPS, GAME_STEPS = pick(2000, 20), pick(3000, 20)
config = TrainConfig(model="latent", data="stocks", iterations=AE_STEPS + GAME_STEPS,
                     ae_iterations=AE_STEPS, seed=0)
state = RunState(config)
config, G, D, data = state.config, state.G, state.D, state.data
names = state.info["column_names"]
print("data:", data.shape, " features:", ", ".join(names))
ae = G.autoencoder
for part, prefix in (("encoder (M11)", "enc."), ("decoder (M12, E2)", "dec."),
                     ("code generator (M14)", "gen."), ("code discriminator (M14)", "disc.")):
    params = D.params if prefix == "disc." else G.params
    size = sum(v.size for k, v in params.items() if k.startswith(prefix))
    print(f"{part:<26}{size:>7} parameters")
print(f"code size C = {ae.code_dim}; {config.ae_iterations} autoencoder steps, then "
      f"{config.iterations - config.ae_iterations} steps of the game on codes")

# %% [markdown]
# ### Training it
#
# `minirgan.latent_train.autoencoder_step` is phase 1's whole step: a fresh batch, $L_R$ and its
# gradient (`Autoencoder.loss_and_grads`), clipping when configured, one Adam update. It returns
# $L_R$ measured *before* the update. For a yardstick we also compute the error of the best
# constant guess, the mean real sequence (every entry predicted by its mean over the data set):
# an autoencoder that learned nothing about the individual sequence stays at that line.

# %%
baseline = float(np.mean((data - data.mean(axis=0)) ** 2))
start = time.perf_counter()
ae_history = [autoencoder_step(G, state.opt_g, data, state.rng, config) for _ in range(AE_STEPS)]
print(f"{AE_STEPS} autoencoder steps in {time.perf_counter() - start:.1f} s")
loss_ae = np.array([r["loss_ae"] for r in ae_history])
recon = ae.reconstruct(data)[0]                      # evaluation mode, every sequence
print(f"L_R: first step {loss_ae[0]:.4f}, last {loss_ae[-1]:.5f}; "
      f"on the whole data set after training {np.mean((recon - data) ** 2):.5f} "
      f"(the mean sequence: {baseline:.4f})")

fig, ax = plt.subplots()
ax.semilogy(np.arange(1, AE_STEPS + 1), loss_ae, lw=0.5, alpha=0.4, label="$L_R$ of each batch")
ax.semilogy(np.arange(len(smooth(loss_ae))) + (AE_STEPS - len(smooth(loss_ae))) // 2 + 1,
            smooth(loss_ae), label="moving average")
ax.axhline(baseline, color="k", ls=":", label="the mean sequence as the reconstruction")
ax.set_xlabel("autoencoder step")
ax.set_ylabel("$L_R$ (mean squared error, data in [0, 1])")
ax.set_title("the reconstruction loss (M13) only goes down"); ax.legend(); plt.show()

# %% [markdown]
# ### Real against reconstructed
#
# Four windows, the closing price and the volume (the noisiest feature), each with its
# reconstruction $\hat x = \mathrm{Dec}(\mathrm{Enc}(x))$:

# %%
show = [0, 900, 1800, 2700] if len(data) > 2700 else [0, 1, 2, 3]
close, volume = names.index("Close"), names.index("Volume")
fig, axes = plt.subplots(2, 4, figsize=(12, 4.6), sharex=True)
for j, n in enumerate(show):
    for i, k in enumerate((close, volume)):
        axes[i, j].plot(data[n, :, k], "o-", ms=3, label="real")
        axes[i, j].plot(recon[n, :, k], "-", lw=2, label="reconstructed")
    axes[0, j].set_title(f"window {n}")
    axes[1, j].set_xlabel("t (trading day in the window)")
axes[0, 0].set_ylabel("close (scaled to [0, 1])"); axes[1, 0].set_ylabel("volume (scaled to [0, 1])")
axes[0, 0].legend(); plt.tight_layout(); plt.show()

# %% [markdown]
# ### The smoothing, measured
#
# The level of each window comes back; the movement within the window mostly does not — after a
# short transient at the first steps the reconstructions are nearly flat. That is what a mean
# squared error buys first: across the data set, most of the variance of a window is its level
# (prices range over the whole of $[0, 1]$ over the years, and move by a few thousandths a day), so
# getting the level right lowers $L_R$ far more than getting the wiggles right, and a decoder that
# reads the same code at every step produces a level most easily. Three standard deviations per
# feature, data against reconstructions: of the values across windows (the level), of the values
# within a window (averaged over windows), and of the steps $x_t - x_{t-1}$.

# %%
def spread(x):
    """(std across windows, mean std within a window) per feature (F,) of x (N, T, F)."""
    return x.std(axis=0).mean(axis=0), x.std(axis=1).mean(axis=0)


(across_data, within_data), (across_recon, within_recon) = spread(data), spread(recon)
steps_data, steps_recon = step_std(data), step_std(recon)
print(f"{'':<11}{'across windows':>20}{'within a window':>21}{'steps x_t - x_t-1':>21}")
print(f"{'feature':<11}" + f"{'data':>11}{'reconstr.':>10}" * 3)
for k, name in enumerate(names):
    print(f"{name:<11}{across_data[k]:>11.3f}{across_recon[k]:>10.3f}{within_data[k]:>11.4f}"
          f"{within_recon[k]:>10.4f}{steps_data[k]:>11.4f}{steps_recon[k]:>10.4f}")
print("(standard deviations, in the scaled units of the data)")

fig, ax = plt.subplots()
bins = np.linspace(-0.15, 0.15, 61)
for x, label in ((data, "real"), (recon, "reconstructed")):
    ax.hist(np.diff(x[:, :, volume], axis=1).ravel(), bins=bins, density=True, histtype="step",
            lw=2, label=label)
ax.set_yscale("log"); ax.set_xlabel(r"step of the volume, $x_t - x_{t-1}$ (scaled units)")
ax.set_ylabel("density (log scale)"); ax.set_title("the reconstructions' steps are far narrower")
ax.legend(); plt.show()

# %% [markdown]
# This is the first limit of the latent model, and it is not a bug of this run: every sample is a
# decoded code, so **whatever the decoder smooths away, no sample has**. More autoencoder steps (a
# default `minirgan train --model latent` run gives it 10,000, five times this notebook's), a
# larger $H$ or a loss on the steps may narrow the gap; the exercises try some of them.
#
# ## 3. A gradient check of the new backward passes (M11, M12)
#
# Two passes are new in the latent model. The encoder's code (M11) reads only the last state, so
# backwards $\partial L/\partial h_T = W_e^\top(\partial L/\partial c \circ (1 - c^2))$ and every
# other state gets nothing from the code. The decoder's input is the code at every step (M12), so
# backwards the code collects the gradient of every step, $\partial L/\partial c = \sum_t
# \partial L/\partial u_t$. As for every pass of the library, the check is against centred
# differences (`minirgan.gradcheck.numerical_gradient`, with Richardson extrapolation), in float64,
# with every weight **and bias** random and non-zero, a random upstream gradient, and on both
# backends (the numba kernels run the recurrent passes inside; `tests/test_latent_gradcheck.py`
# runs the same checks).

# %%
def random_autoencoder(backend, seed=0, N=3, T=5, F=2, C=3, H=4):
    """A small float64 autoencoder with every parameter drawn from U(−0.8, 0.8), and inputs."""
    rng = np.random.default_rng(seed)
    model = Autoencoder(F, C, hidden=H, rng=rng, backend=backend)
    for v in model.params.values():
        v[...] = rng.uniform(-0.8, 0.8, v.shape)
    return model, rng.uniform(0, 1, (N, T, F)), rng


bound = THRESHOLDS["sequence"]
print(f"{'backward of':<15}{'backend':<9}{'gradient of':<18}{'max rel. error':>15}   (bound {bound:.0e})")
for backend in ("numpy", "numba"):
    model, x, rng = random_autoencoder(backend)
    # M11: codes c (N, C) of x, a random upstream gradient on them
    c, cache = model.encode(x)
    dc = rng.standard_normal(c.shape)
    dx, grads = model.encode_backward(dc, cache)
    checks = [("encoder (M11)", "x", dx, numerical_gradient(lambda: model.encode(x)[0], x, dc))]
    checks += [("encoder (M11)", k, grads[k], numerical_gradient(lambda: model.encode(x)[0], v, dc))
               for k, v in model.params.items() if k.startswith("enc.")]
    # M12: a random code decoded for T steps, a random upstream gradient on every x̂_t
    code = np.tanh(rng.standard_normal(c.shape))
    x_hat, cache = model.decode(code, x.shape[1])
    dx_hat = rng.standard_normal(x_hat.shape)
    dcode, grads = model.decode_backward(dx_hat, cache)
    decode = lambda: model.decode(code, x.shape[1])[0]
    checks += [("decoder (M12)", "c", dcode, numerical_gradient(decode, code, dx_hat))]
    checks += [("decoder (M12)", k, grads[k], numerical_gradient(decode, v, dx_hat))
               for k, v in model.params.items() if k.startswith("dec.")]
    for part, name, analytic, numeric in checks:
        error = relative_error(analytic, numeric)
        if name in ("x", "c", "enc.code.W_hy", "dec.rnn0.W_z") or error > bound:
            print(f"{part:<15}{backend:<9}{name:<18}{error:>15.1e}   {'pass' if error <= bound else 'FAIL'}")
    worst = max(relative_error(a, n) for _, _, a, n in checks)
    print(f"{'':<15}{backend:<9}{'all ' + str(len(checks)) + ' arrays':<18}{worst:>15.1e}   "
          f"{'pass' if worst <= bound else 'FAIL'}")

# %% [markdown]
# What a wrong M12 looks like: the code is copied to every step forward, so backwards its
# gradient is the **sum** of the steps' gradients. A backward pass that took their *mean* instead
# (a common slip when the copy is thought of as an average) would give $1/T$ of the right answer.
# The check sees it at once:

# %%
model, x, rng = random_autoencoder("numpy", seed=1)
T = x.shape[1]
code = np.tanh(rng.standard_normal((3, model.code_dim)))
x_hat, cache = model.decode(code, T)
dx_hat = rng.standard_normal(x_hat.shape)
numeric = numerical_gradient(lambda: model.decode(code, T)[0], code, dx_hat)
summed = model.decode_backward(dx_hat, cache)[0]          # Σ_t ∂L/∂u_t (M12)
averaged = summed / T                                     # what the mean over the steps would give
print(f"∂L/∂c against centred differences: the sum over the steps {relative_error(summed, numeric):.1e}, "
      f"the mean over the steps {relative_error(averaged, numeric):.1e}")


# %% [markdown]
# ## 4. The game on codes (M14, M15)
#
# With the autoencoder trained and frozen, the codes of every training sequence are computed once,
# and two perceptrons play the project's ordinary game on them:
#
# * **code generator (M14):** $z \sim N(0, I)$ of $Z = 16$ numbers → two leaky-ReLU layers (slope
#   0.2, A4) of $2H$ units, each $a_k = \varphi(W_k a_{k-1} + b_k)$ → $\hat c = \tanh(\cdot)$, the range of the
#   codes;
# * **code discriminator (M14, M15):** a code → two leaky-ReLU layers of $2H$ units → one logit
#   $l = D(c)$, trained with E5 on the real codes $c = \mathrm{Enc}(x)$ against $\hat c$; the
#   generator with the non-saturating loss C6;
# * **a sample (M15):** $\hat x = \mathrm{Dec}(G(z))$.
#
# The step is `minirgan.train.train_step` itself, given the code models and the codes in place of
# sequences. `run_step` is the training loop's call for either model; for the latent model it is
# phase 1's `autoencoder_step` above, and in phase 2 it resets $G$'s Adam once (it now serves the
# code generator), computes the codes on the first call, and runs `train_step` on them:

# %%
import inspect
print(inspect.getsource(run_step))

# %%
codes = {}                                  # run_step keeps the data's codes here
z_rng = np.random.default_rng(1)
cg = G.code_generator
untrained_codes = cg.forward(cg.noise(len(data), z_rng))[0]
start = time.perf_counter()
game = [run_step(G, D, state.opt_g, state.opt_d, state, state.rng, step, codes)
        for step in range(AE_STEPS + 1, config.iterations + 1)]
print(f"{GAME_STEPS} steps of the game on codes in {time.perf_counter() - start:.1f} s "
      f"(the first computes the codes of all {len(data)} windows)")
real_c = codes["codes"]
fake_c = cg.forward(cg.noise(len(data), z_rng))[0]

fig, ax = plt.subplots()
for key, label in (("loss_d", "$L_D$ (E5)"), ("loss_g", "$L_G$ (C6)")):
    ax.plot(np.arange(len(smooth([r[key] for r in game]))) + AE_STEPS + 1,
            smooth([r[key] for r in game]), label=label)
ax.axhline(2 * np.log(2), color="C0", ls=":"); ax.axhline(np.log(2), color="C1", ls=":")
ax.set_xlabel("step (the game starts after the autoencoder's steps)"); ax.set_ylabel("loss (nats)")
ax.set_title("the game on codes (dotted: the values at D = 1/2)"); ax.legend(); plt.show()

# %% [markdown]
# ### The code space
#
# Each window of the data is now a point of $(-1, 1)^{32}$. Projected on the first two principal
# components of the real codes, the codes of the data against the codes the generator makes,
# before and after the game:

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 4.4), sharex=True, sharey=True)
for ax, generated, title in ((axes[0], untrained_codes, "code generator before the game"),
                             (axes[1], fake_c, f"after {GAME_STEPS} steps of the game")):
    rp, fp, explained = pca_projection(real_c, generated)
    ax.scatter(rp[:, 0], rp[:, 1], s=4, alpha=0.4, label="codes of real windows, Enc(x)")
    ax.scatter(fp[:, 0], fp[:, 1], s=4, alpha=0.4, label="generated codes, G(z)")
    ax.set_xlabel(f"PC 1 of the real codes ({100 * explained[0]:.0f}% of their variance)")
    ax.set_title(title)
axes[0].set_ylabel(f"PC 2 ({100 * explained[1]:.0f}%)"); axes[0].legend(); plt.tight_layout(); plt.show()


def distances(a, b):
    """Euclidean distances (N, M) between the rows of a (N, C) and of b (M, C)."""
    d2 = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T
    return np.sqrt(np.maximum(d2, 0))


m = min(1000, len(real_c))
print(f"mean distance of a code to the nearest real code: generated {distances(fake_c[:m], real_c).min(1).mean():.3f}, "
      f"before the game {distances(untrained_codes[:m], real_c).min(1).mean():.3f}; "
      f"for scale, two real codes drawn at random are {distances(real_c[:m], real_c).mean():.3f} apart")

# %% [markdown]
# The real codes lie on a thin, curved band: the windows of one stock's prices overlap by 23 of
# their 24 days, so neighbouring windows have neighbouring codes, and most of the codes' variance
# lies along one direction (the first component). Before the game the generator's codes sit in a
# small blob away from the band, where the decoder has never been; after it they lie along the
# band, a few of them past its ends.
#
# ### Decoded samples
#
# A sample is a generated code run through the frozen decoder for $T$ steps (`G.sample`, what
# `minirgan sample` calls):

# %%
fake = G.sample(len(data), np.random.default_rng(7))
fig, axes = plt.subplots(2, 2, figsize=(11, 5), sharey="col", sharex=True)
for j, k in enumerate((close, volume)):
    axes[0, j].plot(data[::len(data) // 20, :, k].T[:, :20], color="tab:blue", alpha=0.6, lw=0.8)
    axes[1, j].plot(fake[:20, :, k].T, color="tab:red", alpha=0.6, lw=0.8)
    axes[0, j].set_title(f"{names[k]}: 20 real windows")
    axes[1, j].set_title(f"{names[k]}: 20 samples, Dec(G(z))")
    axes[1, j].set_xlabel("t (trading day in the window)")
axes[0, 0].set_ylabel("value (scaled to [0, 1])"); axes[1, 0].set_ylabel("value (scaled to [0, 1])")
plt.tight_layout(); plt.show()

(across_fake, within_fake), steps_fake = spread(fake), step_std(fake)
print(f"{'':<11}{'across windows':>20}{'within a window':>21}{'steps x_t - x_t-1':>21}")
print(f"{'feature':<11}" + f"{'data':>11}{'samples':>10}" * 3)
for k, name in enumerate(names):
    print(f"{name:<11}{across_data[k]:>11.3f}{across_fake[k]:>10.3f}{within_data[k]:>11.4f}"
          f"{within_fake[k]:>10.4f}{steps_data[k]:>11.4f}{steps_fake[k]:>10.4f}")

# %% [markdown]
# The samples inherit the reconstructions' smoothness: their levels are spread almost like the
# data's, while within a window they move as little as the reconstructions did in section 2.
#
# ## 5. What it costs, and the limits
#
# The same process, the same data, one after the other: the default recurrent GAN's step
# (`TrainConfig(data="stocks")`: two $D$ steps and a $G$ step, each through the recurrent
# passes) against the latent model's two kinds of step. Each is timed over a few rounds after a
# warm-up (the first calls compile or load the numba kernels), and the best round is kept, so
# that a busy machine spoils the numbers less.

# %%
ROUNDS, STEPS = pick(3, 1), pick(100, 3)


def seconds_per_step(state, first_step):
    """Best of ROUNDS rounds of STEPS calls of run_step from ``first_step`` on (after 3 warm-up steps)."""
    cache, step = {}, first_step
    for _ in range(3):
        run_step(state.G, state.D, state.opt_g, state.opt_d, state, state.rng, step, cache)
        step += 1
    best = np.inf
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        for _ in range(STEPS):
            run_step(state.G, state.D, state.opt_g, state.opt_d, state, state.rng, step, cache)
            step += 1
        best = min(best, (time.perf_counter() - t0) / STEPS)
    return best


span = 3 + ROUNDS * STEPS
rgan = RunState(TrainConfig(data="stocks", iterations=span, seed=0))
latent = RunState(TrainConfig(model="latent", data="stocks", iterations=2 * span, ae_iterations=span, seed=0))
t_rgan = seconds_per_step(rgan, 1)
t_ae = seconds_per_step(latent, 1)                     # phase 1: steps 1 .. span
t_game = seconds_per_step(latent, span + 1)            # phase 2: the game on codes
share = AE_SHARE                                        # the default split of a latent run (a third)
t_latent = share * t_ae + (1 - share) * t_game
for what, t in (("recurrent GAN (rgan)", t_rgan), ("latent: autoencoder step", t_ae),
                ("latent: step of the game on codes", t_game),
                ("latent: a default run (1/3 + 2/3)", t_latent)):
    print(f"{what:<36}{1e3 * t:8.2f} ms/step {1 / t:8.0f} steps/s   {t_rgan / t:5.1f}× the rgan's speed")

# %% [markdown]
# Where the ratio comes from: a step of the recurrent GAN runs fourteen recurrent passes on a
# batch (two $D$ steps and a $G$ step, forward and back), a step of the autoencoder four (the
# encoder and the decoder, forward and back), and a step of the game on codes none — a few small
# matrix products. The numbers above depend on the machine and on how busy it is; the ratio is
# what to compare.
#
# **The limits** (the *latent model* page lists the options it refuses):
#
# * **A sample is at best a reconstruction.** Whatever the decoder smooths away — here most of the
#   day-to-day jitter — no sample has. Scores that look at the spread of values can be good while
#   the steps are wrong; look at the steps.
# * **The code generator must stay on the codes' region.** The decoder was trained only on the
#   codes of real windows; a generated code off the band decodes to whatever the decoder makes of
#   it. Nothing in the game forbids that except $D$.
# * **Two trainings, two budgets.** The split of the steps (a third for the autoencoder by default)
#   was chosen, not tuned, and the code size is $H$ with no option of its own.
# * **Unconditional, one length.** Classes, missing values, attributes and ragged lengths are
#   refused (`--conditional`, `--missing`, `--static-columns`, a table of sequences of different
#   lengths), with one line naming the option.
# * **Not yet measured over seeds.** How it scores against the recurrent GAN over 5 seeds with
#   the full protocol is what `benchmarks/latent_table.py` measures.
#
# ## What the measurements say
#
# The numbers quoted here are those of the committed run (full mode; fast mode trains 20 steps of
# each phase and its numbers mean little). The timings were taken on a 2-core machine that was busy
# with other work; they move by some tens of per cent from run to run, the ratios less.
#
# * **The autoencoder trains like a regression.** $L_R$ fell from 0.108 to 0.0007 in 2,000 steps
#   (16 s), a seventieth of the error of the mean sequence (0.053), and after the first few hundred
#   steps it only crept down. No opponent, nothing to balance.
# * **It keeps the level and drops the movement.** Across windows the reconstructions are spread
#   like the data (0.248 against 0.247 for the open price); within a window they move three to
#   four times less than the prices do (0.003 against 0.010) and nine times less than the volume
#   (0.004 against 0.036), and their steps are two to three times narrower for the prices and
#   sixteen times for the volume. The reconstructions are a level with a short transient.
# * **The new backward passes are right.** M11 and M12 pass the float64 check on both backends,
#   the largest relative error over all 18 arrays $6\cdot 10^{-8}$ against the bound $10^{-6}$; a
#   decoder that averaged the steps' gradients instead of summing them is off by 0.67.
# * **The game on codes finds the codes' region.** Before it, the generated codes sat 3.7 from the
#   nearest real code (two real codes drawn at random are 1.6 apart); after 3,000 steps (10 s),
#   0.11, spread along the whole curved band of the real codes.
# * **The samples are decoded codes.** Their levels are spread almost like the data's (0.225
#   against 0.248), and they are as flat within a window as the reconstructions.
# * **A step costs a fraction of the recurrent GAN's.** In the table above (the speeds of the
#   machine that built this notebook; the ratios are what carries over), a step of the autoencoder
#   takes about a third of a recurrent GAN's step, and a step of the game on codes about a seventh:
#   a default latent run (a third of its steps in the autoencoder) makes about five times as many
#   steps per second.
#
# ## Exercises
#
# 1. Train the autoencoder for four times as many steps, and with $H = 64$
#    (`TrainConfig(hidden=64, ...)`). How do $L_R$ and the ratio of the step standard deviations
#    (data against reconstructions) change? Which of the two helps the volume more?
# 2. Add the step moment loss of `minirgan/moment_loss.py` to $L_R$ (its gradient on $\hat x$ joins
#    M13's before `reconstruct_backward`). Does it give back the jitter, and what does it cost in
#    $L_R$?
# 3. Give the decoder the code as its initial state instead of as every step's input (build an
#    autoencoder whose decoder reads zeros and starts from $h_0 = c$). Compare the loss curves, and
#    explain the difference with the gradient paths of M12.
# 4. Decode the generated codes for $L = 48$ steps (`G.sample(n, rng, seq_len=48)`). What do the
#    samples do after step 24, and why?
# 5. Interpolate between the codes of two real windows, $c(\alpha) = (1 - \alpha) c_a + \alpha c_b$,
#    and decode. Is the path between them a path between plausible windows? Compare with the
#    straight line between the two windows themselves.
