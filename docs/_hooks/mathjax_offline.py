"""MkDocs hook: ship MathJax 3 inside the built site, so every equation renders offline.

The site is read in classrooms, on trains and in locked-down labs, where a CDN is out of
reach. MathJax comes from the PyPI package ``django-static-mathjax`` (MathJax 3.2.2 as plain
static files; it needs no Django), a dev dependency, so the README's install command
(``pip install -e ".[dev]"``) brings it and the build needs no network and no Node.
After each build this hook copies the parts the pages use into ``assets/mathjax/`` of the
site: the ``tex-mml-chtml.js`` bundle that ``mkdocs.yml`` loads, the TeX extensions it
autoloads, the CommonHTML output with its web fonts, the menu and its accessibility
components, and MathJax's licence.
"""

import shutil
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "django-static-mathjax"
SITE_DIR = "assets/mathjax"            # mkdocs.yml: extra_javascript assets/mathjax/tex-mml-chtml.js
# Relative to the package's es5/ folder: the bundle and what it loads on demand.
PARTS = ("tex-mml-chtml.js", "input", "output/chtml", "a11y", "sre", "ui", "adaptors")


def mathjax_root():
    """The installed package's ``es5`` folder (MathJax's browser build).

    Raises ``RuntimeError`` naming the missing package and the command that installs it.
    """
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        raise RuntimeError(f"MathJax for the offline docs comes from the {DISTRIBUTION} package, "
                           f"which is not installed: run pip install -e \".[dev]\"") from None
    root = Path(dist.locate_file("mathjax/static/mathjax"))
    if not (root / "es5" / PARTS[0]).is_file():
        raise RuntimeError(f"{DISTRIBUTION} {dist.version} has no es5/{PARTS[0]} under {root}; "
                           "install a 3.x version")
    return root


def copy_mathjax(site_dir):
    """Copy MathJax's browser files into ``site_dir/assets/mathjax``; return that folder."""
    root = mathjax_root()
    target = Path(site_dir) / SITE_DIR
    for part in PARTS:
        source = root / "es5" / part
        if source.is_dir():
            shutil.copytree(source, target / part, dirs_exist_ok=True)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / part)
    shutil.copy2(root / "LICENSE", target / "LICENSE")
    return target


def on_post_build(config, **kwargs):
    copy_mathjax(config["site_dir"])
