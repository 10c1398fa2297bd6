# %% [markdown]
# # 3. The LSTM: a cell state, three gates, and two gradients through time
#
# S0, S1 and S2 build their generators and discriminators from LSTM layers but never write the
# LSTM's equations down (and S3 §1.1 wrongly gives a plain RNN a "cell state" — that belongs to the
# LSTM). minirgan uses the standard LSTM with a forget gate, in the concatenated notation of S3.
# In this notebook you will
#
# 1. compute one LSTM step by hand and with `minirgan.lstm_step_forward`;
# 2. watch the cell state carry information along a sequence;
# 3. derive BPTT with its **two** carried gradients ($\partial L/\partial h_t$ and $\partial L/\partial c_t$)
#    and rebuild `lstm_backward` from one-step backward passes;
# 4. compare with `torch.nn.LSTM` (when installed) and run the gradient check.
#
# As in tutorial 1, the sequence calls pass `backend="numpy"`, the readable reference in
# `minirgan/lstm.py`; the numba kernels compute the same numbers faster (`tests/test_kernels.py`
# checks that they agree).

# %%
import numpy as np
import matplotlib.pyplot as plt
import minirgan as mr
from minirgan.activations import sigmoid
from minirgan.gradcheck import cell_gradcheck, format_report
from _params import FAST, pick, setup_figures, banner

setup_figures()
print(banner())

# %% [markdown]
# ## The equations (docs/equations.md, "LSTM")
#
# $$f_t = \sigma(W_f\,[h_{t-1}, x_t] + b_f),\quad i_t = \sigma(W_i\,[h_{t-1}, x_t] + b_i)$$
#
# $$o_t = \sigma(W_o\,[h_{t-1}, x_t] + b_o)$$
#
# $$\tilde c_t = \tanh(W_c\,[h_{t-1}, x_t] + b_c)$$
#
# $$c_t = f_t \circ c_{t-1} + i_t \circ \tilde c_t, \qquad h_t = o_t \circ \tanh(c_t)$$
#
# $f$ decides what the cell forgets, $i$ what it writes, $o$ what it shows. Every $W$ is
# $H\times(H+D)$. `init_lstm_params` sets $b_f = 1$ so the cell starts out remembering.

# %%
rng = np.random.default_rng(0)
N, D, H = 2, 3, 4
params = {k: rng.uniform(-0.8, 0.8, v.shape) for k, v in mr.init_lstm_params(D, H, rng=0).items()}
x_t, h_prev, c_prev = rng.standard_normal((N, D)), rng.standard_normal((N, H)), rng.standard_normal((N, H))

hx = np.concatenate([h_prev[0], x_t[0]])
f = sigmoid(params["W_f"] @ hx + params["b_f"])
i = sigmoid(params["W_i"] @ hx + params["b_i"])
o = sigmoid(params["W_o"] @ hx + params["b_o"])
g = np.tanh(params["W_c"] @ hx + params["b_c"])
c = f * c_prev[0] + i * g
h = o * np.tanh(c)

h_lib, c_lib, _ = mr.lstm_step_forward(x_t, h_prev, c_prev, params)
print("h by hand:", h, "\nh library:", h_lib[0])
print("max difference h, c:", np.abs(h - h_lib[0]).max(), np.abs(c - c_lib[0]).max())

# %% [markdown]
# ## The cell state as memory
#
# Feed a sequence that is zero except for one pulse at $t = 5$. With a strongly positive forget bias
# ($b_f = 3$, so $f_t \approx 0.95$; the library's `init_lstm_params` starts at $b_f = 1$) the cell
# keeps a trace of the pulse long after it passed; with a strongly negative one ($b_f = -3$) it
# forgets within a few steps.

# %%
T = pick(60, 30)
x = np.zeros((1, T, 1)); x[0, 5, 0] = 3.0
fig, axes = plt.subplots(1, 2, figsize=(10, 3.2), sharey=True)
for ax, b_f in zip(axes, (3.0, -3.0)):
    p = mr.init_lstm_params(1, 6, rng=1)
    p["b_f"][:] = b_f
    c_seq, hp, cp = [], None, None
    for s in range(T):                                   # step by step, to read c_t
        hp, cp, _ = mr.lstm_step_forward(x[:, s], hp, cp, p)
        c_seq.append(cp[0])
    ax.plot(np.array(c_seq), lw=1); ax.axvline(5, color="k", ls=":")
    ax.set_title(f"cell state $c_t$, forget bias $b_f = {b_f}$"); ax.set_xlabel("t")
axes[0].set_ylabel(r"$c_t$, one line per unit")
plt.tight_layout(); plt.show()

# %% [markdown]
# ## BPTT with two carried gradients
#
# $h_t$ feeds the loss and the next step; $c_t$ feeds only the next step (and $h_t$). So the
# backward step receives **two** gradients from the future, $\partial L/\partial h_t$ (direct plus
# carried) and $\partial L/\partial c_t$ (carried), and passes two back. With
# $\delta^h_t$ the total gradient on $h_t$:
#
# $$\frac{\partial L}{\partial o_t} = \delta^h_t \circ \tanh(c_t),\qquad
#   \delta^c_t = \frac{\partial L}{\partial c_t}\Big|_{\text{from } t+1} + \delta^h_t \circ o_t \circ (1 - \tanh^2 c_t)$$
#
# $$\frac{\partial L}{\partial f_t} = \delta^c_t \circ c_{t-1},\quad
#   \frac{\partial L}{\partial i_t} = \delta^c_t \circ \tilde c_t,\quad
#   \frac{\partial L}{\partial \tilde c_t} = \delta^c_t \circ i_t,\quad
#   \frac{\partial L}{\partial c_{t-1}} = \delta^c_t \circ f_t$$
#
# then through the sigmoids and the tanh to the pre-activations $a^\cdot_t$, and
# $\partial L/\partial [h_{t-1}, x_t] = \sum_{\cdot\in\{f,i,o,c\}} W_\cdot^\top\, \partial L/\partial a^\cdot_t$.
#
# The line $\partial L/\partial c_{t-1} = \delta^c_t \circ f_t$ is the LSTM's "constant error carousel":
# along the cell the gradient is only multiplied by the forget gate — no weight matrix, no squashing
# derivative. That is why LSTMs keep gradients alive over long lags when $f_t \approx 1$.

# %%
N, T, D, H = 3, pick(8, 6), 4, 5
x = rng.standard_normal((N, T, D))
h0, c0 = rng.standard_normal((N, H)), rng.standard_normal((N, H))
p = {k: rng.uniform(-0.8, 0.8, v.shape) for k, v in mr.init_lstm_params(D, H, rng=2).items()}
dh = rng.standard_normal((N, T, H))

caches, hp, cp = [], h0, c0
for s in range(T):
    hp, cp, cache_s = mr.lstm_step_forward(x[:, s], hp, cp, p)
    caches.append(cache_s)

grads = {k: np.zeros_like(v) for k, v in p.items()}
dx_steps = np.zeros_like(x)
carry_h, carry_c = np.zeros((N, H)), np.zeros((N, H))
for s in reversed(range(T)):
    dx_steps[:, s], carry_h, carry_c, gs = mr.lstm_step_backward(dh[:, s] + carry_h, carry_c, caches[s])
    for k in grads:
        grads[k] += gs[k]

h_lib, cache = mr.lstm_forward(x, h0, c0, p, backend="numpy")
dx_lib, dh0_lib, dc0_lib, grads_lib = mr.lstm_backward(dh, cache)
print("dx  max |difference|:", np.abs(dx_steps - dx_lib).max())
print("dh0 max |difference|:", np.abs(carry_h - dh0_lib).max(), " dc0:", np.abs(carry_c - dc0_lib).max())
print("weights max |difference|:", max(np.abs(grads[k] - grads_lib[k]).max() for k in grads))

# %% [markdown]
# ### The gradient along the cell is a product of forget gates
#
# With the upstream gradient only on $c_T$ and the path through $h$ switched off, $\partial c_T / \partial c_0$
# is exactly $\prod_t f_t$ — check it with the library's one-step backward passes (zeroing the
# recurrent columns of every $W$ cuts the path through $h$):

# %%
T = pick(50, 25)
x = rng.standard_normal((1, T, D))
p = mr.init_lstm_params(D, H, rng=3)
for k in ("W_f", "W_i", "W_o", "W_c"):
    p[k][:, :H] = 0.0                  # no recurrence through h: only the cell carries the past
# f_t does not depend on h here, so it is σ(W_f[:, H:] x_t + b_f)
forget = sigmoid(x[0] @ p["W_f"][:, H:].T + p["b_f"])               # (T, H)
caches, hp, cp = [], None, np.ones((1, H))
for s in range(T):
    hp, cp, cache_s = mr.lstm_step_forward(x[:, s], hp, cp, p)
    caches.append(cache_s)
# dL/dc_T = 1 and nothing else (no gradient on any h_t): carry it back to c_0
carry_c, zero = np.ones((1, H)), np.zeros((1, H))
for s in reversed(range(T)):
    _, _, carry_c, _ = mr.lstm_step_backward(zero, carry_c, caches[s])
print("dc_T/dc_0 from backward :", carry_c[0])
print("product of forget gates :", forget.prod(axis=0))

# %% [markdown]
# ## Agreement with PyTorch, and the gradient check
#
# `torch.nn.LSTM` orders its gate rows $(i, f, g, o)$; its $g$ is our $\tilde c$, and its two biases
# add up to ours: $W_i = [W_{hi} \mid W_{ii}]$, $b_i = b_{ii} + b_{hi}$, likewise for $f, o$ and $c$.

# %%
try:
    import torch
except ImportError:
    torch = None
    print("PyTorch is not installed: skipping the comparison (pip install torch to run it).")

if torch is not None:
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(D, H, batch_first=True).double()
    Wi, Wh = lstm.weight_ih_l0.detach().numpy(), lstm.weight_hh_l0.detach().numpy()
    b = (lstm.bias_ih_l0 + lstm.bias_hh_l0).detach().numpy()
    blocks = {"i": slice(0, H), "f": slice(H, 2 * H), "c": slice(2 * H, 3 * H), "o": slice(3 * H, 4 * H)}
    p_torch = {}
    for gate, rows in blocks.items():
        p_torch[f"W_{gate}"] = np.hstack([Wh[rows], Wi[rows]])
        p_torch[f"b_{gate}"] = b[rows].copy()
    x_b = rng.standard_normal((3, 12, D))
    h_mr, _ = mr.lstm_forward(x_b, None, None, p_torch, backend="numpy")
    with torch.no_grad():
        h_pt, _ = lstm(torch.tensor(x_b))
    print("max |minirgan − torch.nn.LSTM| (float64):", np.abs(h_mr - h_pt.numpy()).max())

# %%
rows = cell_gradcheck("lstm", "step", seed=0) + cell_gradcheck("lstm", "sequence", seed=0)
print(format_report(rows))

# %% [markdown]
# ## Exercises
#
# 1. Remove the forget gate (fix $f_t = 1$). Which equation of the backward pass simplifies, and what
#    happens to $\|c_t\|$ on a long sequence of random inputs?
# 2. Add *peephole* connections ($f_t = \sigma(W_f[h_{t-1},x_t] + p_f\circ c_{t-1} + b_f)$). Derive the
#    extra backward terms, implement one step, and gradient-check it with `numerical_gradient`.
# 3. Why does `init_lstm_params` set $b_f = 1$? Plot $\prod_t f_t$ at initialisation for $b_f \in \{0, 1, 3\}$.
# 4. Compare the number of parameters of an RNN, a GRU and an LSTM with the same $D$ and $H$.
# 5. S3 §1.1 says a plain RNN has a cell state. Which quantity of E1 plays the role of *both* $h_t$ and
#    $c_t$, and what does the RNN lose by not separating them?
