"""The memory budget, and the one estimator of what a command will allocate (issue 23, rule 4).

Sizes read from a file's header (``minirgan.array_headers``) or implied by options (``--hidden``,
``--batch``, ``--seq-len``, ``--length``, ``-n``) are compared with :func:`budget` *before*
anything is allocated, and refused with :class:`minirgan.errors.NotEnoughMemory` (exit code 3),
whose one line gives the estimate, the memory available and what to ask for instead.

The budget is :data:`SHARE` of the memory available now: ``MemAvailable`` of /proc/meminfo
(else the free physical pages), lowered by a cgroup's ``memory.max`` and the process's address
space limit (``ulimit -v``) when they are smaller. ``MINIRGAN_MEMORY_BUDGET`` (bytes, e.g.
``2e9``) sets the budget instead (tests use it; so can a user sharing a machine).

The estimates count the arrays the NumPy code holds at its peak, with every float 8 bytes
(float64): they are meant to be right within a factor of two, enough to refuse a hundred-fold
mistake (``--hidden 100000``, ``--length 10000000``) at once instead of after minutes of
swapping or a bare MemoryError.
"""

import os
import resource

from .errors import NotEnoughMemory

SHARE = 0.8
FLOAT = 8                                   # bytes per value (float64, the default dtype)
GATES = {"rnn": 1, "gru": 3, "lstm": 4}     # blocks of H rows in a cell's input weights
CACHED_PER_UNIT = 6                         # arrays of (N, T, H) a layer's cache holds, at most
PARAM_COPIES = 6                            # weights, gradient, Adam's two moments, the copy
                                            # FiniteUpdates keeps, the moving average


def _meminfo(key):
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _cgroup_room():
    try:
        with open("/sys/fs/cgroup/memory.max") as f:
            limit = f.read().strip()
        with open("/sys/fs/cgroup/memory.current") as f:
            used = int(f.read().strip())
    except (OSError, ValueError):
        return None
    return None if limit == "max" else max(0, int(limit) - used)


def available_memory():
    """Bytes this process may still allocate (see the module), or None if the OS does not say."""
    found = _meminfo("MemAvailable")
    if found is None and hasattr(os, "sysconf"):
        try:
            found = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (ValueError, OSError):
            found = None
    limits = [found, _cgroup_room()]
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        limits.append(soft)
    limits = [v for v in limits if v is not None]
    return min(limits) if limits else None


def budget():
    """The most bytes one command may plan to allocate (see the module); None: no limit known."""
    given = os.environ.get("MINIRGAN_MEMORY_BUDGET")
    if given:
        return int(float(given))
    room = available_memory()
    return None if room is None else int(SHARE * room)


def format_bytes(n):
    """'1.5 GB', '3.2 TB', '512 kB' (powers of 1000)."""
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{int(n)} bytes"


def check_fits(what, nbytes, advice):
    """Raise NotEnoughMemory if ``nbytes`` (what ``what`` would allocate) exceeds the budget.
    ``advice`` says what to ask for instead (e.g. "a smaller --hidden")."""
    limit = budget()
    if limit is not None and nbytes > limit:
        raise NotEnoughMemory(f"{what} would need about {format_bytes(nbytes)} of memory, more than "
                              f"the {format_bytes(limit)} available to it: {advice}")


# --------------------------------------------------------------------------- the estimator

def stack_bytes(cell, inputs, hidden, layers, outputs):
    """Bytes of one model's parameters: L recurrent layers (GATES[cell] blocks of H rows over
    [x_t, h_{t−1}, 1]) and a dense head to ``outputs``."""
    g = GATES[cell]
    recurrent = g * hidden * (inputs + hidden + 2) + (layers - 1) * g * hidden * (2 * hidden + 2)
    return FLOAT * (recurrent + hidden * outputs + outputs)


def pass_bytes(cell, batch, steps, hidden, layers, features):
    """Bytes one forward pass over (batch, steps) keeps for its backward pass, with the
    backward's own temporaries (as many again)."""
    per_step = layers * hidden * (CACHED_PER_UNIT + GATES[cell]) + features
    return 2 * FLOAT * batch * steps * per_step


def training_bytes(config, n, steps, features):
    """Bytes a training run of ``config`` on data (n, steps, features) holds at its peak: both
    models' parameters (PARAM_COPIES copies), G's pass and D's passes over a real and a
    generated batch, and the data (raw and scaled)."""
    hidden, layers, cell = config.hidden, config.layers, config.cell
    inputs_g = config.noise_dim * (2 if config.noise == "mixed" else 1) + (len(config.classes or ()))
    params = (stack_bytes(cell, inputs_g, hidden, layers, features)
              + stack_bytes(cell, features + len(config.classes or ()), hidden, layers, 1))
    passes = 3 * pass_bytes(cell, config.batch, steps, hidden, layers, features)
    return PARAM_COPIES * params + passes + 2 * FLOAT * n * steps * features


def check_training(config, shape):
    """Refuse (NotEnoughMemory) a run of ``config`` on data of ``shape`` (N, T, F) that would not
    fit, naming the options that set its size."""
    n, steps, features = shape
    check_fits(f"training (--hidden {config.hidden}, --layers {config.layers}, --batch "
               f"{config.batch}, T = {steps}, {n} sequences of {features} features)",
               training_bytes(config, n, steps, features),
               "ask for a smaller --hidden, --batch, --seq-len or --n-data")


def sampling_bytes(config, n, steps, features, chunk, whole):
    """Bytes ``minirgan sample`` or ``evaluate`` holds drawing ``n`` sequences of ``steps``
    steps, ``chunk`` at a time: one chunk's generator pass, plus the whole (n, steps,
    features) set three times over (samples, their scaled copy, the output) if ``whole``
    (a .csv, labels or scores need them all at once; a .npy is written chunk by chunk)."""
    one = pass_bytes(config.cell, min(n, chunk), steps, config.hidden, config.layers, features)
    return one + (3 * FLOAT * n * steps * features if whole else 0)


def check_sampling(config, n, steps, features, chunk, whole):
    """Refuse (NotEnoughMemory) drawing n sequences of ``steps`` steps that would not fit."""
    check_fits(f"{n} samples of {steps} steps x {features} features",
               sampling_bytes(config, n, steps, features, chunk, whole),
               "ask for fewer (-n) or shorter (--length) samples" + ("" if not whole else
                                                                     ", or write a .npy"))
