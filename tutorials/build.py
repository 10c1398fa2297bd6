"""Build the tutorial notebooks from their sources in ``tutorials/src``.

Each tutorial is written as a plain-text "percent" script (``# %%`` code cells,
``# %% [markdown]`` text cells), which diffs and reviews well; this script turns
it into the ``.ipynb`` beside it with jupytext and, with ``--execute``, runs it
top to bottom with nbclient so the committed notebook carries its outputs and
figures (the docs site shows them without re-running anything).

    python tutorials/build.py                 # every notebook; keeps the outputs of unchanged code cells
    python tutorials/build.py --execute       # ... and run them in full mode
    python tutorials/build.py 04 --execute    # only the notebooks whose name starts with 04
    python tutorials/build.py --execute --stale   # only the notebooks whose outputs are stale

Edit the sources, not the notebooks: tests/test_tutorials.py checks they agree.

A notebook built with ``--execute`` records what produced its outputs in its metadata
(``metadata.minirgan``): a hash of its code cells, the mode it ran in, and a hash of the code of
every minirgan module it imported (comments and docstrings left out, so rewording a docstring
does not make a tutorial stale, while any change of code does). ``stale_reasons`` compares that
record with the working tree; tests/test_tutorials.py fails on any difference and prints the
command that rebuilds the notebook.
"""

import argparse
import ast
import hashlib
import json
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
    for number, cell in enumerate(nb.cells):
        cell.metadata = {}
        # An id that depends only on the cell's place: a rebuild changes no id (nbformat's are random).
        cell.id = hashlib.sha1(f"{source.stem}:{number}".encode()).hexdigest()[:8]
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def keep_outputs(nb, old):
    """Copy the outputs of ``old``'s code cells into ``nb``'s code cells.

    Lets a change of the text (Markdown cells) be rebuilt without re-running the notebook. With
    as many code cells as before, each keeps its place's outputs, also where its source changed
    (a new axis label): the page still shows its figures, and the record copied along with them
    still holds the hash of the old code, so ``stale_reasons`` reports the notebook as stale until
    it is run with --execute. With a different number of code cells, only cells whose source is
    unchanged keep their outputs."""
    old_code = [c for c in old.cells if c.cell_type == "code"]
    new_code = [c for c in nb.cells if c.cell_type == "code"]
    if len(old_code) == len(new_code):
        pairs = zip(new_code, old_code)
    else:
        by_source = {c.source: c for c in reversed(old_code)}
        pairs = [(c, by_source[c.source]) for c in new_code if c.source in by_source]
    for new, prev in pairs:
        new.outputs, new.execution_count = prev.outputs, prev.execution_count
    if "minirgan" in old.metadata:          # the record of the run these outputs came from
        nb.metadata["minirgan"] = old.metadata["minirgan"]
    return nb


IMPORTED = ("import json, sys\n"
            "print(json.dumps(sorted(n for n, m in sys.modules.items() if n.split('.')[0] == 'minirgan'"
            " and getattr(m, '__file__', None))))")


def code_hash(path):
    """sha256 of a Python file's code: its syntax tree without docstrings (comments never enter it)."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(body, list) and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
    return hashlib.sha256(ast.dump(tree).encode()).hexdigest()


def module_file(name):
    """The source file of minirgan module ``name`` in this working tree (None if it is gone)."""
    base = HERE.parent / Path(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def cells_hash(nb):
    """sha256 of a notebook's code cells, the part of its source that produces its outputs."""
    code = "\n\0".join(c.source for c in nb.cells if c.cell_type == "code")
    return hashlib.sha256(code.encode()).hexdigest()


def provenance(source, fast, modules):
    """The record a freshly executed notebook carries: its code, its mode, the library code it ran."""
    return {"code_cells_sha256": cells_hash(convert(source)),
            "fast": bool(fast),
            "modules": {name: code_hash(module_file(name)) for name in modules if module_file(name)},
            "rebuild": f"python tutorials/build.py {source.stem[:2]} --execute"}


def stale_reasons(source, nb):
    """Why the outputs of ``nb`` (built from ``source``) no longer follow from the working tree."""
    record = nb.metadata.get("minirgan")
    if not record:
        return ["the notebook does not record what produced its outputs"]
    reasons = []
    if record.get("code_cells_sha256") != cells_hash(convert(source)):
        reasons.append(f"the code cells of {source.name} changed")
    if record.get("fast"):
        reasons.append("its outputs are from a fast-mode run (MINIRGAN_FAST=1)")
    for name, digest in sorted(record.get("modules", {}).items()):
        path = module_file(name)
        if path is None:
            reasons.append(f"module {name} no longer exists")
        elif code_hash(path) != digest:
            reasons.append(f"the code of {path.relative_to(HERE.parent)} changed")
    return reasons


# One BLAS thread in the kernel: the tutorials' products are small, so threads only add contention
# (on a busy machine, spinning BLAS threads made a notebook ten times slower), and a fixed thread
# count keeps the rounding, hence the committed numbers, reproducible.
PINNED_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def execute(nb, fast, timeout=1800, source=None):
    """Run ``nb`` in the tutorials folder; fast mode sets MINIRGAN_FAST=1 for the kernel."""
    old = {k: os.environ.get(k) for k in PINNED_ENV + ("MINIRGAN_FAST",)}
    os.environ.update({k: "1" for k in PINNED_ENV}, MINIRGAN_FAST="1" if fast else "0")
    nb.cells.append(nbformat.v4.new_code_cell(IMPORTED))     # asks the kernel what it imported
    try:
        NotebookClient(nb, timeout=timeout, kernel_name=KERNEL,
                       resources={"metadata": {"path": str(HERE)}}).execute()
        probe = nb.cells.pop()
        modules = json.loads("".join(o.get("text", "") for o in probe.outputs if o.output_type == "stream"))
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    for cell in nb.cells:          # keep diffs small: no timing metadata
        cell.metadata.pop("execution", None)
    if source is not None:
        nb.metadata["minirgan"] = provenance(source, fast, modules)
    return nb


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="only notebooks whose name starts with these")
    parser.add_argument("--execute", action="store_true", help="run each notebook and keep its outputs")
    parser.add_argument("--fast", action="store_true", help="run in fast mode (MINIRGAN_FAST=1)")
    parser.add_argument("--stale", action="store_true",
                        help="with --execute: only the notebooks whose outputs are stale (see stale_reasons)")
    args = parser.parse_args(argv)
    for source in sources(args.prefixes):
        if args.stale and notebook_path(source).exists():
            reasons = stale_reasons(source, nbformat.read(notebook_path(source), as_version=4))
            if not reasons:
                print(f"{notebook_path(source).name:<40} up to date", flush=True)
                continue
            print(f"{notebook_path(source).name:<40} stale: {'; '.join(reasons)}", flush=True)
        nb = convert(source)
        start = time.perf_counter()
        out = notebook_path(source)
        if args.execute:
            execute(nb, args.fast, source=source)
        elif out.exists():
            keep_outputs(nb, nbformat.read(out, as_version=4))
        nbformat.write(nb, out)
        size = out.stat().st_size / 1e6
        print(f"{out.name:<40} {time.perf_counter() - start:7.1f} s  {size:6.2f} MB", flush=True)


if __name__ == "__main__":
    sys.exit(main())
