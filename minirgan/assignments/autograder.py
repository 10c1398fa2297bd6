"""A Gradescope autograder for one assignment: ``minirgan assignment autograder NAME -o FILE.zip``.

The zip holds ``setup.sh`` (Gradescope runs it once, as root, when it builds the image),
``run_autograder`` (run per submission) and ``minirgan-src/``: the source of the minirgan that
built the zip, with a ``pyproject.toml`` written from its installed metadata, so ``setup.sh``
installs exactly this version with ``pip install ./minirgan-src`` (its dependencies — NumPy,
numba, … — come from the package index). ``run_autograder`` grades
``$AUTOGRADER_ROOT/submission/NAME.py`` (the only ``.py`` file there also does) and writes
``$AUTOGRADER_ROOT/results/results.json``; the root defaults to ``/autograder``, as on Gradescope,
and the interpreter to ``python3`` (``$PYTHON`` overrides it).
"""

import importlib.metadata
import json
import os
import shlex
import zipfile
from pathlib import Path

from .. import __version__
from ..atomic import atomic_open, write_json
from .batch import gradescope, grade_one
from .sandbox import ROOT, Limits

PACKAGE = ROOT / "minirgan"

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image.
set -euo pipefail
cd "$(dirname "$0")"
if ! python3 -m pip --version >/dev/null 2>&1; then
    apt-get update && apt-get install -y python3 python3-pip
fi
python3 -m pip install ./minirgan-src      # minirgan {version}, the source that built this zip
"""

RUN = """#!/usr/bin/env bash
# Gradescope runs this for each submission; AUTOGRADER_ROOT (default /autograder) lets it run anywhere.
exec "${{PYTHON:-python3}}" -c {code}
"""


def _requirements():
    """minirgan's install requirements (no extras), from its installed metadata."""
    try:
        required = importlib.metadata.requires("minirgan") or []
    except importlib.metadata.PackageNotFoundError:
        raise ValueError("minirgan is not installed (pip install -e .): its requirements are unknown, "
                         "so no autograder can be built") from None
    return [r for r in required if "extra ==" not in r]


def _pyproject(package_data):
    lines = ["[build-system]", 'requires = ["setuptools>=61"]', 'build-backend = "setuptools.build_meta"', "",
             "[project]", 'name = "minirgan"', f'version = "{__version__}"', 'requires-python = ">=3.10"',
             f"dependencies = {json.dumps(_requirements())}", "",
             "[tool.setuptools.packages.find]", 'include = ["minirgan", "minirgan.*"]', "",
             "[tool.setuptools.package-data]"]
    lines += [f"{json.dumps(pkg)} = {json.dumps(sorted(files))}" for pkg, files in sorted(package_data.items())]
    return "\n".join(lines) + "\n"


def _source_files():
    """(path inside the zip, file) for the package's files, and its non-Python files by package."""
    files, data = [], {}
    for path in sorted(PACKAGE.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo"):
            continue
        files.append((f"minirgan-src/{path.relative_to(ROOT).as_posix()}", path))
        if path.suffix != ".py":
            package = next(p for p in path.parents if (p / "__init__.py").exists())
            name = ".".join(package.relative_to(ROOT).parts)
            data.setdefault(name, []).append(path.relative_to(package).as_posix())
    return files, data


def build(name, out, limits=None):
    """Write the autograder zip of assignment ``name`` to ``out``; its path."""
    limits = limits or Limits()
    code = (f"from minirgan.assignments.autograder import run; "
            f"run({name!r}, timeout={limits.timeout!r}, memory_mb={limits.memory_mb!r})")
    files, data = _source_files()
    out = Path(out)
    with atomic_open(out, "wb") as f, zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
        for arcname, text in (("setup.sh", SETUP.format(version=__version__)),
                              ("run_autograder", RUN.format(code=shlex.quote(code)))):
            info = zipfile.ZipInfo(arcname)
            info.external_attr = 0o755 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)
        z.writestr("minirgan-src/pyproject.toml", _pyproject(data))
        for arcname, path in files:
            z.write(path, arcname)
    return out


def run(name, timeout=60.0, memory_mb=2048):
    """What ``run_autograder`` does: grade the submission, write results.json."""
    root = Path(os.environ.get("AUTOGRADER_ROOT", "/autograder"))
    submission = grade_one(name, root / "submission", Limits(timeout, memory_mb))
    (root / "results").mkdir(parents=True, exist_ok=True)
    write_json(root / "results" / "results.json", gradescope(submission), indent=1, ensure_ascii=False)
