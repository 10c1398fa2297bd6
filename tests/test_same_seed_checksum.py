"""A short default run's samples are bitwise those of the code before the redesign (issue 10).

The checksums below were produced by commit 233cfd5 (before the cell registry and the run
module): 20 generator updates of the default ``TrainConfig`` on 256 sines, then 64 samples
with seed 0, for both backends. A refactor that changes any bit of the training step, the
initialisation, the data or the sampling changes them. OpenBLAS picks its kernels by CPU,
and different kernels round differently, so the run happens in a subprocess with
``OPENBLAS_CORETYPE=Haswell`` (a kernel set every x86-64 machine of the last decade has).
A deliberate change of behaviour must update these values and say why in its commit.

The step moment loss became a default later (docs/benchmarks.md), a deliberate change of the
default run: the pre-redesign checksums are kept for the same run with it off
(``step_moment_loss=0``, the default they were made with), and ``EXPECTED_DEFAULT`` pins
today's default run, from the commit that made the change.
"""

import hashlib
import os
import platform
import subprocess
import sys
import textwrap

import pytest

EXPECTED = {
    "numba": "a5a35764355b83c93b572f81301e9887afd3ed2e43ce517aa7af8eb0809f0690",
    "numpy": "f5547783268a8c4abc707aceac3bf1ae4a923b83052def46a89fb1a9030e07c1",
}
EXPECTED_DEFAULT = {
    "numba": "2f48aace080ab17112464028ff168572c6fedf266bd6f4993c49821ebb2c7fee",
    "numpy": "f246362deb2ebc210b03456c15e16ac72320f604ef5f40c07a88e9034419ad44",
}

SCRIPT = textwrap.dedent("""
    import hashlib, os, sys, tempfile
    import numpy as np
    from minirgan.config import TrainConfig
    from minirgan.train import train
    from minirgan.run import load_generator, draw_samples
    backend = sys.argv[1]
    changed = {} if sys.argv[2] == "default" else {"step_moment_loss": 0.0}
    out = os.path.join(tempfile.mkdtemp(), "run")
    config = TrainConfig(iterations=20, n_data=256, checkpoint_every=10, metrics_every=0,
                         backend=backend, **changed)
    train(config, out, progress=False, figures=False)
    G, scaler, info = load_generator(out)
    samples = draw_samples(G, scaler, 64, 0)
    print(hashlib.sha256(np.ascontiguousarray(samples).tobytes()).hexdigest())
""")


# OpenBLAS's Haswell kernels, whose checksums are pinned, exist on x86-64 only
HASWELL_ONLY = pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"),
                                  reason="the pinned checksums are of OpenBLAS's Haswell kernels (x86-64 only)")


def digest_in_subprocess(script, *args, unset=()):
    """The last line a script printed (its digest), run in a fresh Python with OpenBLAS's Haswell
    kernels (see the module docstring) and without the environment variables ``unset``; the
    script's stderr if it failed."""
    env = {k: v for k, v in dict(os.environ, OPENBLAS_CORETYPE="Haswell").items() if k not in unset}
    result = subprocess.run([sys.executable, "-c", script, *args], env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@HASWELL_ONLY
@pytest.mark.parametrize("backend", sorted(EXPECTED))
def test_default_run_samples_bitwise_equal_to_before_redesign(backend):
    assert digest_in_subprocess(SCRIPT, backend, "before the step moment loss") == EXPECTED[backend]


@HASWELL_ONLY
@pytest.mark.parametrize("backend", sorted(EXPECTED_DEFAULT))
def test_default_run_with_the_step_moment_loss_samples_bitwise_pinned(backend):
    assert digest_in_subprocess(SCRIPT, backend, "default") == EXPECTED_DEFAULT[backend]


def test_the_two_pinned_runs_differ():
    """The step moment loss changes the default run, so the two sets of checksums cannot agree."""
    assert set(EXPECTED.values()).isdisjoint(EXPECTED_DEFAULT.values())


def test_checksum_detects_a_one_bit_change():
    """The comparison is of raw bytes: flipping the last bit of one float changes the digest."""
    import numpy as np
    a = np.linspace(0.0, 1.0, 10)
    b = a.copy()
    b.view(np.uint64)[3] ^= 1
    digest = lambda x: hashlib.sha256(x.tobytes()).hexdigest()
    assert digest(a) != digest(b)
