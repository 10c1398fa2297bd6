"""``import minirgan`` changes nothing in the process and costs little (issue 24 §3).

Process-wide settings (numba's cache folder, glibc's allocator thresholds, one thread for every
BLAS) belong to the first use of the numba kernels; threadpoolctl loads with the first BLAS cap.
Each test imports the package in a fresh interpreter, where nothing else has loaded it first.
"""

import json
import os
import subprocess
import sys

import pytest

# Packages the import must not load: the kernels' numba and SciPy, the plots' matplotlib, the
# optional oracles and executors, and threadpoolctl (the BLAS cap, loaded by its first use).
HEAVY = ("numba", "llvmlite", "scipy", "matplotlib", "pandas", "torch", "dask", "distributed",
         "threadpoolctl", "sklearn")
MAX_NEW_MODULES = 250     # modules loaded beyond NumPy's own (about 170 today; 566 with numba)
MAX_CPU_SECONDS = 0.25    # CPU time of the import beyond NumPy's (about 0.08 s; 0.4 s with numba)

SNAPSHOT = r"""
import ctypes, json, os, signal, sys, threading, time, warnings
import numpy as np
from threadpoolctl import ThreadpoolController

opened = []                                   # shared libraries opened through ctypes (mallopt)
real_cdll_init = ctypes.CDLL.__init__
def recording_init(self, name, *args, **kwargs):
    opened.append(str(name))
    real_cdll_init(self, name, *args, **kwargs)
ctypes.CDLL.__init__ = recording_init

def state():
    return {"environ": dict(os.environ), "cwd": os.getcwd(), "path": list(sys.path),
            "threads": threading.active_count(), "np_err": np.geterr(),
            "warnings": [repr(f) for f in warnings.filters],
            "signals": {s.name: repr(signal.getsignal(s)) for s in (signal.SIGINT, signal.SIGTERM)},
            "excepthook": repr(sys.excepthook),
            "blas": sorted((c.filepath, c.num_threads) for c in ThreadpoolController().lib_controllers)}

for c in ThreadpoolController().lib_controllers:      # a count the import could only lower
    c.set_num_threads(2)
# threadpoolctl is the test's own: forget it so that a re-import by minirgan would show
for name in [m for m in sys.modules if m.startswith("threadpoolctl")]:
    del sys.modules[name]
before, modules_before = state(), set(sys.modules)
cpu = time.process_time()
import minirgan
cpu = time.process_time() - cpu
new_modules = sorted(set(sys.modules) - modules_before)
print(json.dumps({"before": before, "after": state(), "cpu": cpu, "new_modules": new_modules,
                  "opened": opened}))
"""


@pytest.fixture(scope="module")
def imported():
    """What ``import minirgan`` did in a fresh interpreter (NumPy and threadpoolctl loaded first)."""
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    out = subprocess.run([sys.executable, "-c", SNAPSHOT], env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_loads_no_heavy_package(imported):
    top_level = {name.split(".")[0] for name in imported["new_modules"]}
    assert not top_level & set(HEAVY), sorted(top_level & set(HEAVY))


def test_import_changes_no_process_setting(imported):
    before, after = imported["before"], imported["after"]
    changed = {key for key in before if before[key] != after[key]}
    assert not changed, {key: (before[key], after[key]) for key in changed}
    assert not [name for name in imported["opened"] if "libc" in name], imported["opened"]


def test_import_is_cheap(imported):
    assert len(imported["new_modules"]) <= MAX_NEW_MODULES, len(imported["new_modules"])
    assert imported["cpu"] <= MAX_CPU_SECONDS, imported["cpu"]


FIRST_USE = r"""
import json, os, sys
import minirgan as mr, numpy as np
from threadpoolctl import ThreadpoolController
for c in ThreadpoolController().lib_controllers:          # NumPy's BLAS at two threads
    c.set_num_threads(2)
environ = dict(os.environ)
p = mr.init_rnn_params(2, 3, rng=0)
mr.rnn_forward(np.ones((1, 2, 2)), None, p, backend="numpy")
after_numpy = "numba" in sys.modules
mr.rnn_forward(np.ones((1, 2, 2)), None, p, backend="numba")
print(json.dumps({"numba_after_numpy_backend": after_numpy, "numba": "numba" in sys.modules,
                  "cache_dir": os.environ.get("NUMBA_CACHE_DIR"), "was": environ.get("NUMBA_CACHE_DIR"),
                  "blas": {c.filepath: c.num_threads for c in ThreadpoolController().lib_controllers
                           if c.user_api == "blas"}}))
"""


def test_the_settings_come_with_the_first_use_of_the_numba_backend():
    """numba's cache folder is chosen and every BLAS (SciPy's in the loops, NumPy's around them)
    set to one thread when a numba pass first runs, whoever calls it (issue 22 §5: a notebook's
    own train_step loop ran 4.1 steps/s with NumPy's BLAS at two threads, the CLI 43.5)."""
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    out = subprocess.run([sys.executable, "-c", FIRST_USE], env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert not seen["numba_after_numpy_backend"] and seen["numba"]
    assert seen["was"] is None and seen["cache_dir"]          # the folder: tests/test_numba_cache.py
    assert len(seen["blas"]) >= 2 and set(seen["blas"].values()) == {1}, seen["blas"]
