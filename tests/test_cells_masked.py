"""The masked pass M1 of every cell (docs/masking.md): a padded batch with ``lengths``.

M1, the project's addition to the seeds' equations: s_t = m_t ∘ cell(s_{t−1}, x_t) + (1 − m_t) ∘ s_{t−1}
(s = h, and c for the LSTM), m_t[n] = [t < lengths[n]]. Checked here, for every variant of
the registry (E1, E11–E15, LSTM) and both backends, in float64 with random non-zero weights and
biases and ragged lengths that include 1 and T:

* every gradient against centred differences, at CS231n's sequence threshold (1e-6);
* a padded batch gives each sequence exactly (bitwise) what it gets when its batch-mates and its
  padding are something else entirely; and each sequence run truly alone (N = 1, its own length)
  to round-off (the BLAS takes a matrix-vector path for one row, whose sums round differently);
* the kernels equal the NumPy reference to 1e-12 (float64);
* past a sequence's end dx is exactly zero and the states are carried unchanged;
* nothing given to the passes is modified, and full lengths are the unmasked pass, bitwise.
"""

import copy

import numpy as np
import pytest

from conftest import all_outputs, random_problem
from minirgan import gradcheck, recurrence
from minirgan.cells import get_variant
from minirgan.gradcheck import CELLS, THRESHOLDS, cell_gradcheck

BACKENDS = ["numpy", "numba"]
N, T, D, H = 5, 7, 3, 4
LENGTHS = np.array([1, T, 4, 2, T - 1])            # the edges 1 and T, and ragged ones between


def real_steps(lengths, T):
    """(N, T, 1) booleans: step t is a real step of sequence n."""
    return (np.arange(T)[None, :] < np.asarray(lengths)[:, None])[:, :, None]


def per_sequence(outputs, n, cell):
    """What belongs to sequence n alone: its outputs and dx (all T steps) and initial-state grads."""
    keys = ["h", "dx"] + [f"d{s}0" for s in cell.states]
    return {k: outputs[k][n] for k in keys}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("variant", CELLS)
@pytest.mark.parametrize("seed", [0, 1])
def test_masked_pass_gradients_match_finite_differences(variant, backend, seed):
    """Every gradient of the masked pass (x, the initial states, every parameter), with a random
    upstream gradient on every step, padded ones included (so M1's carry is differentiated too)."""
    rows = cell_gradcheck(variant, "sequence", N=4, T=6, D=3, H=5, seed=seed, backend=backend,
                          ragged=True)
    cell, _ = get_variant(variant)
    assert {"x", *(f"{s}0" for s in cell.states)} < {r.name for r in rows}
    bad = [(r.name, r.error) for r in rows if r.error > THRESHOLDS["sequence"]]
    assert not bad, f"{variant} {backend} ragged: {bad}"


def test_ragged_lengths_hold_the_edges():
    lengths = gradcheck.ragged_lengths(6, 9, np.random.default_rng(0))
    assert lengths[0] == 1 and lengths[1] == 9 and lengths.min() >= 1 and lengths.max() <= 9
    with pytest.raises(ValueError, match="N >= 2"):
        gradcheck.ragged_lengths(1, 9, np.random.default_rng(0))


def test_gradcheck_catches_a_forgotten_mask_in_the_backward(monkeypatch):
    """A check that cannot fail proves nothing: a backward that ignores M1 (the padded steps'
    gradient goes through the cell as on real steps) fails it."""
    def forgotten(m_t, total, cell_backward):
        return cell_backward(total)

    monkeypatch.setattr(recurrence, "masked_update_backward", forgotten)
    rows = cell_gradcheck("gru", "sequence", N=4, T=6, D=3, H=5, ragged=True)
    assert max(r.error for r in rows) > 1e-3


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("variant", CELLS)
def test_padded_batch_gives_each_sequence_bitwise_what_it_gets_without_its_batch_mates(variant, backend):
    """Sequence n in the padded batch against sequence n in a batch of the same shape whose other
    sequences, other lengths and whose own padding are fresh random numbers: its outputs, final
    states, dx, initial-state gradients and (with the upstream gradient on its real steps only)
    every weight gradient are bitwise equal. Nothing but the sequence itself reaches its results."""
    cell, _ = get_variant(variant)
    params, x, states, dh = random_problem(variant, N, T, D, H)
    dh = np.where(real_steps(LENGTHS, T), dh, 0.0)       # a loss that reads the real steps only
    batch = all_outputs(variant, params, x, states, dh, backend, LENGTHS)
    rng = np.random.default_rng(7)
    for n in range(N):
        others = rng.integers(1, T + 1, size=N)
        others[n] = LENGTHS[n]
        x_other = rng.standard_normal(x.shape) * 3.0
        x_other[n, :LENGTHS[n]] = x[n, :LENGTHS[n]]      # sequence n itself; its padding is new
        states_other = tuple(np.where(np.arange(N)[:, None] == n, s, rng.standard_normal(s.shape))
                             for s in states)
        dh_other = np.where(real_steps(others, T), rng.standard_normal(dh.shape), 0.0)
        dh_other[n] = dh[n]
        alone = all_outputs(variant, params, x_other, states_other, dh_other, backend, others)
        for key, value in per_sequence(batch, n, cell).items():
            got = per_sequence(alone, n, cell)[key]
            if key == "h":                               # its real steps; the padding carries them
                value, got = value[:LENGTHS[n]], got[:LENGTHS[n]]
            assert np.array_equal(value, got), f"{variant} {backend} sequence {n}: {key}"
        # weight gradients: sequence n's own contribution, the upstream gradient on it alone
        only_n = np.where(np.arange(N)[:, None, None] == n, dh, 0.0)
        mine = all_outputs(variant, params, x, states, only_n, backend, LENGTHS)
        only_n_other = np.where(np.arange(N)[:, None, None] == n, dh_other, 0.0)
        theirs = all_outputs(variant, params, x_other, states_other, only_n_other, backend, others)
        for key in params:
            assert np.array_equal(mine[key], theirs[key]), f"{variant} {backend} sequence {n}: {key}"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("variant", CELLS)
def test_padded_batch_equals_the_sequences_run_one_at_a_time(variant, backend):
    """Each sequence run truly alone (N = 1, T = its length, no mask) against the padded batch:
    outputs, final states, dx, initial-state gradients, and the weight gradients summed over the
    sequences, equal to round-off (1e-14 relative; not bitwise only because a one-row batch
    takes the BLAS's matrix-vector path, which adds in another order)."""
    cell, _ = get_variant(variant)
    params, x, states, dh = random_problem(variant, N, T, D, H)
    dh = np.where(real_steps(LENGTHS, T), dh, 0.0)
    batch = all_outputs(variant, params, x, states, dh, backend, LENGTHS)
    summed = {k: 0.0 for k in params}
    for n, length in enumerate(LENGTHS):
        alone = all_outputs(variant, params, x[n:n + 1, :length], tuple(s[n:n + 1] for s in states),
                            dh[n:n + 1, :length], backend)
        pairs = [(batch["h"][n, :length], alone["h"][0]), (batch["dx"][n, :length], alone["dx"][0]),
                 *((batch[f"d{s}0"][n], alone[f"d{s}0"][0]) for s in cell.states)]
        for mine, single in pairs:
            assert np.max(np.abs(mine - single)) <= 1e-14 * np.max(np.abs(single))
        summed = {k: summed[k] + alone[k] for k in params}
    for key in params:
        assert np.max(np.abs(batch[key] - summed[key])) <= 1e-14 * np.max(np.abs(summed[key])), key


@pytest.mark.parametrize("dtype, tolerance", [(np.float64, 1e-12), (np.float32, 1e-5)])
@pytest.mark.parametrize("variant", CELLS)
def test_numba_equals_numpy_on_the_masked_pass(variant, dtype, tolerance):
    """Forward output and every gradient, with the upstream gradient on every step."""
    problem = random_problem(variant, N, T, D, H, dtype)
    reference = all_outputs(variant, *problem, backend="numpy", lengths=LENGTHS)
    fast = all_outputs(variant, *problem, backend="numba", lengths=LENGTHS)
    for key in reference:
        assert fast[key].dtype == dtype
        scale = max(np.max(np.abs(reference[key])), 1e-30)
        assert np.max(np.abs(fast[key] - reference[key])) / scale < tolerance, key


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("variant", CELLS)
def test_past_the_end_dx_is_exactly_zero_and_the_states_are_carried(variant, backend):
    """M1 with m_t = 0: h_t = h_{t−1}, so the padded steps repeat the last real state bitwise,
    and their inputs get no gradient at all (dx exactly 0), whatever the upstream gradient
    there. (The LSTM's c_t = c_{t−1} past the end shows in no output; its derivative is checked
    by the gradient checks above.)"""
    cell, options = get_variant(variant)
    params, x, states, dh = random_problem(variant, N, T, D, H)
    h, cache = cell.forward(x, states, params, backend, LENGTHS, **options)
    dx, _, _ = cell.backward(dh, cache)
    for n, length in enumerate(LENGTHS):
        assert np.array_equal(h[n, length:], np.repeat(h[n, length - 1:length], T - length, axis=0))
        assert np.all(dx[n, length:] == 0.0)
        assert np.all(dx[n, :length] != 0.0)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("variant", CELLS)
def test_full_lengths_are_the_unmasked_pass_bitwise(variant, backend):
    problem = random_problem(variant, N, T, D, H)
    plain = all_outputs(variant, *problem, backend=backend)
    full = all_outputs(variant, *problem, backend=backend, lengths=np.full(N, T))
    for key in plain:
        assert np.array_equal(plain[key], full[key]), key


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("variant", CELLS)
def test_masked_passes_modify_no_input_and_backward_twice_is_the_same(variant, backend):
    cell, options = get_variant(variant)
    params, x, states, dh = random_problem(variant, N, T, D, H)
    lengths = LENGTHS.copy()
    arrays = lambda: [*params.values(), x, *states, dh, lengths]
    given = copy.deepcopy(arrays())
    h, cache = cell.forward(x, states, params, backend, lengths, **options)
    cache_before = copy.deepcopy(cache)
    first = cell.backward(dh, cache)
    second = cell.backward(dh, cache)
    assert all(np.array_equal(now, before) for now, before in zip(arrays(), given))
    assert np.array_equal(cache["mask"], cache_before["mask"])
    for key in ("hs", "xs"):
        if key in cache:
            assert np.array_equal(cache[key], cache_before[key])
    assert np.array_equal(first[0], second[0])
    assert all(np.array_equal(u, v) for u, v in zip(first[1], second[1]))
    assert all(np.array_equal(first[2][k], second[2][k]) for k in first[2])


@pytest.mark.parametrize("lengths, message", [
    ([1, 2, 3, 0, 2], "between 1 and T"), ([1, 2, 3, 8, 2], "between 1 and T"),
    ([1.0, 2, 3, 4, 2], "integers"), ([1, 2, 3], r"shape \(N,\)")])
def test_bad_lengths_are_refused_with_a_clear_message(lengths, message):
    params, x, states, _ = random_problem("gru", N, T, D, H)
    with pytest.raises(ValueError, match=message):
        get_variant("gru")[0].forward(x, states, params, "numpy", lengths)
