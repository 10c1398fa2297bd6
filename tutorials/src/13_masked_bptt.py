# %% [markdown]
# # 13. Masked BPTT: sequences of different lengths (M1)
#
# Every tutorial so far trained on sequences of one length. Real data is not like that: patients
# stay in hospital for different numbers of days, sentences have different numbers of words. The
# usual way to batch such sequences is to **pad** them: stack them into one array `x` of shape
# (N, T, D), T the longest length, fill the steps past each sequence's end with anything (zeros),
# and say how long each one really is with `lengths` (N,).
#
# Padding alone is not enough: a recurrent cell does not know where a sequence ends, and runs on
# through the padding. This notebook shows what that does, then the fix minirgan uses — the
# masked update **M1**, the project's own addition to the seeds' equations — its backward pass,
# its gradient check, and what goes wrong when the mask is forgotten, measured.
#
# Equations cited: the Elman RNN (E1), the GRU (E11–E15), the LSTM, the last-state sample
# $G(z) = h_T$ (E16), and M1, written out on the docs' *Sequences of different lengths* page
# (`docs/masking.md`).

# %%
import inspect
import numpy as np
import matplotlib.pyplot as plt
import minirgan as mr
from minirgan import recurrence
from minirgan.cells import get_variant
from minirgan.gradcheck import CELLS, THRESHOLDS, cell_gradcheck, format_report, random_params
from _params import setup_figures, banner

setup_figures()
print(banner())


def rel(a, b):
    """‖a − b‖ / ‖b‖: how far a is from b, relative to b's size."""
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300))


# %% [markdown]
# ## 1. A padded batch, and what the padding does to a cell
#
# Four sequences of lengths 12, 7, 3 and 1, padded with zeros to T = 12. A GRU (E11–E15) with
# random non-zero weights and biases runs over the batch the ordinary way, with no idea of the
# lengths. Past the end of a sequence the cell is fed $x_t = 0$; does its state stay where the
# sequence left it?

# %%
rng = np.random.default_rng(0)
N, T, D, H = 4, 12, 2, 8
lengths = np.array([12, 7, 3, 1])
real = np.arange(T)[None, :] < lengths[:, None]                   # (N, T): step t is real
x = np.where(real[:, :, None], rng.standard_normal((N, T, D)), 0.0)   # zero padding
h0 = np.zeros((N, H))
gru, _ = get_variant("gru")
params = random_params(gru, D, H, rng)

h_plain, _ = mr.gru_forward(x, h0, params, backend="numpy")      # the lengths not given
for n, L in enumerate(lengths):
    drift = [np.linalg.norm(h_plain[n, t] - h_plain[n, L - 1]) for t in range(L - 1, T)]
    print(f"length {L:2d} (‖h_L‖ = {np.linalg.norm(h_plain[n, L - 1]):.2f}): "
          f"‖h_t − h_L‖ over the padded steps: {np.round(drift[1:], 2)}")

# %% [markdown]
# The state moves at every padded step. It has to: $h_t = \mathrm{cell}(h_{t-1}, 0)$ still applies
# the recurrent weights and the biases, so zero input is not "no input". The same holds for every
# cell; here is the drift of the state after a sequence of length 3, for the RNN (E1), the GRU and
# the LSTM (whose cell state $c_t$ drifts too):

# %%
fig, ax = plt.subplots()
for variant in ("rnn", "gru", "lstm"):
    cell, options = get_variant(variant)
    p = random_params(cell, D, H, np.random.default_rng(1), **options)
    h, _ = cell.forward(x, None, p, "numpy", **options)
    n, L = 2, lengths[2]
    ax.plot(range(0, T - L + 1), [np.linalg.norm(h[n, t] - h[n, L - 1]) for t in range(L - 1, T)],
            "o-", label=variant)
ax.set_xlabel("padded steps run past the end"); ax.set_ylabel(r"$\|h_t - h_L\|$")
ax.set_title("a cell fed zero padding does not stand still"); ax.legend(); plt.show()

# %% [markdown]
# Everything that reads the **last column** of the batch then reads a state the sequence never
# had: E16's last-state sample $G(z) = h_T$, a discriminator's last-state readout, the final state
# handed on to continue a sequence, and a second recurrent layer stacked on top (it is fed the
# drifting outputs as its inputs).
#
# ## 2. The masked update M1
#
# With $m_t[n] = 1$ while step $t$ is a real step of sequence $n$ and 0 after its end, every state
# $s$ of the cell ($h$, and $c$ for the LSTM) is updated as
#
# $$\textbf{M1:}\qquad s_t = m_t \circ \mathrm{cell}(s_{t-1}, x_t) + (1 - m_t) \circ s_{t-1}.$$
#
# On a real step it is the cell; past the end the state is **carried unchanged**, so the last
# column holds each sequence's own final state, $h_T = h_L$. Backward, with $g = \partial L/\partial s_t$
# (the gradient from the loss at step $t$ plus what flows back from step $t+1$):
#
# $$\frac{\partial L}{\partial s_{t-1}} = \Big(\frac{\partial\,\mathrm{cell}}{\partial s_{t-1}}\Big)^{\!\top}(m_t \circ g) + (1 - m_t)\circ g,$$
#
# and $\partial L/\partial x_t$ and the weight gradients come from $m_t \circ g$ alone: zero past
# the end. A gradient on a padded output flows untouched to the last real state. This is the whole
# of the NumPy reference's version, applied around the step functions of every cell:

# %%
print(inspect.getsource(recurrence.masked_update))
print(inspect.getsource(recurrence.masked_update_backward))

# %% [markdown]
# The sequence functions take the lengths, `gru_forward(x, h0, params, lengths=lengths)` (also
# `rnn_forward` and `lstm_forward`), and the backward pass reads the mask from the cache. With
# the lengths, the last column is each sequence's final state:

# %%
h_mask, cache = mr.gru_forward(x, h0, params, backend="numpy", lengths=lengths)
for n, L in enumerate(lengths):
    alone, _ = mr.gru_forward(x[n:n + 1, :L], h0[n:n + 1], params, backend="numpy")
    print(f"length {L:2d}: ‖h_T − own final state‖ / ‖own‖ = without lengths "
          f"{rel(h_plain[n, -1], alone[0, -1]):.2f},  with lengths {rel(h_mask[n, -1], alone[0, -1]):.1e}")

# %% [markdown]
# ## 3. The gradient check of the masked pass
#
# As every backward pass in minirgan, the masked one is checked against centred differences in
# float64 (`minirgan.gradcheck`, CS231n's recipe) with random non-zero weights and biases. The
# batch has lengths 1, T and random ones between; the upstream gradient is random on **every**
# step, padded ones included, so the carry's derivative $(1 - m_t)\circ g$ is checked too. The same
# report is printed by `minirgan gradcheck --ragged`. Both backends, every cell variant:

# %%
print(f"{'cell':<16}{'backend':<9}{'largest relative error':>24}   (bound {THRESHOLDS['sequence']:.0e})")
worst = {}
for variant in CELLS:
    for backend in ("numpy", "numba"):
        rows = cell_gradcheck(variant, "sequence", N=4, T=6, D=3, H=5, backend=backend, ragged=True)
        worst[variant, backend] = max(r.error for r in rows)
        print(f"{variant:<16}{backend:<9}{worst[variant, backend]:>24.1e}   "
              f"{'pass' if all(r.passed for r in rows) else 'FAIL'}")
print()
print(format_report(cell_gradcheck("lstm", "sequence", N=4, T=6, D=3, H=5, ragged=True)))

# %% [markdown]
# ## 4. A padded batch against the sequences one at a time
#
# The promise of M1: a padded batch gives each sequence what it would get alone. Take a random
# upstream gradient on the real steps (what a loss that reads the sequences produces) and compare
# the batch's outputs and gradients with each sequence run by itself (one row, its own length, no
# mask):

# %%
dh = np.where(real[:, :, None], rng.standard_normal((N, T, H)), 0.0)
dx_b, dh0_b, g_b = mr.gru_backward(dh, cache)
summed = {k: 0.0 for k in params}
worst_alone = 0.0
for n, L in enumerate(lengths):
    h1, c1 = mr.gru_forward(x[n:n + 1, :L], h0[n:n + 1], params, backend="numpy")
    dx1, dh01, g1 = mr.gru_backward(dh[n:n + 1, :L], c1)
    for mine, single in ((h_mask[n, :L], h1[0]), (dx_b[n, :L], dx1[0]), (dh0_b[n], dh01[0])):
        worst_alone = max(worst_alone, np.max(np.abs(mine - single)))
    summed = {k: summed[k] + g1[k] for k in params}
print(f"outputs, dx, dh0 of each sequence: largest difference batch − alone = {worst_alone:.1e}")
print("weight gradients, batch − sum of the single runs: "
      + ", ".join(f"{k} {np.max(np.abs(g_b[k] - summed[k])):.0e}" for k in params))
print(f"dx on the padded steps: all exactly zero? {bool(np.all(dx_b[~real] == 0.0))}")

# %% [markdown]
# Equal to the last bit or two of float64. Not bitwise, and not because of the mask: for a batch
# of one row the BLAS library multiplies by a matrix–vector routine, which adds the same terms in
# another order than the matrix–matrix routine used for the batch. The stronger, bitwise
# statement holds when the arithmetic is the same: keep sequence 2 in its row and replace
# **everything else** — the other sequences, their lengths, and sequence 2's own padding — by other
# random numbers. Sequence 2's results do not change in a single bit, on either backend:

# %%
n = 2
for backend in ("numpy", "numba"):
    h_a, c_a = mr.gru_forward(x, h0, params, backend=backend, lengths=lengths)
    only_n = np.where(np.arange(N)[:, None, None] == n, dh, 0.0)    # sequence n's own gradient
    dx_a, dh0_a, g_a = mr.gru_backward(only_n, c_a)
    other_lengths = np.array([5, 12, lengths[n], 9])
    x_other = 3.0 * rng.standard_normal(x.shape)
    x_other[n, :lengths[n]] = x[n, :lengths[n]]
    h_o, c_o = mr.gru_forward(x_other, rng.standard_normal(h0.shape) * (np.arange(N) != n)[:, None],
                              params, backend=backend, lengths=other_lengths)
    dx_o, dh0_o, g_o = mr.gru_backward(only_n, c_o)
    same = (np.array_equal(h_a[n], h_o[n]) and np.array_equal(dx_a[n], dx_o[n])
            and np.array_equal(dh0_a[n], dh0_o[n]) and all(np.array_equal(g_a[k], g_o[k]) for k in params))
    print(f"{backend}: outputs, final state, dx, dh0 and every weight gradient of sequence {n} bitwise equal: {same}")

# %% [markdown]
# `tests/test_cells_masked.py` checks both statements for every cell variant and both backends.
#
# ## 5. What goes wrong if the mask is forgotten
#
# Three ways to forget it, each measured on the batch above.
#
# **The forward pass without lengths.** The final states of the short sequences were off by 30 %
# to over 200 % of their size (section 2).
# A loss that reads the last column — E16's sample, a last-state discriminator — then gets
# wrong values *and* wrong gradients. Take $L = w \cdot h_T$ for a fixed vector $w$ and compare the
# weight gradients with the true ones (the sum over the sequences run alone):

# %%
w = rng.standard_normal(H)
dh_last = np.zeros((N, T, H))
dh_last[:, -1] = w                                                # L = Σ_n w · h_T[n]
truth = {k: 0.0 for k in params}
for n, L in enumerate(lengths):
    _, c1 = mr.gru_forward(x[n:n + 1, :L], h0[n:n + 1], params, backend="numpy")
    d1 = np.zeros((1, L, H))
    d1[0, -1] = w
    truth = {k: truth[k] + v for k, v in mr.gru_backward(d1, c1)[2].items()}
forgotten_error = {}
for name, given in (("with lengths", lengths), ("without lengths", None)):
    _, c = mr.gru_forward(x, h0, params, backend="numpy", lengths=given)
    grads = mr.gru_backward(dh_last, c)[2]
    forgotten_error[name] = max(rel(grads[k], truth[k]) for k in params)
    print(f"{name:>16}: largest ‖grad − true grad‖ / ‖true grad‖ over the weights = {forgotten_error[name]:.1e}")

# %% [markdown]
# **The backward pass without the mask.** The forward pass carried the states, but the backward
# pass treats the padded steps as real: it sends the gradient through the cell's derivative where
# the forward pass did not use the cell. Drop the mask from the cache before the backward pass and
# run the gradient check by hand:

# %%
from minirgan.gradcheck import numerical_gradient
x_c = rng.standard_normal((N, T, D))
dout = rng.standard_normal((N, T, H))
forward = lambda: mr.gru_forward(x_c, h0, params, backend="numpy", lengths=lengths)[0]
numeric = numerical_gradient(forward, params["W_u"], dout)
_, c_ok = mr.gru_forward(x_c, h0, params, backend="numpy", lengths=lengths)
right = mr.gru_backward(dout, c_ok)[2]["W_u"]
wrong = mr.gru_backward(dout, dict(c_ok, mask=None))[2]["W_u"]
print(f"gradient of W_u, relative to centred differences: with the mask {rel(right, numeric):.1e}, "
      f"mask forgotten in the backward pass {rel(wrong, numeric):.1e}")

# %% [markdown]
# **A loss that reads only the real steps.** Here forgetting the mask costs nothing: the padded
# steps come *after* every real step, so nothing that the loss reads depends on them, and their
# upstream gradient is zero. The gradients with and without lengths agree (here to the bit):

# %%
_, c_plain = mr.gru_forward(x, h0, params, backend="numpy")
plain = mr.gru_backward(dh, c_plain)
masked = mr.gru_backward(dh, cache)
print("dx, dh0 and weight gradients, without − with lengths, largest relative difference: "
      f"{max(rel(plain[0], masked[0]), rel(plain[1], masked[1]), *(rel(plain[2][k], masked[2][k]) for k in params)):.1e}")

# %% [markdown]
# ## What the measurements say
#
# The numbers quoted here are those of the committed run (fast mode runs the same sizes).
#
# * **Padding is not neutral.** Fed zeros, every cell keeps moving: the GRU's state after the
#   sequence of length 3 moved by 0.68 over nine padded steps (from a state of norm 0.99), and
#   the last column was off by 29 %, 69 % and 231 % of the true final state for the sequences of
#   lengths 7, 3 and 1.
# * **M1 carries the state**, so the last column is each sequence's own final state, to round-off.
#   Its backward pass — the cell's derivative on $m_t\circ g$, the identity on $(1 - m_t)\circ g$ —
#   passes the gradient check for every cell and both backends, with errors of $10^{-10}$ to
#   $2\cdot 10^{-8}$ against the bound $10^{-6}$.
# * **A padded batch is each sequence alone.** Against single runs the results agree to
#   $10^{-16}$; with the same arithmetic (a batch of the same shape) they agree bitwise, whatever the
#   other sequences and the padding hold.
# * **Forgetting the mask** breaks what reads the last column: the weight gradients of
#   $L = w\cdot h_T$ were wrong by 110 % of their size, against $2\cdot 10^{-16}$ with the mask. A
#   backward pass that forgets its forward pass's mask gets gradients that the gradient check
#   rejects at once (a relative error of 1.4 on $W_u$, against $3\cdot 10^{-11}$ with the mask). A loss that reads only real steps does not notice the mask at all —
#   but a generator or discriminator that reads the last step, a stacked second layer, or a state
#   handed on to the next chunk does.
#
# ## Exercises
#
# 1. Pad at the *front* instead ("pre-padding": the real steps at the end of each row) and run
#    without lengths. Which readouts are right now, and which are wrong? Why does a GRU whose state
#    starts at $h_0 = 0$ still not ignore leading zeros (E15)?
# 2. Instead of carrying the state, *gather* the last real output `h[n, lengths[n] - 1]` after an
#    unmasked pass. Show that it gives the right E16 sample and the right gradients for one layer,
#    and that it does not for two stacked layers.
# 3. Write M1 for the LSTM by hand for one step and check, with `lstm_forward(..., lengths=)`,
#    that both $h$ and $c$ are carried: feed the final states of a padded batch as the initial
#    states of a second chunk and compare with running the two chunks as one sequence.
# 4. Time `gru_forward` + `gru_backward` (numba) on a batch of 64 sequences of lengths uniform in
#    1..100, padded to 100, against 64 single runs. How much does padding cost, and how much does
#    sorting the batch by length (and cutting T per group) save?
