"""Gradient checks of every step and sequence function (E1, E11–E15, LSTM) with respect to the
inputs, initial states and every parameter: float64, random non-zero weights and biases,
a random upstream gradient, N = 3, T = 6; relative error at most CS231n's published bounds, the
same here, in DESIGN.md and in ``minirgan gradcheck``: 1e-8 for one step, 1e-6 for a sequence."""

import dataclasses

import numpy as np
import pytest

from minirgan import cells, gradcheck
from minirgan.gradcheck import CELLS, THRESHOLDS, cell_gradcheck, numerical_gradient, relative_error

EQUATION = {"rnn": "E1", "rnn-relu": "E1", "gru": "E11-E15", "gru-reset_after": "E11-E15", "lstm": "LSTM"}


def test_thresholds_are_the_published_ones_everywhere():
    """The suite, the gradcheck module and the CLI (which prints its rows) use 1e-8 for a step
    and 1e-6 for a sequence, as DESIGN.md says."""
    assert THRESHOLDS == {"step": 1e-8, "sequence": 1e-6}
    for level, bound in THRESHOLDS.items():
        assert all(r.threshold == bound for r in cell_gradcheck("rnn", level, T=2))


@pytest.mark.parametrize("level", ["step", "sequence"])
@pytest.mark.parametrize("cell", CELLS, ids=[f"{EQUATION[c]}-{c}" for c in CELLS])
@pytest.mark.parametrize("seed", [0, 1])
def test_cell_gradients_match_finite_differences(cell, level, seed):
    rows = cell_gradcheck(cell, level, N=3, T=6, D=4, H=5, seed=seed, threshold=THRESHOLDS[level])
    expected = {"x", "h0"} | ({"c0"} if cell == "lstm" else set())
    assert expected <= {r.name for r in rows}
    assert len(rows) >= len(expected) + 3   # every parameter is in the report
    bad = [(r.name, r.error) for r in rows if not r.passed]
    assert not bad, f"{cell} {level}: {bad}"


def test_numerical_gradient_of_a_known_function():
    x = np.array([[0.3, -1.2], [2.0, 0.5]])
    dout = np.array([[1.0, -2.0], [0.5, 3.0]])
    numeric = numerical_gradient(lambda: np.sin(x) * x, x, dout)
    assert relative_error(numeric, dout * (np.cos(x) * x + np.sin(x))) < 1e-10
    assert np.array_equal(x, [[0.3, -1.2], [2.0, 0.5]])   # perturbations were undone


@pytest.mark.parametrize("level", ["step", "sequence"])
def test_gradcheck_catches_a_wrong_backward(monkeypatch, level):
    """A gradient check that cannot fail proves nothing: break the GRU's E15 derivative of b_u
    by 1 % in the registry row, which both levels (and the models) run."""
    row, options = cells.VARIANTS["gru"]

    def broken(dstates, step_cache, p, reset_after):
        dx, dprev, grads = row.step_backward(dstates, step_cache, p, reset_after)
        return dx, dprev, dict(grads, b_u=grads["b_u"] * 1.01)

    monkeypatch.setitem(cells.VARIANTS, "gru", (dataclasses.replace(row, step_backward=broken), options))
    rows = cell_gradcheck("gru", level, threshold=THRESHOLDS[level])
    failed = {r.name for r in rows if not r.passed}
    assert failed == {"b_u"}


def test_relative_error_definition():
    assert relative_error(np.array([1.0]), np.array([1.0])) == 0.0
    assert relative_error(np.array([1.0]), np.array([3.0])) == pytest.approx(0.5)
    assert relative_error(np.array([0.0]), np.array([0.0])) == 0.0
    with pytest.raises(ValueError, match="shapes differ"):
        relative_error(np.zeros(2), np.zeros(3))


def test_format_report_lists_every_row():
    rows = cell_gradcheck("rnn", "step")
    text = gradcheck.format_report(rows)
    assert all(r.name in text for r in rows) and "pass" in text
