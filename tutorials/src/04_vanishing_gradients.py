# %% [markdown]
# # 4. Vanishing and exploding gradients: measured, not repeated (C1, C2)
#
# The seeds claim that recurrent networks capture long-range dependencies and that the GRU does so
# better and more stably than a plain RNN (**C1**, S0, S2, S3), and that recurrent layers suffer
# vanishing or exploding gradients which clipping helps against (**C2**, S2, S3). This notebook
# measures both claims with minirgan's own backward passes:
#
# 1. the gradient norm $\|\partial h_T/\partial x_{T-k}\|$ against the lag $k$ for RNN, GRU and LSTM;
# 2. a long-memory task (remember the first input of a noisy sequence) trained at growing lags;
# 3. an exploding-gradient set-up trained with and without clipping by global norm.
#
# Whatever the numbers say is the answer; the text below was written after looking at them.
#
# Part 1 reads gradients off the NumPy reference (`backend="numpy"`, as in tutorials 1–3). Parts 2
# and 3 train many small models, so they run the numba kernels, which compute the same numbers
# faster (`tests/test_kernels.py` checks that they agree).

# %%
import time
import numpy as np
import matplotlib.pyplot as plt
import minirgan as mr
from minirgan.models import Discriminator
from minirgan.losses import discriminator_loss
from minirgan.optim import Adam, SGD, clip_by_global_norm, global_norm
from _params import FAST, pick, setup_figures, banner

setup_figures()
print(banner())

# %% [markdown]
# ## Why gradients vanish or explode
#
# For the Elman RNN (E1), $h_t = f(a_t)$ with $a_t = W_{hh}h_{t-1} + W_{xh}x_t + b_h$, so
#
# $$\frac{\partial h_T}{\partial h_{T-k}} = \prod_{s=T-k+1}^{T} \mathrm{diag}\big(f'(a_s)\big)\, W_{hh},
# \qquad \Big\|\frac{\partial h_T}{\partial h_{T-k}}\Big\| \le \big(\gamma\,\|W_{hh}\|\big)^k$$
#
# with $\gamma = \max|f'| \le 1$ for tanh. The norm shrinks or grows **geometrically in $k$** unless
# $\gamma\|W_{hh}\|$ is close to 1. The GRU (E15) adds a path $h_t = (1-u_t)\circ h_{t-1} + \dots$ whose
# Jacobian contains $\mathrm{diag}(1 - u_t)$ — close to the identity when the update gate is shut —
# and the LSTM's cell carries the gradient through $\mathrm{diag}(f_t)$ only (tutorial 3).
#
# ## 1. Gradient norm against lag, at initialisation
#
# Put an upstream gradient only on the **last** hidden state and read the gradient reaching every
# input $x_{T-k}$. We use `minirgan.models.Discriminator` — a recurrent layer read out at its last
# state, exactly a sequence classifier — so one `backward` call gives $\partial l/\partial x_t$ for every $t$.

# %%
T_probe, H = pick(100, 40), 16
rng = np.random.default_rng(0)
x_probe = rng.standard_normal((64, T_probe, 1))
lag = np.arange(T_probe)
grad_at_init = {}
for cell in ("rnn", "gru", "lstm"):
    norms = []
    for seed in range(pick(5, 2)):
        model = Discriminator(1, hidden=H, cell=cell, readout="last", rng=seed, backend="numpy")
        logits, cache = model.forward(x_probe)
        dx, _ = model.backward(np.ones_like(logits), cache)      # upstream gradient on l = W h_T + b only
        norms.append(np.linalg.norm(dx[:, ::-1, :], axis=2).mean(axis=0))   # index = lag k
    grad_at_init[cell] = np.exp(np.mean(np.log(np.array(norms) + 1e-300), axis=0))  # geometric mean
    plt.semilogy(lag, grad_at_init[cell], label=cell)
plt.xlabel("lag k"); plt.ylabel(r"$\|\partial l / \partial x_{T-k}\|$ (mean over batch)")
plt.title("gradient reaching the past, default initialisation"); plt.legend(); plt.show()

for k in [1, 10, 20, 40, T_probe - 1]:
    if k < T_probe:
        print(f"lag {k:3d}: " + "  ".join(f"{c} {grad_at_init[c][k]:.1e}" for c in grad_at_init))

# %% [markdown]
# ## 2. A long-memory task
#
# Each sequence starts with a label $x_1 = \pm 1$ followed by $T-1$ steps of Gaussian noise; the
# network must output the sign of $x_1$ after reading the whole sequence, i.e. carry one bit across a
# lag of $T-1$ steps through distracting inputs. The classifier is the same `Discriminator` (one
# recurrent layer, $H = 16$, last-state readout), trained with binary cross-entropy — the
# discriminator loss E5, with class $+1$ playing "real" and class $-1$ "generated" — by Adam, with
# gradients clipped to global norm 1 for every cell alike. Accuracy is measured on 1,000 fresh
# sequences; 0.5 is chance.

# %%
# The task and its training loop live in tutorials/_memory_task.py (tutorial 12 measures C1 on it too).
from _memory_task import memory_batch, train_memory

def scale_whh(factor):
    """An initialisation change: multiply the RNN's recurrent matrix W_hh by ``factor``."""
    def init(params):
        params["rnn0.W_hh"] *= factor
    return init

# %%
lags = pick([10, 20, 40, 80], [5, 10])
seeds = pick(3, 1)
iterations = pick(600, 40)
results = {}
start = time.perf_counter()
for cell in ("rnn", "gru", "lstm"):
    for T in lags:
        results[cell, T] = [train_memory(cell, T, iterations, seed, clip=1.0)[0] for seed in range(seeds)]
print(f"trained {3 * len(lags) * seeds} models in {time.perf_counter() - start:.0f} s "
      f"({iterations} iterations each)\n")
print("test accuracy (one value per seed; 0.5 = chance)")
print(f"{'lag':>5s}  " + "  ".join(f"{c:>18s}" for c in ("rnn", "gru", "lstm")))
for T in lags:
    print(f"{T:5d}  " + "  ".join(f"{' '.join(f'{a:.2f}' for a in results[c, T]):>18s}" for c in ("rnn", "gru", "lstm")))

solved = {c: [T for T in lags if np.median(results[c, T]) > 0.9] for c in ("rnn", "gru", "lstm")}
for c, ts in solved.items():
    print(f"{c}: longest lag solved (median accuracy > 0.9): {max(ts) if ts else 'none'}")

fig, ax = plt.subplots()
for c in ("rnn", "gru", "lstm"):
    ax.plot(lags, [np.mean(results[c, T]) for T in lags], "o-", label=c)
ax.set_xscale("log"); ax.set_xticks(lags); ax.set_xticklabels(lags)
ax.axhline(0.5, color="k", ls=":"); ax.set_xlabel("lag T"); ax.set_ylabel("mean test accuracy")
ax.set_title("remembering one bit across T noisy steps"); ax.legend(); plt.show()

# %% [markdown]
# ## 3. Exploding gradients and clipping
#
# Scale an RNN's recurrent matrix by 3 at initialisation: now $\gamma\|W_{hh}\| > 1$ and gradients
# blow up over long spans. Train it on the memory task at lag 20 with SGD + momentum, once plainly
# and once with the gradients clipped to global norm 1 (`minirgan.optim.clip_by_global_norm`, C2).

# %%
clip_runs = {}
for clip in (None, 1.0):
    clip_runs[clip] = [train_memory("rnn", 20, pick(300, 40), seed, optimizer="sgd", lr=0.05,
                                    clip=clip, init=scale_whh(3.0)) for seed in range(pick(3, 1))]
    accs = [a for a, _ in clip_runs[clip]]
    peaks = [max(h["grad_norm"]) for _, h in clip_runs[clip]]
    print(f"clip={clip}: test accuracy {np.round(accs, 2)}, largest gradient norm seen {np.round(peaks, 1)}")

fig, axes = plt.subplots(1, 2, figsize=(11, 3.4))
for clip, style in ((None, "r-"), (1.0, "b-")):
    for i, (_, h) in enumerate(clip_runs[clip]):
        axes[0].plot(h["loss"], style, alpha=0.6, label=f"clip={clip}" if i == 0 else None)
        axes[1].semilogy(h["grad_norm"], style, alpha=0.6, label=f"clip={clip}" if i == 0 else None)
axes[0].set_title("training loss"); axes[1].set_title("gradient norm before clipping")
axes[0].set_ylabel("BCE loss (nats)"); axes[1].set_ylabel(r"global norm $\|g\|_2$")
for ax in axes:
    ax.set_xlabel("iteration"); ax.legend()
plt.tight_layout(); plt.show()

# %% [markdown]
# ## What the measurements say
#
# The numbers quoted here are those of the full run committed with this notebook (fast mode
# uses smaller sizes and fewer seeds, so its numbers differ).
#
# **Gradient against lag (part 1).** At default initialisation the gradient reaching the past decays
# geometrically for all three cells. The LSTM keeps by far the most (about $10^{-3}$ at lag 20 against
# $10^{-6}$ for the others): its forget bias of 1 holds the cell open. The GRU decays *as fast as the
# tanh RNN — slightly faster in fact*. The reason is in E15: its identity path is scaled by
# $1 - u_t$, and at initialisation the update gate sits near $\sigma(0) = 0.5$, so the path is only
# half open and $0.5^{20} \approx 10^{-6}$ — exactly the GRU's value at lag 20.
#
# **The memory task (part 2)** is the real test of C1. With this budget (one layer of 16 units, 600
# Adam steps, three seeds) the plain RNN and the GRU behaved the same: both solved lag 10 in every
# seed and lag 20 in one seed of three. The LSTM solved lag 20 in all three seeds. No cell solved lag
# 40. So in our measurement the seeds' claim that the GRU *handles long-range dependencies better*
# than a plain RNN does not show at all; the gated cell that does reach further is the LSTM, which the
# seeds never write down. (A GRU can learn to shut its update gate and carry information much
# further — exercise 1 — but it does not start there, and gradient descent has to find it with a
# vanishing signal.) Tutorial 12 measures exactly that across five seeds: started near "copy", the GRU
# solves every lag tried.
#
# **Clipping (part 3)** is the clearest result: a recurrent network started in the exploding regime
# and trained with plain SGD does not learn at all without clipping, and learns the task with it.
# Clipping bounds each update; it does not make the gradient reach further back, so it cures
# explosion (C2) but not vanishing.
#
# ## Exercises
#
# 1. Initialise the GRU's update-gate bias $b_u$ to $-3$ (so $u_t \approx 0.05$) and redo part 1.
#    How far does the gradient now reach, and does the memory task get easier?
# 2. Replace tanh with ReLU in the RNN (`activation="relu"`: in `mr.rnn_forward`, and in
#    `Discriminator(..., cell="rnn", activation="relu")` for part 2) and an identity
#    initialisation of $W_{hh}$ (Le et al., 2015). Measure part 1 and part 2 again.
# 3. Plot the largest singular value of $W_{hh}$ during training in part 3, with and without clipping.
# 4. Make the task easier (noise 0.3) or harder (noise 2): how does the longest solved lag move for
#    each cell? Use more seeds and report means with spread.
# 5. Clip each parameter's gradient separately instead of by the global norm. Why does that change
#    the update's direction, and does it matter here?
