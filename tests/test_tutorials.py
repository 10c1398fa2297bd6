"""Every tutorial notebook runs top to bottom (fast mode) and matches its source.

The notebooks are built from ``tutorials/src/*.py`` by ``tutorials/build.py``; the
test executes each one with nbclient and ``MINIRGAN_FAST=1`` (reduced sizes), so a
change in the library that breaks a tutorial fails CI instead of rotting silently.
"""

import importlib.util
import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbclient")
pytest.importorskip("jupytext")

ROOT = Path(__file__).resolve().parents[1]
TUTORIALS = ROOT / "tutorials"


def _build_module():
    spec = importlib.util.spec_from_file_location("tutorials_build", TUTORIALS / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _build_module()
SOURCES = build.sources()
IDS = [s.stem for s in SOURCES]


def test_there_are_tutorials():
    assert len(SOURCES) >= 8, "expected the tutorial sources in tutorials/src"


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_notebook_is_built_from_its_source(source):
    """The committed .ipynb holds exactly the cells of its source (run tutorials/build.py)."""
    committed = nbformat.read(build.notebook_path(source), as_version=4)
    fresh = build.convert(source)
    assert [(c.cell_type, c.source) for c in committed.cells] == \
           [(c.cell_type, c.source) for c in fresh.cells]


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_notebook_cites_equations_and_ends_with_exercises(source):
    nb = build.convert(source)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert re.search(r"\b[EAC]\d+\b", text), "a tutorial cites the equations by number"
    assert nb.cells[-1].cell_type == "markdown" and "## Exercises" in nb.cells[-1].source


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_notebook_runs_top_to_bottom_in_fast_mode(source):
    nb = build.execute(build.convert(source), fast=True, timeout=300)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
    assert any(o.output_type == "stream" and "FAST" in o.text
               for c in nb.cells if c.cell_type == "code" for o in c.outputs), \
        "the notebook reports that it ran in fast mode"


def test_C1_gradient_through_the_lstm_cell_outlives_the_rnn():
    """Tutorial 4's first measurement (C1): at default initialisation the gradient of the last
    logit reaching the input 20 steps back is far larger through an LSTM than through a tanh RNN."""
    import numpy as np
    from minirgan.models import Discriminator

    x = np.random.default_rng(0).standard_normal((32, 30, 1))
    reach = {}
    for cell in ("rnn", "lstm"):
        norms = []
        for seed in range(3):
            model = Discriminator(1, hidden=16, cell=cell, readout="last", rng=seed, backend="numpy")
            logits, cache = model.forward(x)
            dx, _ = model.backward(np.ones_like(logits), cache)
            norms.append(np.linalg.norm(dx[:, -1 - 20], axis=1).mean() / np.linalg.norm(dx[:, -1], axis=1).mean())
        reach[cell] = np.median(norms)
    assert reach["lstm"] > 10 * reach["rnn"], reach


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_notebook_outputs_follow_from_the_current_code(source):
    """d2l-style staleness check: the committed outputs came from a full run of these code cells
    against the library code as it is now (see tutorials/build.py: stale_reasons)."""
    nb = nbformat.read(build.notebook_path(source), as_version=4)
    reasons = build.stale_reasons(source, nb)
    record = nb.metadata.get("minirgan", {})
    assert not reasons, (f"{source.stem} is stale: " + "; ".join(reasons)
                         + f". Rebuild it: {record.get('rebuild', 'python tutorials/build.py ' + source.stem[:2] + ' --execute')}")


def test_staleness_check_catches_a_code_change_and_ignores_a_docstring(tmp_path):
    """The check fails on a changed line of library code, and not on a reworded docstring."""
    module = tmp_path / "mod.py"
    module.write_text('"""Doc."""\n\ndef f(x):\n    """Say what f does."""\n    return x + 1  # a comment\n')
    before = build.code_hash(module)
    module.write_text('"""Reworded."""\n\ndef f(x):\n    """Says it differently."""\n    return x + 1\n')
    assert build.code_hash(module) == before
    module.write_text('"""Reworded."""\n\ndef f(x):\n    return x + 2\n')
    assert build.code_hash(module) != before
    source = SOURCES[0]
    nb = build.convert(source)
    nb.metadata["minirgan"] = build.provenance(source, False, ["minirgan.rnn"])
    assert build.stale_reasons(source, nb) == []
    nb.metadata["minirgan"]["modules"]["minirgan.rnn"] = "0" * 64
    assert build.stale_reasons(source, nb) == ["the code of minirgan/rnn.py changed"]
    nb.metadata["minirgan"]["fast"] = True
    assert "fast-mode" in " ".join(build.stale_reasons(source, nb))
    nb.metadata["minirgan"]["code_cells_sha256"] = build.cells_hash(nbformat.v4.new_notebook())
    assert any("code cells" in r for r in build.stale_reasons(source, nb))
