# %% [markdown]
# # 5. GAN losses: the minimax game, saturation, the seeds' sign errors, LSGAN and WGAN
#
# The seeds write the GAN objective several ways (E3–E8), and two of them are wrong. In this
# notebook you will
#
# 1. write the game (E3) and the losses each player minimises (E4, E5, C6);
# 2. plot every generator loss and **its gradient against $D(G(z))$**, and see why E4 saturates and
#    why the seed's E7 pushes the generator the wrong way;
# 3. watch E6's sign error make a discriminator call everything real;
# 4. meet the least-squares (LSGAN) and Wasserstein (WGAN) losses that S4's FAQ recommends (C3).
#
# Every loss in `minirgan.losses` takes the discriminator's **logit** $l$ (with $D = \sigma(l)$) and
# returns the loss and its gradient with respect to $l$.

# %%
import numpy as np
import matplotlib.pyplot as plt
import minirgan as mr
from minirgan.losses import discriminator_loss, generator_loss, LOSSES
from minirgan.activations import sigmoid
from _params import FAST, pick, setup_figures, banner

setup_figures()
print(banner())

# %% [markdown]
# ## The game and the losses
#
# $$\min_G \max_D V(D, G) = \mathbb{E}_x[\log D(x)] + \mathbb{E}_z[\log(1 - D(G(z)))]\qquad\text{(E3)}$$
#
# The discriminator maximises $V$:
#
# $$L_D = \mathbb{E}_x[\log D(x)] + \mathbb{E}_z[\log(1 - D(G(z)))]\quad\text{maximised (E5)}$$
#
# i.e. it *minimises* $-L_D$, the binary cross-entropy with label 1 for real and 0 for generated data.
# The generator minimises the part of $V$ it can influence:
#
# $$L_G = \mathbb{E}_z[\log(1 - D(G(z)))]\quad\text{minimised (E4, "minimax", saturating)}$$
#
# or, in practice, the **non-saturating** loss $-\mathbb{E}_z[\log D(G(z))]$ (C6), which is what the
# seeds' code does when it trains the generator "towards label 1" (S1, S2).
#
# The logit form keeps everything finite: $\log\sigma(l) = -\mathrm{softplus}(-l)$ and
# $\log(1-\sigma(l)) = -\mathrm{softplus}(l)$, so logits of $\pm 1000$ are harmless:

# %%
extreme = np.array([-1000.0, 0.0, 1000.0])
for kind in LOSSES:
    loss, grad = generator_loss(extreme, kind)
    print(f"{kind:14s} L_G = {loss:10.3f}   dL_G/dl = {grad}")

# %% [markdown]
# ## The seeds' errata
#
# * **E6** (S3 §3.2) writes $L_D = -\mathbb{E}_x[\log D(x)] \;{\color{red}+}\; \mathbb{E}_z[\log(1 - D(G(z)))]$.
#   The second sign is wrong: correct is $-\mathbb{E}_x[\log D(x)] - \mathbb{E}_z[\log(1 - D(G(z)))]$.
# * **E7** (S3 §3.2) writes $L_G = -\mathbb{E}_z[\log(1 - D(G(z)))]$, minimised. That *maximises*
#   E4: it drives $D(G(z)) \to 0$, the wrong way.
# * **E8** (S2 §3.2.1) writes both $L_G$ and $L_D$ as the whole of E3; resolved by E4/E5.
#
# The library does not offer E6 or E7 as options; to show what they do we write them inline here.
# In logits: E7 is $\mathrm{softplus}(l)$ with gradient $\sigma(l)$, and E6's generated-data term is
# $-\mathrm{softplus}(l)$ with gradient $-\sigma(l)$.

# %%
def seed_E7_generator_loss(l):
    """S3's L_G = −E log(1 − D(G(z))) = mean softplus(l), and its gradient σ(l)/n (WRONG)."""
    return float(np.mean(np.logaddexp(0, l))), sigmoid(l) / l.size

def seed_E6_discriminator_loss(lr, lf):
    """S3's L_D = −E log D(x) + E log(1 − D(G(z))) (second sign WRONG), and its gradients."""
    loss = np.mean(np.logaddexp(0, -lr)) - np.mean(np.logaddexp(0, lf))
    return float(loss), (sigmoid(lr) - 1) / lr.size, -sigmoid(lf) / lf.size

# %% [markdown]
# ## Each generator loss's gradient against $D(G(z))$
#
# Early in training the generator is poor and the discriminator rejects its samples:
# $D(G(z)) \approx 0$. A useful generator loss must then give a **large gradient pushing $l$ up**
# (the generator descends the loss, so $\partial L_G/\partial l$ should be strongly negative).
#
# * E4 (minimax): $\partial L_G / \partial l = -\sigma(l) = -D(G(z)) \to 0$: no signal exactly when it
#   is needed — the loss **saturates**.
# * non-saturating (C6): $\partial L_G / \partial l = \sigma(l) - 1 \to -1$: full signal when $D(G(z))\approx 0$.
# * E7 (seed): $\partial L_G / \partial l = +\sigma(l) > 0$: descending it pushes $l$ **down** — the wrong
#   direction at every point.
# * LSGAN: $l - 1$; WGAN: $-1$ everywhere (the critic's score is unbounded, never saturates).
#
# Below: one logit per point, so each gradient is the per-sample value (`n = 1`).

# %%
logits = np.linspace(-8, 8, 401)
D = sigmoid(logits)
curves = {}
for kind in LOSSES:
    curves[kind] = np.array([generator_loss(np.array([l]), kind) for l in logits], dtype=object)
curves["E7 (seed, wrong)"] = np.array([seed_E7_generator_loss(np.array([l])) for l in logits], dtype=object)

fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
for name, c in curves.items():
    loss = np.array([v[0] for v in c]); grad = np.array([v[1][0] for v in c])
    style = "--" if "E7" in name else "-"
    axes[0].plot(D, loss, style, label=name)
    axes[1].plot(D, grad, style, label=name)
axes[0].set_ylim(-4, 6); axes[0].set_title("generator loss $L_G$"); axes[0].set_ylabel("$L_G$ (nats)")
axes[1].set_ylim(-2, 1.2); axes[1].set_ylabel(r"$\partial L_G / \partial l$ (nats per logit unit)"); axes[1].set_title(r"$\partial L_G / \partial l$ (descent moves $l$ against it)")
for ax in axes:
    ax.set_xlabel("$D(G(z)) = \\sigma(l)$"); ax.axhline(0, color="k", lw=0.5)
axes[1].legend(fontsize=8); plt.tight_layout(); plt.show()

# %% [markdown]
# ## A generator on a line, facing a fixed discriminator
#
# The smallest possible GAN shows the same thing in motion. Real data sits at $x \approx 2$; the
# generator is $G(z) = \mu + 0.3 z$, starting at $\mu = -1.5$; the discriminator is a fixed
# logistic unit $l(x) = 2x$ that rejects the generator's samples ($D(G(z)) \approx \sigma(-3) \approx 0.05$).
# Each generator loss gives $\partial L_G/\partial l$ from `generator_loss`; the chain rule gives
# $\partial L_G/\partial \mu = \sum \partial L_G/\partial l \cdot \partial l / \partial x \cdot \partial x/\partial\mu
#  = \sum \partial L_G/\partial l \cdot 2$.

# %%
rng = np.random.default_rng(0)
steps, lr, a = pick(300, 120), 0.05, 2.0
paths = {}
for name in ["nonsaturating", "minimax", "lsgan", "wgan", "E7 (seed, wrong)"]:
    mu, path = -1.5, []
    for _ in range(steps):
        x_fake = mu + 0.3 * rng.standard_normal(64)
        l = a * x_fake
        _, dl = seed_E7_generator_loss(l) if "E7" in name else generator_loss(l, name)
        mu -= lr * np.sum(dl * a)
        path.append(mu)
    paths[name] = np.array(path)
    print(f"{name:18s} μ after {steps} steps: {mu:8.3f}")
for name, path in paths.items():
    plt.plot(path, "--" if "E7" in name else "-", label=name)
plt.axhline(2, color="k", ls=":", label="real data")
plt.ylim(-6, 8); plt.xlabel("generator step"); plt.ylabel(r"$\mu$"); plt.legend(fontsize=8)
plt.title("fixed D: who moves towards the data?"); plt.show()

# %% [markdown]
# Read the numbers above. The non-saturating generator moves at once and slows down as
# $D(G(z)) \to 1$. The minimax generator (E4) creeps while $D(G(z))$ is small — that is the
# saturation — then accelerates (its gradient $-D(G(z))$ grows) and overshoots far past the data.
# The seed's E7 generator runs away from the data and then stalls: it has *reached its goal*,
# $D(G(z)) \to 0$. LSGAN stops where its target score $l = 1$ is reached ($\mu = 0.5$), and WGAN
# moves at constant speed for ever. With a *fixed* $D$ nothing tells a generator to stop at the data:
# in a real GAN the discriminator moves too.
#
# ## E6: a discriminator that calls everything real
#
# Now train the logistic discriminator $l(x) = w x + b$ on real samples near $+2$ and generated ones
# near $-2$, once with the correct loss (E5, `discriminator_loss`) and once with the seed's E6.

# %%
def train_discriminator(loss_fn, steps):
    w, b = 0.0, 0.0
    for _ in range(steps):
        xr = 2 + 0.5 * rng.standard_normal(64)
        xf = -2 + 0.5 * rng.standard_normal(64)
        _, dr, df = loss_fn(w * xr + b, w * xf + b)
        w -= 0.2 * (np.sum(dr * xr) + np.sum(df * xf))
        b -= 0.2 * (np.sum(dr) + np.sum(df))
    return w, b

xs = np.linspace(-4, 4, 200)
for name, fn in [("E5 (correct BCE)", lambda lr_, lf: discriminator_loss(lr_, lf)),
                 ("E6 (seed, wrong sign)", seed_E6_discriminator_loss)]:
    w, b = train_discriminator(fn, pick(200, 80))
    print(f"{name:24s} D(real ≈ +2) = {sigmoid(2 * w + b):.3f}   D(generated ≈ −2) = {sigmoid(-2 * w + b):.3f}")
    plt.plot(xs, sigmoid(w * xs + b), label=name)
plt.axvline(2, color="g", ls=":"); plt.axvline(-2, color="r", ls=":")
plt.xlabel("x"); plt.ylabel("D(x)"); plt.legend(); plt.title("the discriminator after training"); plt.show()

# %% [markdown]
# With E6 both terms reward a *higher* $D$ on every input, so the discriminator learns to say
# "real" to everything and carries no information for the generator.
#
# ## LSGAN and WGAN (S4's FAQ, claim C3)
#
# * **LSGAN** replaces the log-loss by squares of the raw score $l$:
#   $L_D = \tfrac12\mathbb{E}_x[(l(x) - 1)^2] + \tfrac12\mathbb{E}_z[l(G(z))^2]$,
#   $L_G = \tfrac12\mathbb{E}_z[(l(G(z)) - 1)^2]$. Its gradient grows with the distance from the
#   target, so samples far on the correct side of the boundary still get pulled in.
# * **WGAN** makes $l$ a *critic* estimating the Wasserstein-1 distance:
#   $L_D = \mathbb{E}_z[l(G(z))] - \mathbb{E}_x[l(x)]$, $L_G = -\mathbb{E}_z[l(G(z))]$. The critic
#   must be 1-Lipschitz; the original recipe clips its weights to $[-c, c]$ after every step
#   (`minirgan.optim.clip_weights`). The generator's gradient never saturates.
#
# Their values on the same logits, for a discriminator that is right about real data and unsure
# about generated data:

# %%
real_logits, fake_logits = np.array([2.0, 3.0, 1.5]), np.array([0.0, -0.5, 0.5])
print(f"{'loss':14s} {'L_D':>8s} {'L_G':>8s}   dL_G/dl on generated")
for kind in LOSSES:
    ld, _, _ = discriminator_loss(real_logits, fake_logits, kind)
    lg, dg = generator_loss(fake_logits, kind)
    print(f"{kind:14s} {ld:8.3f} {lg:8.3f}   {np.round(dg, 3)}")

# %% [markdown]
# Tutorial 8 trains recurrent GANs with these losses and measures which of them actually help
# against mode collapse.
#
# ## Exercises
#
# 1. Show that the non-saturating and minimax generator losses have the same fixed point
#    $D(G(z)) = \tfrac12$ of the game, but different gradients away from it.
# 2. With one-sided label smoothing $s$ (`discriminator_loss(..., label_smoothing=s)`), what is the
#    optimal $D(x)$ on real data? Check numerically by minimising over a single logit.
# 3. Derive $\partial L_G/\partial l$ for E7 and show it has the sign of $+D(G(z))$ for every $l$.
# 4. In the fixed-discriminator experiment, replace $l(x) = 2x$ by $l(x) = 20x$ (a very confident
#    discriminator). Which losses still move $\mu$? Why does WGAN need the critic to be Lipschitz?
# 5. Plot $\partial L_D/\partial l$ on real and generated logits for each kind, as we did for $L_G$.
