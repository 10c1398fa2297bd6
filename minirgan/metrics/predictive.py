"""The predictive score (TimeGAN, Yoon et al. 2019): train on synthetic, test on real.

Protocol (TimeGAN's ``predictive_score_metrics``), repeated ``repeats`` times:

1. train a fresh predictor (:class:`~minirgan.metrics.predictor.Predictor`: one GRU layer with
   H = max(1, F // 2) units, per-step dense + sigmoid) to predict the last feature one step
   ahead from the other features — inputs x[:, :-1, :-1], targets x[:, 1:, -1] — on the
   *generated* sequences: 5,000 iterations of batches of 128 (``random_batch``, the training
   loop's draw), mean absolute error as the loss (TimeGAN's choice; its derivative is the sign
   of the error), Adam (lr 1e-3, β1 0.9, β2 0.999, TensorFlow's defaults, as TimeGAN);
2. score the mean absolute error of its predictions on *all* real sequences.

Lower is better. A generator that reproduces the real data's dynamics gives a predictor as good
as one trained on real data: on TimeGAN's sines the real-data floor is about 0.094 (the last
feature is an independent sine, so it is only partly predictable from the others); a generator
with wrong dynamics gives a larger error. Data are expected in [0, 1] (the sigmoid's range).
"""

from functools import partial

import numpy as np

from ..datasets.checks import check_count
from ..datasets.sampling import batch_indices
from ..optim import Adam
from .predictor import Predictor, mae_loss, masked_mae_loss, prediction_task, target_lengths
from .protocol import default_hidden, outputs_in_chunks, sequence_pair
from .repeats import repeat_seeds, run_repeats
from .result import ScoreResult


def train_predictor(train, hidden, iterations, batch_size, lr, rng, backend=None, lengths=None):
    """Fit a fresh one-step-ahead predictor on ``train`` (N, T, F); returns (the predictor,
    per-iteration MAE). ``lengths`` (N,): a padded set, the MAE over real targets only."""
    model = Predictor(prediction_task(train)[0].shape[2], hidden, rng=rng, backend=backend)
    opt = Adam(lr=lr, beta1=0.9, beta2=0.999)
    losses = np.empty(iterations)
    for i in range(iterations):
        rows = batch_indices(len(train), batch_size, rng)
        inputs, targets = prediction_task(train[rows])
        if lengths is None:
            y_hat, cache = model.forward(inputs)
            losses[i], dy_hat = mae_loss(y_hat, targets)
        else:
            y_hat, cache = model.forward(inputs, lengths=target_lengths(lengths[rows]))
            losses[i], dy_hat = masked_mae_loss(y_hat, targets, lengths[rows])
        _, grads = model.backward(dy_hat, cache, need_input_grad=False)    # u is data: no du
        opt.step(model.params, grads)
    return model, losses


def prediction_error(model, test, lengths=None):
    """Mean absolute one-step-ahead error of the predictor on every sequence of ``test``
    (on the real targets only, given the ``lengths`` of a padded set)."""
    inputs, targets = prediction_task(test)
    if lengths is None:
        return mae_loss(outputs_in_chunks(model, inputs), targets)[0]
    y_hat = outputs_in_chunks(model, inputs, target_lengths(lengths))
    return masked_mae_loss(y_hat, targets, lengths)[0]


def predictive_repeat(fake, real, hidden, iterations, batch_size, lr, backend, seed,
                      fake_lengths=None, real_lengths=None):
    """One repeat with its own ``seed``: train a predictor on ``fake``, its MAE on ``real``."""
    model, _ = train_predictor(fake, hidden, iterations, batch_size, lr,
                               np.random.default_rng(seed), backend, fake_lengths)
    return prediction_error(model, real, real_lengths)


def predictive_score(fake, real, repeats=10, iterations=5000, batch_size=128, hidden=None,
                     lr=1e-3, rng=None, backend=None, progress=False, workers=1, fake_lengths=None,
                     real_lengths=None):
    """TimeGAN's predictive score: train on ``fake`` (synthetic), mean absolute error on ``real``.

    Inputs:
        fake (N_f, T, F): the training set (generated sequences, or held-out real ones for the
            floor); real (N_r, T, F): the test set. T >= 2; values in [0, 1].
        repeats: independent repetitions (fresh predictor) averaged (TimeGAN: 10).
        iterations, batch_size: protocol 5,000 and 128. hidden: protocol max(1, F // 2).
        lr: Adam's step size (1e-3). rng, backend, progress, workers: as in
            ``discriminative_score``. fake_lengths (N_f,), real_lengths (N_r,): padded sets
            (both or neither); the predictor reads and is scored on real steps only.

    Returns a :class:`ScoreResult` (mean, std, scores) of test MAEs.
    """
    fake, real = sequence_pair(fake, real, names=("fake", "real"))
    if real.shape[1] < 2:
        raise ValueError(f"the predictive score needs sequences of T >= 2 steps, got T = {real.shape[1]}")
    iterations = check_count("iterations", iterations)
    batch_size = check_count("batch_size", batch_size)
    hidden = default_hidden(real.shape[2]) if hidden is None else check_count("hidden", hidden)
    seeds = repeat_seeds(np.random.default_rng(rng), repeats)
    if (real_lengths is None) != (fake_lengths is None):
        raise ValueError("give the lengths of both sets or of neither")
    task = partial(predictive_repeat, fake, real, hidden, iterations, batch_size, lr, backend,
                   fake_lengths=fake_lengths, real_lengths=real_lengths)
    return ScoreResult("predictive score", run_repeats(task, seeds, workers, "predictive score",
                                                       progress))
