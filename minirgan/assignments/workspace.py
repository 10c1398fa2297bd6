"""A student's workspace: the reference source with every solution block removed.

A source under ``sources/`` marks each part the student writes between ``# BEGIN SOLUTION`` and
``# END SOLUTION``; :func:`strip_solutions` replaces each such block by a line that raises
``NotImplementedError``, at the block's indentation, so the stripped file imports and its given
functions run while the ones to write fail with a clear message.


A source may instead end a line ``# LIBRARY FUNCTION module.name``: the reference is then the
library's own function, pasted in at that line with its body as the solution block, so the
assignment can never drift from the code it teaches (``train_step``).
"""

import ast
import importlib
import inspect
import re
import textwrap
from importlib import resources
from pathlib import Path

from ..atomic import atomic_open

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
LIBRARY = re.compile(r"^# LIBRARY FUNCTION ([\w.]+)\.(\w+)$", re.M)


def _imports_of(function):
    """Import lines for every global name ``function`` uses, from the module it lives in."""
    module = inspect.getmodule(function)
    used = sorted(n for n in function.__code__.co_names if n in vars(module))
    lines = [f"import {vars(module)[n].__name__} as {n}" for n in used if inspect.ismodule(vars(module)[n])]
    names = [n for n in used if not inspect.ismodule(vars(module)[n])]
    return "".join(line + "\n" for line in lines) + (f"from {module.__name__} import {', '.join(names)}\n\n\n"
                                                      if names else "\n\n")


def _library_function(match):
    """The imports and source of a library function, its body (after the docstring) as a
    solution block."""
    function = getattr(importlib.import_module(match.group(1)), match.group(2))
    source = textwrap.dedent(inspect.getsource(function))
    node = ast.parse(source).body[0]
    first = node.body[1] if ast.get_docstring(node) is not None else node.body[0]
    lines = source.splitlines(keepends=True)
    head, body = lines[:first.lineno - 1], lines[first.lineno - 1:]
    return _imports_of(function) + "".join(head) + f"    {BEGIN}\n" + "".join(body) + f"    {END}\n"


def source_text(name):
    """The full reference source of assignment ``name`` (with its solution blocks)."""
    text = resources.files("minirgan.assignments").joinpath("sources", f"{name}.py").read_text("utf-8")
    return LIBRARY.sub(_library_function, text)


def strip_solutions(text):
    """``text`` with each BEGIN…END SOLUTION block replaced by a ``# YOUR CODE HERE`` stub."""
    out, inside = [], False
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        marker = line.strip()
        if marker == BEGIN:
            if inside:
                raise ValueError(f"line {number}: {BEGIN} inside another solution block")
            inside = True
            indent = re.match(r"\s*", line).group(0)
            out.append(f"{indent}# YOUR CODE HERE\n")
            out.append(f'{indent}raise NotImplementedError("write this function")\n')
        elif marker == END:
            if not inside:
                raise ValueError(f"line {number}: {END} without {BEGIN}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"a solution block is not closed with {END}")
    return "".join(out)


def student_path(name, directory):
    """Where ``start`` writes, and ``check`` reads, the student's file of assignment ``name``."""
    return Path(directory) / f"{name}.py"


def start(name, directory, overwrite=False):
    """Write the student file of ``name`` into ``directory`` (created if missing); its path.

    Refuses to replace an existing file (the student's work) unless ``overwrite``.
    """
    path = student_path(name, directory)
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} exists (your work?): choose another folder, or remove it first")
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_open(path, "w", encoding="utf-8") as f:
        f.write(strip_solutions(source_text(name)))
    return path
