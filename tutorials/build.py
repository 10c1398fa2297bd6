"""Build the tutorial notebooks from their sources in ``tutorials/src``.

Each tutorial is written as a plain-text "percent" script (``# %%`` code cells,
``# %% [markdown]`` text cells), which diffs and reviews well; this script turns
it into the ``.ipynb`` beside it with jupytext and, with ``--execute``, runs it
top to bottom with nbclient so the committed notebook carries its outputs and
figures (the docs site shows them without re-running anything).

    python tutorials/build.py                 # every notebook; keeps the outputs of unchanged code cells
    python tutorials/build.py --execute       # ... and run them in full mode
    python tutorials/build.py 04 --execute    # only the notebooks whose name starts with 04

Edit the sources, not the notebooks: tests/test_tutorials.py checks they agree.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
KERNEL = "python3"


def sources(prefixes=()):
    """The tutorial sources, in order, optionally only those whose name starts with a prefix."""
    found = sorted(SRC.glob("[0-9][0-9]_*.py"))
    if prefixes:
        found = [p for p in found if any(p.stem.startswith(x) for x in prefixes)]
    return found


def notebook_path(source):
    """Where the notebook built from ``source`` lives."""
    return HERE / (source.stem + ".ipynb")


def convert(source):
    """The notebook (without outputs) that a percent-format source describes."""
    nb = jupytext.read(source, fmt="py:percent")
    nb.metadata = {"kernelspec": {"name": KERNEL, "display_name": "Python 3", "language": "python"},
                   "language_info": {"name": "python"}}
    for cell in nb.cells:
        cell.metadata = {}
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def keep_outputs(nb, old):
    """Copy the outputs of ``old``'s code cells into ``nb``'s code cells with the same source.

    Lets a change of the text (Markdown cells) be rebuilt without re-running the notebook;
    a code cell whose source changed gets no outputs (run with --execute to refresh)."""
    old_code = [c for c in old.cells if c.cell_type == "code"]
    new_code = [c for c in nb.cells if c.cell_type == "code"]
    if [c.source for c in old_code] == [c.source for c in new_code]:
        for new, prev in zip(new_code, old_code):
            new.outputs, new.execution_count = prev.outputs, prev.execution_count
    return nb


def execute(nb, fast, timeout=1800):
    """Run ``nb`` in the tutorials folder; fast mode sets MINIRGAN_FAST=1 for the kernel."""
    old = os.environ.get("MINIRGAN_FAST")
    os.environ["MINIRGAN_FAST"] = "1" if fast else "0"
    try:
        NotebookClient(nb, timeout=timeout, kernel_name=KERNEL,
                       resources={"metadata": {"path": str(HERE)}}).execute()
    finally:
        if old is None:
            os.environ.pop("MINIRGAN_FAST", None)
        else:
            os.environ["MINIRGAN_FAST"] = old
    for cell in nb.cells:          # keep diffs small: no timing metadata
        cell.metadata.pop("execution", None)
    return nb


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="only notebooks whose name starts with these")
    parser.add_argument("--execute", action="store_true", help="run each notebook and keep its outputs")
    parser.add_argument("--fast", action="store_true", help="run in fast mode (MINIRGAN_FAST=1)")
    args = parser.parse_args(argv)
    for source in sources(args.prefixes):
        nb = convert(source)
        start = time.perf_counter()
        out = notebook_path(source)
        if args.execute:
            execute(nb, args.fast)
        elif out.exists():
            keep_outputs(nb, nbformat.read(out, as_version=4))
        nbformat.write(nb, out)
        size = out.stat().st_size / 1e6
        print(f"{out.name:<40} {time.perf_counter() - start:7.1f} s  {size:6.2f} MB", flush=True)


if __name__ == "__main__":
    sys.exit(main())
