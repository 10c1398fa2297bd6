"""Build the documentation site the way a user does (``mkdocs build --strict``), for the docs tests."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_site(site_dir):
    """Build the site into ``site_dir``; return ``(ok, log)`` with mkdocs' output as the log."""
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site_dir)],
                            cwd=ROOT, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return result.returncode == 0, result.stdout + result.stderr
