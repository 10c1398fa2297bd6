"""The layers of the package (docs/code_layout.md), read from the source with ``ast``.

Every import of a ``minirgan`` module by another, at the top of a file or inside a function,
is an edge. The CLI (``minirgan.cli``, ``minirgan/commands/``, ``minirgan.__main__``) is the
top layer: no library module imports it. And the graph has no cycle, so the modules can be
read (and imported) bottom up.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "minirgan"
CLI = ("minirgan.cli", "minirgan.commands", "minirgan.__main__")


def module_name(path):
    parts = ("minirgan",) + path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules():
    """{module name: path} of every .py file of the package."""
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(name, path, known):
    """The package's modules that module ``name`` (file ``path``) imports, anywhere in it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                base = ".".join(base + ([node.module] if node.module else []))
            else:
                base = node.module
            # "from .models import defaults" imports the submodule minirgan.models.defaults
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base
                       for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:      # minirgan.x.y.func -> minirgan.x.y
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph():
    known = modules()
    graph = {name: imported(name, path, known) for name, path in known.items()}
    # cli.py loads every command module with importlib.import_module, which ast cannot follow
    graph["minirgan.cli"] |= {n for n in known if n.startswith("minirgan.commands.")}
    return graph


GRAPH = import_graph()


def find_cycle(graph):
    """One import cycle as a list of modules [a, b, ..., a], or None (depth-first search)."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def is_cli(name):
    return name.startswith(CLI)


def test_the_graph_sees_the_imports_it_should():
    """The walker resolves relative, nested and function-local imports (else the tests below
    would pass on an empty graph)."""
    assert "minirgan.models" in GRAPH["minirgan.run"]                  # from .models import ...
    assert "minirgan.models.defaults" in GRAPH["minirgan.config"]      # from .models import defaults
    assert "minirgan.errors" in GRAPH["minirgan.commands.sample"]      # from ..errors import ...
    assert "minirgan.run" in GRAPH["minirgan.commands.sample"]         # inside run()
    assert "minirgan.plots" in GRAPH["minirgan.train"]                 # inside train()
    assert "minirgan.commands.train" in GRAPH["minirgan.cli"]          # importlib


@pytest.mark.parametrize("name", sorted(n for n in GRAPH if not is_cli(n)))
def test_no_library_module_imports_the_cli(name):
    wrong_way = sorted(t for t in GRAPH[name] if is_cli(t))
    assert not wrong_way, f"{name} imports the command line: {wrong_way}"


def test_there_is_no_import_cycle():
    assert find_cycle(GRAPH) is None, f"import cycle: {' -> '.join(find_cycle(GRAPH))}"


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


# The layers of docs/code_layout.md, bottom (0) to top (6), by module-name prefix (the longest
# matching prefix wins). A module may import only modules of its own layer or below.
LAYERS = {
    "minirgan.activations": 0, "minirgan.dense": 0, "minirgan.losses": 0, "minirgan.optim": 0,
    "minirgan.moment_loss": 0, "minirgan.averaging": 0, "minirgan.validation": 0, "minirgan.backend": 0,
    "minirgan.errors": 0, "minirgan.memory_budget": 0, "minirgan.array_headers": 0, "minirgan.data": 0, "minirgan.datasets": 0, "minirgan.plots": 0,
    "minirgan.atomic": 0, "minirgan.ragged": 0, "minirgan.missing": 0, "minirgan.schedule": 0,
    "minirgan.worker_pool": 0, "minirgan.interruptible": 0,
    "minirgan.kernels": 1, "minirgan.recurrence": 1, "minirgan.cells": 1, "minirgan.rnn": 1,
    "minirgan.gru": 1, "minirgan.lstm": 1,
    "minirgan.gradcheck": 1, "minirgan.blas_cap": 1,
    "minirgan.models": 2, "minirgan.metrics": 2,
    "minirgan.config": 3, "minirgan.checkpoint": 3,
    "minirgan.run": 4, "minirgan.run_attributes": 4, "minirgan.run_data": 4, "minirgan.run_lock": 4,
    "minirgan.run_inputs": 4, "minirgan.selection": 4,
    "minirgan.train": 5, "minirgan.latent_train": 5, "minirgan.guards": 5, "minirgan.evaluate": 5, "minirgan.assignments": 5,
    "minirgan.sweep": 5,
    "minirgan.cli": 6, "minirgan.commands": 6, "minirgan.__main__": 6,
}


def layer(name):
    """The layer of module ``name``, or None if the table does not place it."""
    prefixes = [p for p in LAYERS if name == p or name.startswith(p + ".")]
    return LAYERS[max(prefixes, key=len)] if prefixes else None


@pytest.mark.parametrize("name", sorted(n for n in GRAPH if layer(n) is not None))
def test_modules_import_only_their_layer_and_below(name):
    upward = sorted(t for t in GRAPH[name] if layer(t) is not None and layer(t) > layer(name))
    assert not upward, (f"{name} (layer {layer(name)}) imports a higher layer: "
                        + ", ".join(f"{t} ({layer(t)})" for t in upward))


def test_every_module_has_a_layer():
    """A new module is placed in LAYERS (and docs/code_layout.md), else its imports go unchecked."""
    unplaced = sorted(n for n in GRAPH if n != "minirgan" and layer(n) is None)
    assert not unplaced, f"modules without a layer in LAYERS: {unplaced}"


def test_the_layer_table_places_the_modules_of_the_diagram():
    assert layer("minirgan.models.generator") == 2 and layer("minirgan.plots.figure") == 0
    assert layer("minirgan.commands.train") == 6 and layer("minirgan.run") == 4
    assert layer("minirgan.runs") is None                      # prefixes match whole names


def test_figures_leave_matplotlib_state_alone(tmp_path):
    """Importing minirgan and drawing every figure neither switches matplotlib's backend nor
    loads pyplot (the figures use the object-oriented Figure API): a notebook keeps its own."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(f"""
        import sys
        import matplotlib
        matplotlib.use("svg")
        import numpy as np
        import minirgan, minirgan.evaluate, minirgan.plots as plots, minirgan.train
        real = np.random.default_rng(0).uniform(size=(6, 5, 2))
        fake = np.random.default_rng(1).uniform(size=(6, 5, 2))
        history = [{{"step": s, "loss_d": 1.0, "loss_g": 0.5, "d_real": 0.6, "d_fake": 0.4}}
                   for s in (1, 2, 3)]
        names = ("samples", "losses", "d_outputs", "pca", "marginals", "autocorrelation")
        paths = {{k: r"{tmp_path}/" + k + ".png" for k in names}}
        plots.write_training_figures(real, fake, history, paths)
        plots.plot_images(real, fake, paths["samples"])
        acf = np.zeros((4, 2))
        plots.write_evaluation_figures(real, fake, acf, acf, paths)
        assert matplotlib.get_backend() == "svg", matplotlib.get_backend()
        assert "matplotlib.pyplot" not in sys.modules
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{k}.png" for k in ("samples", "losses", "d_outputs", "pca", "marginals", "autocorrelation"))
