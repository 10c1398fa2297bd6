# %% [markdown]
# # 2. The GRU: the seed's equations, the E14 erratum, reset before or after, and PyTorch
#
# S3 §3.1 writes the gated recurrent unit as five equations, E11–E15. In this notebook you will
#
# 1. compute one GRU step by hand from E11–E15 and compare with `minirgan.gru_step_forward`;
# 2. see **numerically** why E14 as printed is wrong (it multiplies by $h_{t-1}$ twice) and what
#    the library computes instead;
# 3. compare the two placements of the reset gate — before the recurrent product (Cho et al.)
#    and after it (PyTorch, cuDNN, Keras `reset_after=True`);
# 4. check that minirgan's GRU equals `torch.nn.GRU`, when PyTorch is installed;
# 5. run the gradient check on both forms.
#
# As in tutorial 1, the sequence calls pass `backend="numpy"`, the readable reference in
# `minirgan/gru.py`; the numba kernels compute the same numbers faster (`tests/test_kernels.py`
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
# ## The seed's equations
#
# Every weight acts on the concatenation $[h_{t-1}, x_t]$ ($h$ first), so $W_z, W_u, W$ are
# $H \times (H + D)$:
#
# $$z_t = \sigma(W_z\,[h_{t-1}, x_t] + b_z) \qquad\text{(E11, S3 calls } z \text{ the }\textit{reset}\text{ gate)}$$
#
# $$u_t = \sigma(W_u\,[h_{t-1}, x_t] + b_u) \qquad\text{(E12, the }\textit{update}\text{ gate)}$$
#
# $$r_t = h_{t-1} \circ z_t \qquad\text{(E13, the reset hidden state)}$$
#
# $$\tilde h_t = \tanh(W\,[r_t \circ h_{t-1}, x_t] + b) \qquad\text{(E14, as printed)}$$
#
# $$h_t = (1 - u_t) \circ h_{t-1} + u_t \circ \tilde h_t \qquad\text{(E15)}$$
#
# In minirgan the candidate's weight $W$ is called `W_c` and its bias `b_c`.
# E15 is a convex mix: each unit keeps a fraction $1-u_t$ of its old value and takes $u_t$ of the
# candidate. When $u_t \approx 0$ the state is copied unchanged — this is the path along which a
# GRU can carry information (and gradient) over many steps.

# %%
rng = np.random.default_rng(0)
N, D, H = 2, 3, 4
params = {k: rng.uniform(-0.8, 0.8, v.shape) for k, v in mr.init_gru_params(D, H, rng=0).items()}
x_t = rng.standard_normal((N, D))
h_prev = rng.standard_normal((N, H))

# one example, column vectors, straight from the seed's equations (with E14 corrected)
hx = np.concatenate([h_prev[0], x_t[0]])                   # [h_{t-1}, x_t]
z = sigmoid(params["W_z"] @ hx + params["b_z"])            # E11
u = sigmoid(params["W_u"] @ hx + params["b_u"])            # E12
r = h_prev[0] * z                                          # E13
c = np.tanh(params["W_c"] @ np.concatenate([r, x_t[0]]) + params["b_c"])   # E14, corrected
h_by_hand = (1 - u) * h_prev[0] + u * c                    # E15

h_lib, _ = mr.gru_step_forward(x_t, h_prev, params)
print("by hand:", h_by_hand)
print("library:", h_lib[0])
print("max difference:", np.abs(h_by_hand - h_lib[0]).max())

# %% [markdown]
# ## The E14 erratum, demonstrated
#
# E13 already defines $r_t = h_{t-1}\circ z_t$. E14 then puts $r_t \circ h_{t-1}$ in the bracket,
# which is $z_t \circ h_{t-1}^2$: the previous state enters **squared**. Two consequences:
#
# * the sign of $h_{t-1}$ is lost on this path — states $+a$ and $-a$ give the candidate the
#   same input;
# * small states are crushed quadratically, large ones amplified.
#
# The standard GRU (Cho et al., 2014), which minirgan implements, has the bracket hold $r_t$ itself:
#
# $$\tilde h_t = \tanh(W\,[z_t \circ h_{t-1}, x_t] + b)\qquad\text{(E14 corrected)}$$
#
# Below, the seed's literal form is written inline (it is deliberately *not* in the library)
# and compared with the library's.

# %%
def seed_literal_step(x_t, h_prev, p):
    """E11–E15 exactly as printed in S3, E14 with r_t ∘ h_{t-1} (h multiplied twice)."""
    hx = np.concatenate([h_prev, x_t], axis=1)
    z = sigmoid(hx @ p["W_z"].T + p["b_z"])                 # E11
    u = sigmoid(hx @ p["W_u"].T + p["b_u"])                 # E12
    r = h_prev * z                                          # E13
    c = np.tanh(np.concatenate([r * h_prev, x_t], axis=1) @ p["W_c"].T + p["b_c"])   # E14 as printed
    return (1 - u) * h_prev + u * c                         # E15

# 1) the sign of h_{t-1} is lost in the reset path
bracket_seed = lambda h, z: (h * z) * h        # r_t ∘ h_{t-1}
bracket_std = lambda h, z: h * z               # r_t
h_demo, z_demo = np.array([0.8, -0.8]), np.array([0.5, 0.5])
print("seed bracket for h = +0.8 and -0.8:", bracket_seed(h_demo, z_demo))
print("standard bracket                  :", bracket_std(h_demo, z_demo))

hs = np.linspace(-1, 1, 201)
plt.plot(hs, bracket_std(hs, 0.5), label=r"corrected: $r_t = z_t h_{t-1}$")
plt.plot(hs, bracket_seed(hs, 0.5), label=r"seed E14: $r_t \circ h_{t-1} = z_t h_{t-1}^2$")
plt.xlabel(r"$h_{t-1}$ (one unit, $z_t = 0.5$)"); plt.ylabel("what the candidate sees")
plt.title("E14 as printed squares the previous state"); plt.legend(); plt.show()

# %% [markdown]
# Over a whole sequence the two forms drift apart. Run both from the same weights and inputs:

# %%
T = pick(40, 20)
x_seq = rng.standard_normal((1, T, D))
h_seed, hp = [], np.zeros((1, H)) + 0.5
for s in range(T):
    hp = seed_literal_step(x_seq[:, s], hp, params)
    h_seed.append(hp[0])
h_seed = np.array(h_seed)
h_std, _ = mr.gru_forward(x_seq, np.zeros((1, H)) + 0.5, params, backend="numpy")
print("max |seed − standard| over the sequence:", np.abs(h_seed - h_std[0]).max())
fig, ax = plt.subplots(figsize=(8, 3))
ax.plot(h_std[0, :, 0], label="standard GRU (minirgan), unit 0")
ax.plot(h_seed[:, 0], "--", label="E14 as printed, unit 0")
ax.set_xlabel("t"); ax.set_ylabel(r"$h_t$, unit 0 (in $(-1, 1)$)"); ax.legend(); plt.show()

# %% [markdown]
# ## Reset before or after the recurrent product
#
# Frameworks apply the reset gate *after* multiplying by the recurrent weights, with one extra
# recurrent bias $b_{ch}$. Split $W = [W_{ch} \mid W_{cx}]$ (the $h$ and $x$ columns):
#
# before the product (Cho et al., minirgan's default):
#
# $$\tilde h_t = \tanh\big(W_{ch}(z_t\circ h_{t-1}) + W_{cx} x_t + b_c\big)$$
#
# after it (PyTorch, `reset_after=True`):
#
# $$\tilde h_t = \tanh\big(z_t\circ(W_{ch} h_{t-1} + b_{ch}) + W_{cx} x_t + b_c\big)$$
#
# They are different functions of the same weights (a diagonal gate does not commute with a
# full matrix), though equally expressive in practice. The "after" form lets the recurrent
# product $W_{ch}h_{t-1}$ be computed together with the gates' products — one big matrix
# multiplication per step, which is why cuDNN chose it.

# %%
p_after = dict(params, b_ch=np.zeros(H))                   # same weights, zero extra bias
h_before, _ = mr.gru_forward(x_seq, None, params, reset_after=False, backend="numpy")
h_after, _ = mr.gru_forward(x_seq, None, p_after, reset_after=True, backend="numpy")
print("max |before − after| with identical weights:", np.abs(h_before - h_after).max())

Wch = params["W_c"][:, :H]
zz, hh = rng.uniform(0, 1, H), rng.standard_normal(H)
print("W_ch (z∘h) =", Wch @ (zz * hh))
print("z∘(W_ch h) =", zz * (Wch @ hh))

# %% [markdown]
# ## Agreement with PyTorch
#
# `torch.nn.GRU` uses the reset-after form. Its gates come in row blocks $(r, z, n)$ of
# `weight_ih_l0` $(3H, D)$ and `weight_hh_l0` $(3H, H)$. The mapping (documented in
# `minirgan/gru.py`):
#
# | minirgan | PyTorch |
# | --- | --- |
# | $W_z$, $b_z$ (E11) | $[W_{hr} \mid W_{ir}]$, $b_{ir} + b_{hr}$ — PyTorch's $r$ is the seed's $z$ |
# | $W_u$, $b_u$ (E12) | $-[W_{hz} \mid W_{iz}]$, $-(b_{iz} + b_{hz})$ — PyTorch's $z$ equals $1 - u$ |
# | $W_c$, $b_c$, $b_{ch}$ (E14) | $[W_{hn} \mid W_{in}]$, $b_{in}$, $b_{hn}$ |
#
# The sign flip of $W_u$ works because $1 - \sigma(a) = \sigma(-a)$.

# %%
try:
    import torch
except ImportError:
    torch = None
    print("PyTorch is not installed: skipping the comparison (pip install torch to run it).")

if torch is not None:
    torch.manual_seed(0)
    gru = torch.nn.GRU(D, H, batch_first=True).double()
    Wi, Wh = gru.weight_ih_l0.detach().numpy(), gru.weight_hh_l0.detach().numpy()
    bi, bh = gru.bias_ih_l0.detach().numpy(), gru.bias_hh_l0.detach().numpy()
    R, Z, Nn = slice(0, H), slice(H, 2 * H), slice(2 * H, 3 * H)
    p_torch = {"W_z": np.hstack([Wh[R], Wi[R]]), "b_z": bi[R] + bh[R],
               "W_u": -np.hstack([Wh[Z], Wi[Z]]), "b_u": -(bi[Z] + bh[Z]),
               "W_c": np.hstack([Wh[Nn], Wi[Nn]]), "b_c": bi[Nn].copy(), "b_ch": bh[Nn].copy()}
    x_b = rng.standard_normal((3, T, D))
    h_mr, _ = mr.gru_forward(x_b, None, p_torch, reset_after=True, backend="numpy")
    with torch.no_grad():
        h_pt, _ = gru(torch.tensor(x_b))
    print("max |minirgan − torch.nn.GRU| (float64):", np.abs(h_mr - h_pt.numpy()).max())

# %% [markdown]
# ## BPTT through the GRU, and its gradient check
#
# The backward pass differentiates E15, then E14, E13, E12 and E11 in reverse order. With
# $\delta_t$ the total gradient on $h_t$ (direct plus carried from $t+1$) and the
# standard (reset-before) form:
#
# $$\frac{\partial L}{\partial u_t} = \delta_t\circ(\tilde h_t - h_{t-1}),\quad
#   \frac{\partial L}{\partial \tilde h_t} = \delta_t\circ u_t,\quad
#   \frac{\partial L}{\partial h_{t-1}} \mathrel{+}= \delta_t \circ (1 - u_t)\quad\text{(E15)}$$
#
# $$a^c_t:\ \frac{\partial L}{\partial a^c_t} = \frac{\partial L}{\partial \tilde h_t}\circ(1-\tilde h_t^2),\qquad
#   \frac{\partial L}{\partial [r_t, x_t]} = W^\top \frac{\partial L}{\partial a^c_t}\quad\text{(E14)}$$
#
# $$\frac{\partial L}{\partial z_t} = \frac{\partial L}{\partial r_t}\circ h_{t-1},\qquad
#   \frac{\partial L}{\partial h_{t-1}} \mathrel{+}= \frac{\partial L}{\partial r_t}\circ z_t\quad\text{(E13)}$$
#
# and through the two sigmoids ($\sigma' = \sigma(1-\sigma)$) back to $[h_{t-1}, x_t]$ (E11, E12).
# The full derivation for both placements is in the docs (*BPTT derivations*, `docs/bptt.md`); `_step_backward` in
# `minirgan/gru.py` follows it line by line. The check:

# %%
rows = []
for cell in ("gru", "gru-reset_after"):
    for level in ("step", "sequence"):
        rows += cell_gradcheck(cell, level, seed=0)
print(format_report(rows))

# %% [markdown]
# ## Exercises
#
# 1. Using the mapping table, build PyTorch parameters *from* minirgan's (the inverse mapping) and
#    check `torch.nn.GRU` reproduces `gru_forward(..., reset_after=True)`.
# 2. Derive $\partial \tilde h_t / \partial h_{t-1}$ for the seed's literal E14. Where does the extra
#    factor $2 z_t \circ h_{t-1}$ come from, and why does it vanish at $h_{t-1} = 0$?
# 3. Show that with $u_t \equiv 0$ (set $b_u$ very negative) the GRU copies $h_0$ through the whole
#    sequence, and that $\partial h_T / \partial h_0$ is then the identity. What does this mean for
#    vanishing gradients (tutorial 4)?
# 4. PyTorch's update gate is $1 - u_t$. Rewrite E15 in PyTorch's convention and check the two agree.
# 5. Count the multiply–adds of one step in both placements of the reset gate. Which one can batch
#    all three matrix products with $h_{t-1}$ into one?
