# %% [markdown]
# # 12. Does the GRU beat the plain RNN? C1 measured across seeds and initialisations
#
# Three seeds (S0, S2, S3) claim that recurrent networks capture long-range dependencies and that
# the GRU does so **better and more stably** than a plain RNN (**C1**). Tutorial 4 measured the
# claim with three seeds at the default initialisation and did not see it. One initialisation and
# three seeds are not a result, so this notebook measures it properly:
#
# * **five seeds** for every configuration, reported as mean ± 95 % t-interval;
# * **two initialisations of the GRU**: the library default (update-gate bias $b_u = 0$, so
#   $u_t \approx 0.5$) and a *copy* start ($b_u = -3$, so $u_t \approx 0.05$ and E15's
#   $h_t = (1-u_t)\circ h_{t-1} + u_t\circ\tilde h_t$ starts close to $h_t = h_{t-1}$);
# * the plain tanh RNN (E1) and, as a reference the seeds never write down, the LSTM;
# * two measurements: how far the gradient reaches at initialisation, and the remember-one-bit
#   task of tutorial 4 (`tutorials/_memory_task.py`) at growing lags, trained with the same budget.
#
# The text after the measurements was written after reading them.

# %%
from _params import FAST, pick, setup_figures, banner
import time
import numpy as np
import matplotlib.pyplot as plt
from scipy import stats
from _memory_task import memory_batch, memory_model, train_memory

setup_figures()
print(banner())

def copy_start(params, bias=-3.0):
    """Start the GRU near "copy": b_u = −3 gives u_t = σ(−3) ≈ 0.05 at every unit (E12, E15)."""
    params["rnn0.b_u"][:] = bias

CONFIGS = {"rnn": ("rnn", None), "gru (default)": ("gru", None),
           "gru (copy start)": ("gru", copy_start), "lstm": ("lstm", None)}
SEEDS = pick(5, 2)

def mean_ci(values):
    """Mean and half-width of the 95 % Student-t interval over seeds."""
    v = np.asarray(values, dtype=float)
    if len(v) < 2:
        return float(v.mean()), float("nan")
    return float(v.mean()), float(stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v)))

# %% [markdown]
# ## 1. How far the gradient reaches at initialisation
#
# As in tutorial 4: put an upstream gradient on the classifier's logit (read from the last hidden
# state) and measure $\|\partial l/\partial x_{T-k}\|$ relative to $\|\partial l/\partial x_T\|$,
# the fraction of the signal that survives $k$ steps back. One value per seed.

# %%
T_probe = pick(60, 30)
x_probe = np.random.default_rng(0).standard_normal((64, T_probe, 1))
reach = {}
for name, (cell, init) in CONFIGS.items():
    per_seed = []
    for seed in range(SEEDS):
        model = memory_model(cell, seed, init=init)
        logits, cache = model.forward(x_probe)
        dx, _ = model.backward(np.ones_like(logits), cache)
        norms = np.linalg.norm(dx[:, ::-1, :], axis=2).mean(axis=0)      # index = lag k
        per_seed.append(norms / norms[0])
    reach[name] = np.array(per_seed)

fig, ax = plt.subplots()
lag = np.arange(T_probe)
for name, r in reach.items():
    geo = np.exp(np.log(r + 1e-300).mean(axis=0))
    ax.semilogy(lag, geo, label=name)
    ax.fill_between(lag, r.min(axis=0) + 1e-300, r.max(axis=0) + 1e-300, alpha=0.15)
ax.set_xlabel("lag k (steps back)"); ax.set_ylabel(r"$\|\partial l/\partial x_{T-k}\| \,/\, \|\partial l/\partial x_T\|$")
ax.set_title(f"gradient reaching the past at initialisation ({SEEDS} seeds: geometric mean, min–max band)")
ax.legend(); plt.show()
for k in pick([10, 20, 40], [5, 10]):
    print(f"lag {k:2d}: " + "   ".join(f"{n} {np.exp(np.log(r[:, k]).mean()):.1e}" for n, r in reach.items()))

# %% [markdown]
# ## 2. The memory task, five seeds
#
# Each model (one layer, $H = 16$) is trained for the same number of Adam steps with gradients
# clipped to global norm 1, for every cell alike; accuracy on 1,000 fresh sequences, 0.5 = chance.
# A run *solves* a lag when its accuracy exceeds 0.9.

# %%
lags = pick([10, 20, 40], [5, 10])
iterations = pick(600, 30)
accuracy, peak_grad = {}, {}
start = time.perf_counter()
for name, (cell, init) in CONFIGS.items():
    for T in lags:
        runs = [train_memory(cell, T, iterations, seed, clip=1.0, init=init, backend="numba")
                for seed in range(SEEDS)]
        accuracy[name, T] = [a for a, _ in runs]
        peak_grad[name, T] = [max(h["grad_norm"]) for _, h in runs]
elapsed = time.perf_counter() - start
print(f"{len(CONFIGS) * len(lags) * SEEDS} models, {iterations} steps each, in {elapsed:.0f} s\n")
print(f"{'':18s}" + "".join(f"{'lag ' + str(T):>22s}" for T in lags))
for name in CONFIGS:
    cells = []
    for T in lags:
        m, h = mean_ci(accuracy[name, T])
        solved = sum(a > 0.9 for a in accuracy[name, T])
        cells.append(f"{m:.2f} ± {h:.2f} ({solved}/{SEEDS})")
    print(f"{name:18s}" + "".join(f"{c:>22s}" for c in cells))
print("\nmean ± 95 % t-interval of test accuracy over seeds (seeds that solved the lag)")

fig, ax = plt.subplots()
for i, name in enumerate(CONFIGS):
    stats_ = [mean_ci(accuracy[name, T]) for T in lags]
    ax.errorbar(np.array(lags) * (1 + 0.03 * (i - 1.5)), [m for m, _ in stats_],
                yerr=[0 if h != h else h for _, h in stats_], fmt="o-", capsize=3, label=name)
ax.set_xscale("log"); ax.set_xticks(lags); ax.set_xticklabels(lags); ax.axhline(0.5, color="k", ls=":")
ax.set_xlabel("lag T (steps the bit must be carried)"); ax.set_ylabel("test accuracy")
ax.set_title(f"remembering one bit: mean ± 95 % interval over {SEEDS} seeds"); ax.legend(); plt.show()

# %% [markdown]
# ## 3. "More stably"
#
# The seeds' second half of C1 is stability. Two readings we can measure: the spread of the result
# over seeds (the width of the intervals above) and the largest gradient norm met during training
# (before clipping), a sign of explosion.

# %%
print(f"{'':18s}" + "".join(f"{'lag ' + str(T):>24s}" for T in lags))
for name in CONFIGS:
    print(f"{name:18s}" + "".join(f"{'peak |g| ' + format(np.median(peak_grad[name, T]), '.2f'):>24s}"
                                  for T in lags))
print("\nmedian over seeds of the largest gradient norm before clipping")

# %% [markdown]
# ## What holds
#
# The numbers quoted here are those of the full run committed with this notebook (five seeds;
# fast mode uses two seeds and tiny budgets, so its numbers differ).
#
# * **At the default initialisation, C1 does not hold.** The GRU and the tanh RNN are
#   indistinguishable: the gradient reaching 20 and 40 steps back is the same order of magnitude
#   (part 1), and on the memory task both solve lag 10 in every seed, lag 20 in about two seeds of
#   five, and never lag 40 (part 2). The intervals overlap everywhere.
# * **With an update gate that starts near "copy", C1 holds, strongly.** $b_u = -3$ keeps a large
#   fraction of the gradient alive 40 steps back (part 1, orders of magnitude above every other
#   configuration), and the GRU then solves every lag we tried in every seed, with intervals of zero
#   width. That is the mechanism the seeds allude to — the $(1-u_t)$ path of E15 — but it only works
#   when the network *starts* with the path open; gradient descent does not find it from $u_t = 0.5$
#   in this budget.
# * The LSTM, with its library forget bias of 1, sits in between: lag 20 in every seed, lag 40 in none.
# * **"More stably"** is not supported in the sense of smaller gradients: the copy-start GRU met
#   larger gradient norms than the RNN at long lags (part 3) — it is the configuration that is
#   actually learning there — and clipping to norm 1 kept every run finite. Its stability shows as
#   the narrowest intervals over seeds.
#
# Said plainly: "the GRU captures long-range dependencies better than an RNN" is true of a GRU
# initialised to remember and false of a GRU at the usual initialisation, on this task and budget.
#
# ## Exercises
#
# 1. Sweep the copy-start bias $b_u \in \{0, -1, -2, -3, -5\}$ at lag 40. Where is the optimum, and
#    why does a very negative bias hurt (what must $u_t$ do for the network to *write* the bit)?
# 2. Give the RNN the analogous start: $W_{hh} = I$ with ReLU (Le et al., 2015; build it with
#    `Discriminator(..., cell="rnn")` and set `params["rnn0.W_hh"]`; tutorial 4, exercise 2). Does it
#    close the gap to the GRU?
# 3. Double the budget (1,200 steps). Which conclusions change?
# 4. Report the result as a paired comparison: for each seed, the GRU's accuracy minus the RNN's
#    (same seed, same data). Is the interval of the difference narrower than that of each cell?
