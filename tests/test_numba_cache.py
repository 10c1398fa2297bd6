"""numba's compiled cache lives in a per-user folder, never inside the installed package (issue 11 §1).

Inside the package, ``pip uninstall`` leaves the cache behind and the leftover folder shadows a
later editable install. Each test compiles one small kernel in a fresh interpreter (about 1 s).
"""

import glob
import os
import subprocess
import sys

import minirgan

KERNELS = os.path.join(os.path.dirname(minirgan.__file__), "kernels")
COMPILE_ONE = ("import numpy as np, minirgan as mr, os; "
               "p = mr.init_rnn_params(2, 3, rng=0); "
               "mr.rnn_forward(np.ones((1, 2, 2)), None, p, backend='numba'); "
               "print(os.environ['NUMBA_CACHE_DIR'])")


def _run(tmp_path, **env_changes):
    env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CACHE_DIR", "XDG_CACHE_HOME")}
    env.update(env_changes)
    out = subprocess.run([sys.executable, "-c", COMPILE_ONE], env=env, cwd=tmp_path,
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def _index_files(folder):
    return set(glob.glob(os.path.join(folder, "**", "*.nbi"), recursive=True))


def test_cache_goes_to_the_user_cache_folder_not_the_package(tmp_path):
    in_tree_before = _index_files(KERNELS)
    used = _run(tmp_path, XDG_CACHE_HOME=str(tmp_path / "xdg"))
    assert used == str(tmp_path / "xdg" / "minirgan" / "numba")
    assert any("rnn_kernels" in f for f in _index_files(used))
    assert _index_files(KERNELS) == in_tree_before


def test_numba_cache_dir_set_by_the_user_wins(tmp_path):
    mine = tmp_path / "mine"
    used = _run(tmp_path, XDG_CACHE_HOME=str(tmp_path / "xdg"), NUMBA_CACHE_DIR=str(mine))
    assert used == str(mine)
    assert _index_files(str(mine)) and not (tmp_path / "xdg").exists()


def test_unwritable_cache_home_falls_back_to_a_temporary_folder(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    used = _run(tmp_path, XDG_CACHE_HOME=str(blocker))
    assert not used.startswith(str(blocker)) and "minirgan-numba" in used
    assert os.path.isdir(used)
