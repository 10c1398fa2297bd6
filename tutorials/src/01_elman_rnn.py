# %% [markdown]
# # 1. The Elman RNN: forward pass, backpropagation through time, gradient check
#
# The simplest recurrent network, and the first cell of every seed (S0 §3.3, S4 §3.1).
# In this notebook you will
#
# 1. compute one step of **E1** by hand and with `minirgan.rnn_step_forward`;
# 2. run a whole sequence and read off the output of **E2**;
# 3. derive backpropagation through time (BPTT) and rebuild `minirgan.rnn_backward`
#    from one-step backward passes, so you can see its structure;
# 4. prove the gradients right with finite differences (the gradient check).
#
# Equation numbers (E1, E2, …) refer to the docs' *Equations* page (`docs/equations.md`); the
# *equation map* of the docs (`docs/equation_map.md`) says where each one lives in the code.
#
# Every sequence call below passes `backend="numpy"`: it runs the **NumPy reference**, the code of
# `minirgan/rnn.py` that you can read line by line beside this page. The numba kernels
# (`minirgan/kernels/`, the default backend) compute the same numbers faster; `tests/test_kernels.py`
# checks that both agree, every gradient included, to about $10^{-12}$ in float64. Tutorials 1–4
# read the reference; the tutorials that train GANs (6 on) run the kernels.

# %%
import numpy as np
import matplotlib.pyplot as plt
import minirgan as mr
from minirgan.gradcheck import numerical_gradient, relative_error
from _params import FAST, pick, setup_figures, banner

setup_figures()
print(banner())

# %% [markdown]
# ## The equations
#
# With the column-vector convention of the seeds ($W_{xh}$ is $H\times D$, $W_{hh}$ is $H\times H$,
# $W_{hy}$ is $O\times H$):
#
# $$h_t = f(W_{hh} h_{t-1} + W_{xh} x_t + b_h) \qquad \text{(E1)}$$
#
# $$y_t = g(W_{hy} h_t + b_y) \qquad \text{(E2)}$$
#
# with $f = \tanh$ or ReLU (S4) and $g$ an output activation. The **same** weights are used
# at every time step; the only thing that changes along the sequence is $h_t$, the network's memory.
#
# minirgan keeps one example per *row* of a batch, so for a batch $X_t$ of shape $(N, D)$ the
# product $W_{xh} x_t$ becomes `x_t @ W_xh.T`. Let us check that once, by hand.

# %%
rng = np.random.default_rng(0)
N, D, H = 2, 3, 4
params = mr.init_rnn_params(D, H, rng=0)
params["b_h"] = rng.uniform(-0.5, 0.5, H)          # a non-zero bias, so it is really tested
x_t = rng.standard_normal((N, D))
h_prev = rng.standard_normal((N, H))

# E1 by hand, one example (column vectors), then the library's batched step
a0 = params["W_hh"] @ h_prev[0] + params["W_xh"] @ x_t[0] + params["b_h"]
h_by_hand = np.tanh(a0)
h_next, _ = mr.rnn_step_forward(x_t, h_prev, params)
print("by hand :", h_by_hand)
print("library :", h_next[0])
print("max difference:", np.abs(h_by_hand - h_next[0]).max())

# %% [markdown]
# ## A whole sequence
#
# `rnn_forward(x, h0, params)` applies E1 for $t = 1,\dots,T$ and returns every hidden
# state, shape $(N, T, H)$. Feed it a sine wave and watch the hidden units respond; then
# apply E2 with `dense_forward` (the affine part) and a linear $g$ (S4's form
# $y_t = W_{ho} h_t + b_o$).

# %%
T = pick(60, 30)
t = np.arange(T)
x = np.sin(2 * np.pi * t / 20)[None, :, None]         # (N=1, T, D=1)
p1 = mr.init_rnn_params(1, 8, rng=1)
h, cache = mr.rnn_forward(x, None, p1, backend="numpy")
dense = mr.init_dense_params(8, 1, rng=2)
y, _ = mr.dense_forward(h, dense)                      # E2 with g = identity: (1, T, 1)
print("h:", h.shape, " y:", y.shape)

fig, axes = plt.subplots(1, 2, figsize=(10, 3.2))
axes[0].plot(t, x[0, :, 0], "k--", label="input $x_t$")
axes[0].plot(t, y[0, :, 0], label="output $y_t$ (E2)")
axes[0].set_xlabel("t"); axes[0].set_ylabel("value (no unit)"); axes[0].legend(); axes[0].set_title("input and output")
axes[1].plot(t, h[0]); axes[1].set_xlabel("t"); axes[1].set_ylabel(r"$h_t$ (tanh, in $(-1, 1)$)"); axes[1].set_title("the 8 hidden units $h_t$ (E1)")
plt.tight_layout(); plt.show()

# %% [markdown]
# ## Backpropagation through time, derived
#
# Let the loss be any function of the hidden states, $L = \sum_t \ell_t(h_t)$, and write
# $\bar h_t = \partial \ell_t / \partial h_t$ for the gradient that arrives *directly* at $h_t$
# (the argument `dh` of `rnn_backward`, shape $(N,T,H)$). Name the pre-activation
# $a_t = W_{hh} h_{t-1} + W_{xh} x_t + b_h$, so that $h_t = f(a_t)$.
#
# $h_t$ influences the loss twice: directly, and through $h_{t+1}$. So the **total** gradient
# on $h_t$ is
#
# $$\delta_t = \frac{\partial L}{\partial h_t} = \bar h_t + W_{hh}^\top\, \frac{\partial L}{\partial a_{t+1}},
# \qquad \delta_T = \bar h_T .$$
#
# Through the nonlinearity (elementwise): $\; \dfrac{\partial L}{\partial a_t} = \delta_t \odot f'(a_t)$, with
# $\tanh'(a_t) = 1 - h_t^2$ and $\mathrm{ReLU}'(a_t) = [a_t > 0]$. In the code this is `da`.
#
# The weights are shared over time, so their gradients are **sums over time**:
#
# $$\frac{\partial L}{\partial W_{xh}} = \sum_t \frac{\partial L}{\partial a_t} x_t^\top,\qquad
# \frac{\partial L}{\partial W_{hh}} = \sum_t \frac{\partial L}{\partial a_t} h_{t-1}^\top,\qquad
# \frac{\partial L}{\partial b_h} = \sum_t \frac{\partial L}{\partial a_t}$$
#
# and the gradients passed on are $\partial L/\partial x_t = W_{xh}^\top\, \partial L/\partial a_t$ (`dx`)
# and $\partial L/\partial h_{t-1} = W_{hh}^\top\, \partial L/\partial a_t$ (`dh_prev`), which becomes
# part of $\delta_{t-1}$. After the loop, `dh_prev` is $\partial L / \partial h_0$ (`dh0`).
#
# That is the whole algorithm: **one backward step per time step, run from $t = T$ down to 1,
# each adding its direct gradient to the one carried from the future.** Below we build it from
# `rnn_step_backward` and compare it with the library's `rnn_backward`.

# %%
N, T, D, H = 3, pick(8, 6), 4, 5
x = rng.standard_normal((N, T, D))
h0 = rng.standard_normal((N, H))
p = {k: rng.uniform(-0.8, 0.8, v.shape) for k, v in mr.init_rnn_params(D, H, rng=3).items()}
dh = rng.standard_normal((N, T, H))                   # upstream gradient on every h_t

# forward, one step at a time, keeping each step's cache
caches, h_prev = [], h0
for s in range(T):
    h_prev, c = mr.rnn_step_forward(x[:, s], h_prev, p)
    caches.append(c)

# backward, from the last step to the first
grads = {k: np.zeros_like(v) for k, v in p.items()}
dx_steps = np.zeros_like(x)
carry = np.zeros((N, H))                              # dL/dh_t arriving from step t+1
for s in reversed(range(T)):
    delta = dh[:, s] + carry                          # δ_t = direct + from the future
    dx_steps[:, s], carry, g = mr.rnn_step_backward(delta, caches[s])
    for k in grads:
        grads[k] += g[k]                              # shared weights: sum over time
dh0_steps = carry

# the library's BPTT
h_lib, cache = mr.rnn_forward(x, h0, p, backend="numpy")
dx_lib, dh0_lib, grads_lib = mr.rnn_backward(dh, cache)
print("dx   max |difference|:", np.abs(dx_steps - dx_lib).max())
print("dh0  max |difference|:", np.abs(dh0_steps - dh0_lib).max())
for k in grads:
    print(f"{k:5s} max |difference|:", np.abs(grads[k] - grads_lib[k]).max())

# %% [markdown]
# ## The gradient check
#
# Hand-derived gradients are easy to get subtly wrong; a *gradient check* proves them.
# A random upstream gradient $\bar h$ turns the array-valued forward pass into the scalar
# $L = \sum_{n,t,j} h_{ntj}\,\bar h_{ntj}$. Its derivative with respect to any entry $\theta$ is
# approximated by the centred difference
#
# $$\frac{\partial L}{\partial \theta} \approx \frac{L(\theta + \epsilon) - L(\theta - \epsilon)}{2\epsilon},$$
#
# (minirgan combines two step sizes by Richardson extrapolation to cancel the $O(\epsilon^2)$ error)
# and compared with the backward pass by the relative error
# $|a - n| / \max(10^{-8}, |a| + |n|)$. Work in float64, with random **non-zero** weights *and*
# biases (a zero bias hides bias bugs). CS231n's thresholds: about $10^{-8}$ for one step,
# $10^{-6}$ for a sequence.

# %%
def forward_h():
    return mr.rnn_forward(x, h0, p, backend="numpy")[0]

for name, arr, analytic in [("x", x, dx_lib), ("h0", h0, dh0_lib)] + \
        [(k, p[k], grads_lib[k]) for k in p]:
    numeric = numerical_gradient(forward_h, arr, dh)
    print(f"{name:5s} relative error {relative_error(analytic, numeric):.2e}")

# %% [markdown]
# The same check, for every cell and every gradient, is one command: `minirgan gradcheck`
# (or `mr.gradcheck.cell_gradcheck` from Python). Here are the RNN's rows, with both
# activations, for one step and for a sequence:

# %%
rows = []
for cell in ("rnn", "rnn-relu"):
    for level in ("step", "sequence"):
        rows += mr.gradcheck.cell_gradcheck(cell, level, seed=0)
print(mr.gradcheck.format_report(rows))

# %% [markdown]
# ### What a wrong gradient looks like
#
# Break the derivation on purpose — forget that $h_t$ also feeds $h_{t+1}$ (drop the carried
# gradient, a classic BPTT bug) — and the check fails loudly, except at the last step where
# nothing is carried:

# %%
grads_bad = {k: np.zeros_like(v) for k, v in p.items()}
for s in reversed(range(T)):
    _, _, g = mr.rnn_step_backward(dh[:, s], caches[s])   # BUG: no carry from the future
    for k in grads_bad:
        grads_bad[k] += g[k]
numeric = numerical_gradient(forward_h, p["W_hh"], dh)
print("W_hh relative error, correct BPTT :", f"{relative_error(grads_lib['W_hh'], numeric):.2e}")
print("W_hh relative error, no carry     :", f"{relative_error(grads_bad['W_hh'], numeric):.2e}")

# %% [markdown]
# ## How far back does the gradient reach?
#
# Put the upstream gradient only on the **last** hidden state and look at the gradient that
# reaches each input $x_t$: its norm shows how much the last output can still "see" of the past.
# The product of Jacobians $\prod_k W_{hh}^\top \mathrm{diag}(f'(a_k))$ shrinks it step by
# step — the vanishing gradient of claim C2, measured properly in tutorial 4.

# %%
T = pick(60, 30)
x = rng.standard_normal((1, T, 4))
for scale in (0.5, 1.0, 2.0):
    ps = mr.init_rnn_params(4, 16, rng=4)
    ps["W_hh"] = ps["W_hh"] * scale * np.sqrt(16)
    radius = np.max(np.abs(np.linalg.eigvals(ps["W_hh"])))      # measured, not assumed
    hs, cs = mr.rnn_forward(x, None, ps, backend="numpy")
    d_last = np.zeros_like(hs); d_last[:, -1] = 1.0
    dxs, _, _ = mr.rnn_backward(d_last, cs)
    plt.semilogy(T - 1 - np.arange(T), np.linalg.norm(dxs[0], axis=1) + 1e-30,
                 label=f"W_hh scaled ×{scale} (spectral radius {radius:.2f})")
plt.xlabel("lag k = T − t"); plt.ylabel(r"$\|\partial h_T / \partial x_{T-k}\|$")
plt.title("gradient reaching the inputs, tanh RNN"); plt.legend(); plt.show()

# %% [markdown]
# ## Exercises
#
# 1. Repeat the hand computation of E1 with `activation="relu"`. Which line of the BPTT
#    derivation changes, and where in `minirgan/rnn.py` (`_step_backward`) is it?
# 2. Show that backward does not depend on the order in which the weight gradients are summed,
#    but *does* depend on the carried gradient: modify the buggy loop to carry only every other step.
# 3. Add the output layer E2 with $g = \tanh$ and a squared-error loss $\sum_t \|y_t - \text{target}_t\|^2$.
#    Compute `dh` with `dense_backward`, feed it to `rnn_backward`, and gradient-check $W_{hy}$ and $W_{hh}$.
# 4. The gradient check uses float64. Run it in float32 (cast `x`, `h0`, `p`) and explain the errors you see.
# 5. In the last plot, what scale of $W_{hh}$ makes the gradient neither vanish nor explode? Relate it to
#    the largest singular value of $W_{hh}$ and the mean of $\tanh'$.
