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
def test_x_feature_size_mismatch_names_the_parameter(name, forward, params):
    with pytest.raises(ValueError, match=r"params\['W_\w+'\] must have shape"):
        forward(np.zeros((2, 5, D + 1)), None, params)


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
