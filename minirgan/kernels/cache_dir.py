"""Where numba keeps the compiled kernels: a per-user cache folder, never the installed package.

Every kernel compiles with ``cache=True`` (see ``scalar_math.JIT_OPTIONS``). Left alone, numba
writes its cache into ``minirgan/kernels/__pycache__`` beside the source. For an installed
package that folder is ``site-packages/minirgan/kernels/__pycache__``, which pip does not own:
``pip uninstall`` (and so ``pip install -e .`` after ``pip install .``) leaves it behind, and
the leftover ``site-packages/minirgan/`` then shadows the editable install as an empty
namespace package (issue 11 §1).

So, unless the user has chosen a folder with ``NUMBA_CACHE_DIR``, the cache goes to
``$XDG_CACHE_HOME/minirgan/numba`` (default ``~/.cache/minirgan/numba``; on Windows
``%LOCALAPPDATA%\\minirgan\\numba``), or to a per-user folder under the temporary directory if
that cannot be created. Delete the folder at any time: the next run compiles again (about a
minute, see ``benchmarks/compile_time.py``).

numba reads ``NUMBA_CACHE_DIR`` when it is imported and again before each compilation, and
decides where a function's cache lives when the function is decorated; ``use_user_cache_dir``
therefore runs in ``minirgan/kernels/__init__.py``, before any kernel module is imported.
"""

import os
import tempfile


def default_cache_dir():
    """The per-user folder for minirgan's numba cache (not created here)."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return os.path.join(os.environ["LOCALAPPDATA"], "minirgan", "numba")
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "minirgan", "numba")


def _fallback_cache_dir():
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return os.path.join(tempfile.gettempdir(), f"minirgan-numba-{user}")


def use_user_cache_dir():
    """Point numba's cache at the per-user folder unless NUMBA_CACHE_DIR is set; returns the folder.

    Sets ``NUMBA_CACHE_DIR`` in this process's environment (numba has no other public switch),
    so numba functions of other packages in the same process cache there too, each in its own
    subfolder named after its source folder.
    """
    chosen = os.environ.get("NUMBA_CACHE_DIR")
    if not chosen:
        chosen = default_cache_dir()
        try:
            os.makedirs(chosen, exist_ok=True)
        except OSError:               # read-only or missing home: a private temporary folder
            chosen = _fallback_cache_dir()
        os.environ["NUMBA_CACHE_DIR"] = chosen
    # If numba was imported before minirgan, its config still holds the old value: re-read it.
    import numba.core.config
    numba.core.config.reload_config()
    return chosen
