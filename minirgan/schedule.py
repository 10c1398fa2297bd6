"""Learning-rate decay over the last part of a run (``lr_decay``; docs/benchmarks.md).

A GAN's players never settle: at a fixed learning rate the weights at the last step are one point
of an orbit around the equilibrium, and each training seed stops at another point of it. Taking
the step size down to nearly zero over the last fraction of the run shrinks that orbit, so the
last weights are the orbit's centre rather than a point on its rim. The schedule is the one of
CycleGAN (Zhu, Park, Isola and Efros, ICCV 2017, §4): constant, then a linear decay to zero.
"""


def lr_factor(step, iterations, decay):
    """The factor of both base learning rates at generator update ``step`` (1-based).

    ``decay`` is the fraction of the run's ``iterations`` over which the rates fall: 0 keeps them
    constant; 0.5 keeps them for the first half, then takes them linearly down to 1/(n+1) of
    their value at the last step (n = the decaying steps), never to 0, so every step still moves.
    A resumed run gets the same factor at the same step: it depends on nothing else.
    """
    if not decay:
        return 1.0
    n = max(1, round(decay * iterations))
    start = iterations - n                 # the last step at the full rate
    if step <= start:
        return 1.0
    return (iterations - step + 1) / (n + 1)


def set_learning_rates(state, config, step):
    """Set G's and D's optimiser rates for ``step`` from the config's base rates."""
    factor = lr_factor(step, config.iterations, config.lr_decay)
    state.opt_g.lr = config.lr_g * factor
    state.opt_d.lr = config.lr_d * factor
