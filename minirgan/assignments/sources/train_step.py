"""Assignment `train_step`: wire one step of the adversarial game from minirgan's pieces.

The nine numbered steps of the seeds' recipe (E3–E5, C6; A1's loop with its bugs fixed):

    (1) sample noise z                        (6) update D — config.d_steps times per G step
    (2) generate x̂ = G(z)                     (7) the generator's loss L_G
    (3) score D(x) on real data and D(x̂)      (8) backprop L_G through D's BPTT into x̂
    (4) the discriminator's loss L_D               and on through G's BPTT (D not updated)
    (5) backprop L_D through D's BPTT         (9) update G only

Everything you need is imported below (``clipped(grads, clip_norm)`` returns the gradients,
clipped by global norm when clip_norm > 0 (C2), and their norm before clipping). The grader runs your step and the library's on identical
models with identically seeded random generators, for several configurations (the default with
static noise, a per-step readout and the moment loss; gradient clipping; WGAN; LSGAN with label
smoothing) and asks for **bitwise** equal weights afterwards: draw the random numbers in the same
order as the numbered steps (a real batch, then noise, for each D step; fresh noise for G).

It returns a dict of floats with these 8 keys (the grader compares each one, bitwise):

    loss_d, loss_g            L_D of the last D step, and L_G
    d_real, d_fake            mean σ(D(x)) and mean σ(D(x̂)) of the last D step, before its update
    grad_norm_d, grad_norm_g  the global norms of D's and G's gradients, before clipping (C2)
    loss_moments              the moment loss on x̂ (only when config.moment_loss > 0; the default)
    loss_step_moments         the moment loss on the steps x̂_t − x̂_{t−1} (only when
                              config.step_moment_loss > 0; the default)

(A conditional run with config.mismatch > 0 adds d_mismatch; the grader's runs are unconditional.)

Check your work:  minirgan assignment check train_step .
"""

# The pieces you wire together (imported from where the library's own step finds them):
# LIBRARY FUNCTION minirgan.train.train_step
