"""Bad input gets a clear ValueError naming the argument and the expected shape."""

import numpy as np
import pytest

import minirgan as mr

D, H = 3, 4


def _forwards():
    """(name, forward(x, h0, params), params) for every sequence function."""
    return [
        ("rnn", lambda x, h0, p: mr.rnn_forward(x, h0, p), mr.init_rnn_params(D, H, rng=0)),
        ("gru", lambda x, h0, p: mr.gru_forward(x, h0, p), mr.init_gru_params(D, H, rng=0)),
        ("gru-ra", lambda x, h0, p: mr.gru_forward(x, h0, p, reset_after=True),
         mr.init_gru_params(D, H, rng=0, reset_after=True)),
        ("lstm", lambda x, h0, p: mr.lstm_forward(x, h0, None, p), mr.init_lstm_params(D, H, rng=0)),
    ]


CASES = _forwards()
IDS = [c[0] for c in CASES]


@pytest.mark.parametrize("name,forward,params", CASES, ids=IDS)
def test_wrong_rank_of_x(name, forward, params):
    with pytest.raises(ValueError, match=r"x must have shape \(N, T, D\)"):
        forward(np.zeros((2, D)), None, params)


@pytest.mark.parametrize("name,forward,params", CASES, ids=IDS)
def test_x_feature_size_mismatch_names_x_and_the_expected_D(name, forward, params):
    """Issue 11 §6: a wrong input width is x's fault, not params['W_z']'s; say which D fits."""
    with pytest.raises(ValueError, match=rf"x has D = {D + 1} features, but the params expect D = {D}") as info:
        forward(np.zeros((2, 5, D + 1)), None, params)
    assert "params[" not in str(info.value)


@pytest.mark.parametrize("name,forward,params", CASES, ids=IDS)
def test_wrong_h0_shape(name, forward, params):
    with pytest.raises(ValueError, match=r"h0 must have shape \(N, H\) = \(2, 4\)"):
        forward(np.zeros((2, 5, D)), np.zeros((3, H)), params)


@pytest.mark.parametrize("name,forward,params", CASES, ids=IDS)
def test_missing_key(name, forward, params):
    key = sorted(k for k in params if k.startswith("b_"))[0]
    broken = {k: v for k, v in params.items() if k != key}
    with pytest.raises(ValueError, match=f"missing.*{key}"):
        forward(np.zeros((2, 5, D)), None, broken)


@pytest.mark.parametrize("name,forward,params", CASES, ids=IDS)
def test_missing_keys_error_lists_every_missing_key(name, forward, params):
    """Issue 11 §6: every missing key at once (the hidden-size weight included), not the first."""
    keep = sorted(params)[-1]
    with pytest.raises(ValueError) as info:
        forward(np.zeros((2, 5, D)), None, {keep: params[keep]})
    missing = str(info.value).split("missing", 1)[1].split(";")[0]
    assert all(repr(k) in missing for k in params if k != keep), str(info.value)
    assert repr(keep) not in missing


@pytest.mark.parametrize("name,forward,params", CASES, ids=IDS)
def test_wrong_parameter_shape(name, forward, params):
    key = sorted(k for k in params if k.startswith("b_"))[0]
    broken = dict(params, **{key: np.zeros(H + 1)})
    with pytest.raises(ValueError, match=rf"params\['{key}'\] must have shape \({H},\)"):
        forward(np.zeros((2, 5, D)), None, broken)


@pytest.mark.parametrize("name,forward,params", CASES, ids=IDS)
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_or_inf_in_x(name, forward, params, bad):
    x = np.zeros((2, 5, D))
    x[1, 3, 2] = bad
    with pytest.raises(ValueError, match=r"x contains NaN or inf \(first at index \(1, 3, 2\)\)"):
        forward(x, None, params)


def test_params_not_a_dict():
    with pytest.raises(ValueError, match="params must be a dict"):
        mr.rnn_forward(np.zeros((1, 2, D)), None, [1, 2, 3])


def test_non_numeric_x():
    with pytest.raises(ValueError, match="x must be a numeric array"):
        mr.gru_forward(np.array([[["a"]]]), None, mr.init_gru_params(1, 2, rng=0))


def test_bad_activation_and_backend():
    p = mr.init_rnn_params(D, H, rng=0)
    with pytest.raises(ValueError, match="activation must be one of"):
        mr.rnn_forward(np.zeros((1, 2, D)), None, p, activation="sigmoid")
    with pytest.raises(ValueError, match="backend must be one of"):
        mr.rnn_forward(np.zeros((1, 2, D)), None, p, backend="cuda")


def test_wrong_upstream_gradient_shape():
    h, cache = mr.gru_forward(np.zeros((2, 5, D)), None, mr.init_gru_params(D, H, rng=0))
    with pytest.raises(ValueError, match=r"dh must have the forward output's shape \(2, 5, 4\)"):
        mr.gru_backward(np.zeros((2, 4, H)), cache)


def test_lstm_bad_c0():
    with pytest.raises(ValueError, match=r"c0 must have shape \(N, H\)"):
        mr.lstm_forward(np.zeros((2, 5, D)), None, np.zeros((2, H + 1)), mr.init_lstm_params(D, H, rng=0))


def test_step_function_bad_x_rank():
    with pytest.raises(ValueError, match=r"x_t must have shape \(N, D\)"):
        mr.rnn_step_forward(np.zeros((2, 5, D)), None, mr.init_rnn_params(D, H, rng=0))


INITS = {"rnn": mr.init_rnn_params, "gru": mr.init_gru_params, "lstm": mr.init_lstm_params}


@pytest.mark.parametrize("cell", sorted(INITS))
@pytest.mark.parametrize("D_, H_, bad", [(3, 0, "H"), (-1, 4, "D"), (0, 4, "D"), (3, 2.5, "H"),
                                         (3, True, "H")])
def test_init_with_a_bad_size_is_a_clear_error(cell, D_, H_, bad):
    """Issue 11 §6: init_gru_params(D, 0) raised OverflowError, (-1, H) a KeyError."""
    with pytest.raises(ValueError, match=rf"init_{cell}_params: {bad} must be a positive integer"):
        INITS[cell](D_, H_, rng=0)


BACKWARDS = {"rnn": (mr.rnn_forward, mr.rnn_backward, mr.init_rnn_params),
             "gru": (mr.gru_forward, mr.gru_backward, mr.init_gru_params),
             "lstm": (lambda x, h0, p: mr.lstm_forward(x, h0, None, p), mr.lstm_backward, mr.init_lstm_params)}


@pytest.mark.parametrize("cell", sorted(BACKWARDS))
@pytest.mark.parametrize("cache", [None, {}, "cache", (1, 2)])
def test_backward_without_its_forward_cache_is_a_clear_error(cell, cache):
    """Issue 11 §6: gru_backward(dh, None) raised a TypeError from inside the pass."""
    _, backward, _ = BACKWARDS[cell]
    with pytest.raises(ValueError, match=rf"{cell}_backward: cache must be the cache returned by {cell}_forward"):
        backward(np.zeros((2, 5, H)), cache)


def test_backward_with_another_cells_cache_is_a_clear_error():
    _, cache = mr.lstm_forward(np.zeros((2, 5, D)), None, None, mr.init_lstm_params(D, H, rng=0))
    with pytest.raises(ValueError, match="gru_backward: cache must be the cache returned by gru_forward"):
        mr.gru_backward(np.zeros((2, 5, H)), cache)


@pytest.mark.parametrize("step_backward", [lambda c: mr.rnn_step_backward(np.zeros((2, H)), c),
                                           lambda c: mr.gru_step_backward(np.zeros((2, H)), c),
                                           lambda c: mr.lstm_step_backward(np.zeros((2, H)), np.zeros((2, H)), c)],
                         ids=["rnn", "gru", "lstm"])
def test_step_backward_without_its_cache_is_a_clear_error(step_backward):
    with pytest.raises(ValueError, match=r"_step_backward: cache must be the cache returned by \w+_step_forward"):
        step_backward(None)


STEPS = {"rnn": (lambda x, p: mr.rnn_step_forward(x, None, p), mr.init_rnn_params),
         "gru": (lambda x, p: mr.gru_step_forward(x, None, p), mr.init_gru_params),
         "lstm": (lambda x, p: mr.lstm_step_forward(x, None, None, p), mr.init_lstm_params)}


@pytest.mark.parametrize("cell", sorted(STEPS))
def test_step_with_a_wrong_input_width_names_x_t(cell):
    step, init = STEPS[cell]
    with pytest.raises(ValueError, match=rf"{cell}_step_forward: x_t has D = {D + 2} features, "
                                         rf"but the params expect D = {D}"):
        step(np.zeros((2, D + 2)), init(D, H, rng=0))


def test_first_nonfinite_finds_the_first_in_c_order_and_counts_them_all():
    """The one locator used by the cell checks and the data loaders (.npy, CSV tables, frames)."""
    from minirgan.validation import first_nonfinite
    a = np.zeros((2, 3, 4))
    assert first_nonfinite(a) is None
    a[1, 2, 0], a[0, 1, 3], a[1, 0, 1] = np.inf, np.nan, -np.inf
    assert first_nonfinite(a) == ((0, 1, 3), 3)
    assert first_nonfinite(np.array([1.0, np.nan])) == ((1,), 1)


@pytest.mark.parametrize("value", [0, -3, 2.0, True, "4", None])
def test_check_count_names_the_argument(value):
    from minirgan.validation import check_count
    with pytest.raises(ValueError, match=rf"^layers must be a positive integer, got {value!r}$"):
        check_count("layers", value)
    assert check_count("layers", np.int64(3)) == 3 and type(check_count("layers", np.int64(3))) is int
    with pytest.raises(ValueError, match=r"size must be an integer >= 8, got 7"):
        check_count("size", 7, minimum=8)
