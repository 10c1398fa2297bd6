"""The discriminative score (TimeGAN, Yoon et al. 2019): can a small post-hoc classifier tell
real sequences from generated ones?

Protocol (TimeGAN's ``discriminative_score_metrics``), repeated ``repeats`` times:

1. split the real set and the generated set, each on its own, 80/20 into train and test
   (``train_test_split``);
2. train a fresh classifier — minirgan's own :class:`~minirgan.models.Discriminator` with one
   GRU layer of H = max(1, F // 2) units and the "last" readout (h_T → dense → logit), built by
   :func:`post_hoc_classifier` — for 2,000 iterations, each on a batch of 128 real and 128
   generated training sequences (``random_batch``, the training loop's draw), with binary
   cross-entropy from the logits (E5 as a loss: label 1 real, 0 generated) and Adam (lr 1e-3,
   β1 0.9, β2 0.999 — TensorFlow's defaults, which TimeGAN uses);
3. classify the held-out real and generated test sequences together (logit > 0, i.e.
   σ(l) > 0.5, means "real") and score |accuracy − 0.5|.

The score is the mean over repeats (std and every repeat are reported too). 0 means the
classifier does no better than a coin: the generated sequences are indistinguishable from real
ones *for this classifier*; 0.5 means it separates them perfectly. Held-out real data scored
against real data gives the floor (about 0.01–0.02 on TimeGAN's sines, from the finite test
set and the classifier's noise), so no generator can be expected to beat it.
"""

from functools import partial

import numpy as np

from ..datasets.checks import check_count
from ..datasets.sampling import batch_indices, train_test_split
from ..losses import discriminator_loss
from ..models import Discriminator
from ..optim import Adam
from ..validation import check_paired_lengths
from .protocol import default_hidden, outputs_in_chunks, sequence_pair
from .repeats import repeat_seeds, run_repeats
from .result import ScoreResult


def post_hoc_classifier(features, hidden=None, rng=None, backend=None):
    """TimeGAN's post-hoc classifier: a fresh one-layer GRU :class:`Discriminator` read out from h_T.

    x (N, T, F) → GRU (E11–E15, h_0 = 0) → l = W_hy h_T + b_y (E2, O = 1): one logit per sequence.
    hidden: H (default max(1, F // 2)); rng: seed or Generator for the weights; backend: the
    GRU's ("numba" runs the fast kernels, None the package default).
    """
    hidden = default_hidden(features) if hidden is None else check_count("hidden", hidden)
    return Discriminator(features, hidden=hidden, layers=1, cell="gru", readout="last", rng=rng,
                         backend=backend)


def train_classifier(real_train, fake_train, hidden, iterations, batch_size, lr, rng, backend=None,
                     real_lengths=None, fake_lengths=None):
    """Fit a fresh post-hoc classifier; returns (the classifier, per-iteration losses).
    With lengths (padded sets), the classifier reads each sequence's last real state (M1).

    Every iteration draws ``batch_size`` real and ``batch_size`` generated sequences
    (``random_batch``) and takes one Adam step on the BCE loss of E5.
    """
    model = post_hoc_classifier(real_train.shape[2], hidden, rng, backend)
    opt = Adam(lr=lr, beta1=0.9, beta2=0.999)
    losses = np.empty(iterations)
    for i in range(iterations):
        # real and generated go through the classifier as one batch (same parameters)
        i_real = batch_indices(len(real_train), batch_size, rng)
        i_fake = batch_indices(len(fake_train), batch_size, rng)
        x = np.concatenate([real_train[i_real], fake_train[i_fake]])
        lengths = None if real_lengths is None else np.concatenate([real_lengths[i_real], fake_lengths[i_fake]])
        logits, cache = model.forward(x, lengths=lengths)
        # E5 as a loss: −mean log σ(l_real) − mean log(1 − σ(l_fake))
        losses[i], d_real, d_fake = discriminator_loss(logits[:batch_size], logits[batch_size:])
        _, grads = model.backward(np.concatenate([d_real, d_fake]), cache, need_input_grad=False)
        opt.step(model.params, grads)
    return model, losses


def test_accuracy(model, real_test, fake_test, real_lengths=None, fake_lengths=None):
    """Accuracy of the classifier on the held-out sets pooled together (logit > 0 ⇔ "real")."""
    real_logits = outputs_in_chunks(model, real_test, real_lengths)
    fake_logits = outputs_in_chunks(model, fake_test, fake_lengths)
    correct = np.sum(real_logits > 0) + np.sum(fake_logits <= 0)
    return float(correct / (len(real_test) + len(fake_test)))


def discriminative_repeat(real, fake, test_fraction, hidden, iterations, batch_size, lr, backend,
                          seed, real_lengths=None, fake_lengths=None):
    """One repeat of the protocol with its own ``seed``: split, train, test; the test accuracy."""
    rng = np.random.default_rng(seed)
    r_train, r_test = train_test_split(np.arange(len(real)), test_fraction, rng)
    f_train, f_test = train_test_split(np.arange(len(fake)), test_fraction, rng)
    cut = lambda lengths, rows: None if lengths is None else np.asarray(lengths)[rows]
    model, _ = train_classifier(real[r_train], fake[f_train], hidden, iterations, batch_size, lr, rng,
                                backend, cut(real_lengths, r_train), cut(fake_lengths, f_train))
    return test_accuracy(model, real[r_test], fake[f_test], cut(real_lengths, r_test),
                         cut(fake_lengths, f_test))


def discriminative_score(real, fake, repeats=10, iterations=2000, batch_size=128,
                         test_fraction=0.2, hidden=None, lr=1e-3, rng=None, backend=None,
                         progress=False, workers=1, real_lengths=None, fake_lengths=None):
    """TimeGAN's discriminative score |test accuracy − 0.5| of a post-hoc GRU classifier.

    Inputs:
        real (N_r, T, F), fake (N_f, T, F): the two sets of sequences (same T and F), ideally
            scaled to [0, 1] as the generator's training data was.
        repeats: independent repetitions (fresh split, fresh classifier) averaged (TimeGAN: 10).
        iterations, batch_size: training length and per-class batch (protocol: 2,000 and 128).
        test_fraction: held-out share of each set (protocol: 0.2).
        hidden: classifier GRU size (protocol: max(1, F // 2)).
        lr: Adam's step size (TensorFlow's default 1e-3, as TimeGAN).
        rng: seed or np.random.Generator (each repeat's seed is drawn from it first);
            backend: GRU backend; progress: show a tqdm bar.
        workers: processes computing the repeats side by side (``repeats.run_repeats``); the
            scores do not depend on it.
        real_lengths (N_r,), fake_lengths (N_f,): padded sets (both or neither); the
            classifier reads only real steps.

    Returns a :class:`ScoreResult` (mean, std, scores) with the per-repeat test accuracies
    under ``extra["accuracies"]``.
    """
    real, fake = sequence_pair(real, fake)
    iterations = check_count("iterations", iterations)
    batch_size = check_count("batch_size", batch_size)
    seeds = repeat_seeds(np.random.default_rng(rng), repeats)
    check_paired_lengths(real_lengths, fake_lengths, "sets")
    task = partial(discriminative_repeat, real, fake, test_fraction, hidden, iterations,
                   batch_size, lr, backend, real_lengths=real_lengths, fake_lengths=fake_lengths)
    accuracies = run_repeats(task, seeds, workers, "discriminative score", progress)
    scores = [abs(acc - 0.5) for acc in accuracies]
    return ScoreResult("discriminative score", scores, {"accuracies": accuracies})
