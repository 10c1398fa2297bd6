"""The post-hoc scores on padded sets of sequences of different lengths read only real steps
(discriminative, predictive, TSTR), and the masked MAE's gradient (a new backward pass)."""

import numpy as np
import pytest

from minirgan.gradcheck import numerical_gradient, relative_error
from minirgan.metrics import discriminative_score, predictive_score
from minirgan.metrics.predictor import Predictor, masked_mae_loss, prediction_task
from minirgan.metrics.tstr import tstr_score

N, T, F = 40, 7, 3


def padded_set(seed, shift=0.0):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, T + 1, size=N)
    x = np.clip(rng.uniform(size=(N, T, F)) * 0.5 + shift, 0, 1)
    return x, lengths


def with_other_padding(x, lengths, seed):
    """x with every padded step replaced by other random numbers."""
    y = x.copy()
    pad = np.arange(T)[None, :] >= lengths[:, None]
    y[pad] = np.random.default_rng(seed).uniform(size=(int(pad.sum()), F))
    return y


def test_the_scores_on_padded_sets_do_not_read_the_padding():
    real, real_len = padded_set(0)
    fake, fake_len = padded_set(1, 0.3)
    fast = dict(repeats=1, iterations=30, rng=3)
    for score, args, keys in ((discriminative_score, (real, fake), ("real_lengths", "fake_lengths")),
                              (predictive_score, (fake, real), ("fake_lengths", "real_lengths"))):
        a_len, b_len = (real_len, fake_len) if score is discriminative_score else (fake_len, real_len)
        lengths = dict(zip(keys, (a_len, b_len)))
        first = score(*args, **lengths, **fast).mean
        other = (with_other_padding(args[0], a_len, 5), with_other_padding(args[1], b_len, 6))
        assert score(*other, **lengths, **fast).mean == first
    labels = (real_len > 3).astype(np.int64)                 # a class the length decides
    tstr = tstr_score(real, labels, fake, labels, 2, iterations=20, rng=4, real_lengths=real_len,
                      fake_lengths=real_len[:N])
    again = tstr_score(with_other_padding(real, real_len, 7), labels, with_other_padding(fake, real_len, 8),
                       labels, 2, iterations=20, rng=4, real_lengths=real_len, fake_lengths=real_len[:N])
    assert tstr.mean == again.mean and tstr.extra["trtr"] == again.extra["trtr"]
    with pytest.raises(ValueError, match="both sets or of neither"):
        discriminative_score(real, fake, real_lengths=real_len)


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_M2_masked_mae_through_the_predictor_matches_finite_differences(backend):
    """The predictive score's training loss on a padded batch: M1 in the GRU, the MAE over real
    targets only; every weight's gradient against centred differences in float64."""
    x, lengths = padded_set(9)
    x, lengths = x[:6], lengths[:6]
    lengths[:3] = 1, T, 2
    model = Predictor(F - 1, 3, rng=0, backend=backend)
    rng = np.random.default_rng(1)
    for v in model.params.values():
        v[...] = rng.uniform(-0.8, 0.8, size=v.shape)
    u, y = prediction_task(x)
    steps = np.maximum(lengths - 1, 1)

    def loss():
        return np.array(masked_mae_loss(model.forward(u, lengths=steps)[0], y, lengths)[0])

    y_hat, cache = model.forward(u, lengths=steps)
    _, dy = masked_mae_loss(y_hat, y, lengths)
    assert not dy[0].any() and not dy[2, 1:].any()           # a 1-step sequence has no target
    _, grads = model.backward(dy, cache, need_input_grad=False)
    for key, value in model.params.items():
        numeric = numerical_gradient(loss, value, np.array(1.0))
        assert relative_error(grads[key], numeric) < 1e-6, key


def test_the_training_logs_quick_metrics_compare_real_steps_only():
    from minirgan.metrics.quick import training_quick_metrics
    from minirgan.models import Generator

    x, lengths = padded_set(11)
    G = Generator(F, T, noise_dim=2, hidden=4, rng=0)
    first = training_quick_metrics(G, x, seed=0, step=1, n=30, lengths=lengths)
    again = training_quick_metrics(G, with_other_padding(x, lengths, 12), seed=0, step=1, n=30,
                                   lengths=lengths)
    assert first == again and np.isfinite(list(first.values())).all()
