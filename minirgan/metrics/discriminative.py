"""The discriminative score (TimeGAN, Yoon et al. 2019): can a small post-hoc classifier tell
real sequences from generated ones?

Protocol (TimeGAN's ``discriminative_score_metrics``), repeated ``repeats`` times:

1. split the real set and the generated set, each on its own, 80/20 into train and test;
2. train a fresh classifier (``classifier.py``: one GRU layer with H = max(1, F // 2) units,
   last state → dense → logit) for 2,000 iterations, each on a batch of 128 real and 128
   generated training sequences, with binary cross-entropy from the logits (E5 as a loss:
   label 1 real, 0 generated) and Adam (lr 1e-3, β1 0.9, β2 0.999 — TensorFlow's defaults,
   which TimeGAN uses);
3. classify the held-out real and generated test sequences together (logit > 0, i.e.
   σ(l) > 0.5, means "real") and score |accuracy − 0.5|.

The score is the mean over repeats (std and every repeat are reported too). 0 means the
classifier does no better than a coin: the generated sequences are indistinguishable from real
ones *for this classifier*; 0.5 means it separates them perfectly. Held-out real data scored
against real data gives the floor (about 0.01–0.02 on TimeGAN's sines, from the finite test
set and the classifier's noise), so no generator can be expected to beat it.
"""

import numpy as np
from tqdm.auto import tqdm

from ..datasets.checks import check_count
from ..losses import discriminator_loss
from ..optim import Adam
from .classifier import classifier_backward, classifier_forward, default_hidden, init_classifier
from .protocol import holdout_split, random_batch, sequence_pair
from .result import ScoreResult


def train_classifier(real_train, fake_train, hidden, iterations, batch_size, lr, rng, backend=None):
    """Fit the post-hoc classifier; returns (params, per-iteration losses).

    Every iteration draws ``batch_size`` real and ``batch_size`` generated sequences (without
    replacement within the batch) and takes one Adam step on the BCE loss of E5.
    """
    F = real_train.shape[2]
    params = init_classifier(F, hidden, rng)
    opt = Adam(lr=lr, beta1=0.9, beta2=0.999)
    losses = np.empty(iterations)
    for i in range(iterations):
        xr = random_batch(real_train, batch_size, rng)
        xf = random_batch(fake_train, batch_size, rng)
        # real and generated go through the classifier as one batch (same parameters)
        x = np.concatenate([xr, xf])
        logits, cache = classifier_forward(x, params, backend)
        # E5 as a loss: −mean log σ(l_real) − mean log(1 − σ(l_fake))
        losses[i], d_real, d_fake = discriminator_loss(logits[:len(xr)], logits[len(xr):])
        _, grads = classifier_backward(np.concatenate([d_real, d_fake]), cache)
        opt.step(params, grads)
    return params, losses


def test_accuracy(params, real_test, fake_test, backend=None):
    """Accuracy of the classifier on the held-out sets pooled together (logit > 0 ⇔ "real")."""
    real_logits, _ = classifier_forward(real_test, params, backend)
    fake_logits, _ = classifier_forward(fake_test, params, backend)
    correct = np.sum(real_logits > 0) + np.sum(fake_logits <= 0)
    return float(correct / (len(real_test) + len(fake_test)))


def discriminative_score(real, fake, repeats=10, iterations=2000, batch_size=128,
                         train_fraction=0.8, hidden=None, lr=1e-3, rng=None, backend=None,
                         progress=False):
    """TimeGAN's discriminative score |test accuracy − 0.5| of a post-hoc GRU classifier.

    Inputs:
        real (N_r, T, F), fake (N_f, T, F): the two sets of sequences (same T and F), ideally
            scaled to [0, 1] as the generator's training data was.
        repeats: independent repetitions (fresh split, fresh classifier) averaged (TimeGAN: 10).
        iterations, batch_size: training length and per-class batch (protocol: 2,000 and 128).
        train_fraction: train share of each set (protocol: 0.8).
        hidden: classifier GRU size (protocol: max(1, F // 2)).
        lr: Adam's step size (TensorFlow's default 1e-3, as TimeGAN).
        rng: seed or np.random.Generator; backend: GRU backend; progress: show a tqdm bar.

    Returns a :class:`ScoreResult` (mean, std, scores) with the per-repeat test accuracies
    under ``extra["accuracies"]``.
    """
    real, fake = sequence_pair(real, fake)
    repeats = check_count("repeats", repeats)
    iterations = check_count("iterations", iterations)
    batch_size = check_count("batch_size", batch_size)
    hidden = default_hidden(real.shape[2]) if hidden is None else check_count("hidden", hidden)
    rng = np.random.default_rng(rng)
    scores, accuracies = [], []
    for _ in tqdm(range(repeats), desc="discriminative score", disable=not progress, leave=False):
        real_train, real_test = holdout_split(real, train_fraction, rng)
        fake_train, fake_test = holdout_split(fake, train_fraction, rng)
        params, _ = train_classifier(real_train, fake_train, hidden, iterations, batch_size, lr,
                                     rng, backend)
        acc = test_accuracy(params, real_test, fake_test, backend)
        accuracies.append(acc)
        scores.append(abs(acc - 0.5))
    return ScoreResult("discriminative score", scores, {"accuracies": accuracies})
