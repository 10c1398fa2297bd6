"""The adversarial loop: one readable training step, then the loop that repeats it.

``train_step`` follows the seeds' recipe (E3–E5, C6; A1's loop with its bugs fixed) in
numbered steps:

    (1) sample noise z                        (6) update D — k times per G step
    (2) generate x̂ = G(z)                     (7) the generator's loss L_G
    (3) score D(x) on real data and D(x̂)      (8) backprop L_G through D's BPTT into x̂
    (4) the discriminator's loss L_D               and on through G's BPTT (D not updated)
    (5) backprop L_D through D's BPTT         (9) update G only

A conditional run (``config.conditional``, docs/conditional.md) passes ``conditions``: one
condition c per training sequence (the one-hot of its class). Each batch then carries the
conditions of its real sequences, G generates for those same conditions, D scores each sequence
with its condition (u_t = [x_t, c], ``models/condition.py``), and D also learns to reject real
sequences shown with a wrong condition (step 4b, a matching-aware D, Reed et al. 2016), so
that it must read c and G must obey it.

``train`` runs it ``config.iterations`` times with a progress bar, writes every step's
record to ``metrics.jsonl``, checkpoints, and draws the figures. One ``np.random.Generator``
seeded from ``config.seed`` makes every random choice (data, weights, batches, noise,
dropout), so the same seed gives the same run, and a resumed run equals an uninterrupted one.
"""

import copy
import os
import time
import warnings

import numpy as np
from tqdm import tqdm

from . import checkpoint as ckpt
from .activations import sigmoid
from .blas_cap import capped_blas
from .config import TrainConfig
from .data import IMAGE_SETS
from .datasets.sampling import batch_indices
from .models.condition import mismatched
from .errors import NonFiniteError, UserError
from .guards import (CollapseWatch, DivergenceWatch, FiniteUpdates, StopOnInterrupt, TrainingDiverged,
                     TrainingInterrupted, divergence_window, first_nonfinite_key)
from .latent_train import (autoencoder_step, code_game_config, in_autoencoder_phase, real_codes,
                           starts_the_game)
from .losses import discriminator_loss, generator_loss
from .missing import draw_masks, moments, shown, shown_backward
from .metrics.quick import training_quick_metrics
from .models.params import add_into
from .optim import clip_weights, clipped
from .run import RunState, check_resumable, metrics_line, read_metrics, run_paths, write_metrics
from .run_data import check_sources, read_run_data, source_paths, write_run_data
from .run_inputs import refuse_overwriting_inputs
from .run_lock import run_folder_lock
from .schedule import set_learning_rates
from .selection import Selection, SelectionScore


FIGURE_SAMPLES = 8      # real and generated sequences shown in samples.png
CHECK_SAMPLES = 16      # generated sequences that must be finite before a checkpoint is written

# --------------------------------------------------------------------------- one step

def train_step(G, D, opt_g, opt_d, real, rng, config, conditions=None, lengths=None, masks=None):
    """One generator update after ``config.d_steps`` discriminator updates.

    Inputs:  G, D the models; opt_g, opt_d their optimisers; real (N_data, T, F) the scaled
             training sequences; rng the run's np.random.Generator; config a TrainConfig;
             conditions (N_data, C) the condition of each training sequence, or None
             (unconditional: G and D read no condition); lengths (N_data,) the length of each
             training sequence when ``real`` is padded (docs/masking.md), or None. G is then
             told the lengths of the real batch — a draw from the data's own lengths, per class
             when conditional — and zeroes its output past them (M3); D and the moment losses
             read only the real steps of both batches (M1, M2). masks (N_data, T, F) the
             observation mask of each training sequence (``--missing mask``, docs/missing.md)
             or None: D reads [x ∘ m, m], a generated sequence wearing a real one's mask (M6),
             and the moment losses skip missing cells (M7).
    Returns: a dict of floats: loss_d, loss_g, d_real = mean σ(D(x)), d_fake = mean σ(D(G(z)))
             (both from the last D step, before its update), grad_norm_d, grad_norm_g (before
             clipping); loss_moments (L_M) when config.moment_loss > 0 and loss_step_moments (L_Δ)
             when config.step_moment_loss > 0; conditional runs with config.mismatch > 0 add
             d_mismatch = mean σ(D(x, c')) on real sequences with a wrong condition c'.
    """
    B = config.batch
    c = n = m = m_fake = None                   # the batch's conditions, lengths and masks
    for _ in range(config.d_steps):
        i = batch_indices(len(real), B, rng)                   # a fresh real batch ...
        x = real[i]
        if conditions is not None:
            c = conditions[i]                                  # ... with its conditions
        if lengths is not None:
            n = lengths[i]                                     # ... and its lengths
        if masks is not None:                                  # ... and its masks; the fakes
            m, m_fake = masks[i], draw_masks(masks, B, rng)    #     wear real ones (M6)
        # (1) sample z ~ N(0, I): (B, T, Z), fresh per step or one z repeated ("static" noise)
        z = G.noise(B, rng)
        # (2) x̂ = G(z) (or G(z, c), for the real batch's conditions); G's cache is not needed
        #     here, D's loss does not update G
        x_fake, _ = G.forward(z, training=True, rng=rng, condition=c, lengths=n)
        # (3) score both batches: logits l_x = D(x), l_G = D(x̂) before the sigmoid
        real_logits, real_cache = D.forward(shown(x, m), training=True, rng=rng, condition=c, lengths=n)
        fake_logits, fake_cache = D.forward(shown(x_fake, m_fake), training=True, rng=rng, condition=c,
                                            lengths=n)
        # (4) L_D: E5 as binary cross-entropy (or the lsgan / wgan critic loss)
        loss_d, d_real_logits, d_fake_logits = discriminator_loss(
            real_logits, fake_logits, config.loss, config.label_smoothing)
        # (5) backprop through D's BPTT, once per batch; the two batches' gradients add up
        #     (D's update needs no gradient on D's input: need_input_grad=False skips it)
        _, grads_real = D.backward(d_real_logits, real_cache, need_input_grad=False)
        _, grads_fake = D.backward(d_fake_logits, fake_cache, need_input_grad=False)
        grads_d = add_into(dict(grads_real), grads_fake)
        if c is not None and config.mismatch:
            # (4b) a matching-aware D: the real batch with wrong conditions c' is scored like a
            #      generated one, adding mismatch · (the generated-data term of L_D at D(x, c'))
            wrong_logits, wrong_cache = D.forward(shown(x, m), training=True, rng=rng,
                                                  condition=mismatched(c, rng), lengths=n)
            _, _, d_wrong_logits = discriminator_loss(real_logits, wrong_logits, config.loss,
                                                      config.label_smoothing)
            _, grads_wrong = D.backward(config.mismatch * d_wrong_logits, wrong_cache,
                                        need_input_grad=False)
            add_into(grads_d, grads_wrong)
        grads_d, grad_norm_d = clipped(grads_d, config.clip_norm)
        # (6) update D only (in place); WGAN keeps its critic Lipschitz by clipping weights
        opt_d.step(D.params, grads_d)
        if config.loss == "wgan":
            clip_weights(D.params, config.wgan_clip)

    # (1)–(2) again for the generator's step: fresh noise, and keep G's cache this time
    #         (conditional: for the conditions c of the last real batch, as x is for the moments)
    z = G.noise(B, rng)
    x_fake, g_cache = G.forward(z, training=True, rng=rng, condition=c, lengths=n)
    m_fake = None if m is None else draw_masks(masks, B, rng)
    fake_logits_g, d_cache = D.forward(shown(x_fake, m_fake), training=True, rng=rng, condition=c, lengths=n)
    # (7) L_G: non-saturating −mean log D(G(z)) by default (C6); E4 minimax; lsgan; wgan
    loss_g, d_logits = generator_loss(fake_logits_g, config.loss)
    # (8) backprop from D's logit through D's BPTT into x̂ ... (D is not updated by L_G, so
    #     D's weight gradients are not computed: need_param_grads=False)
    dx_fake = shown_backward(D.backward(d_logits, d_cache, need_param_grads=False)[0], m_fake)
    if config.moment_loss:
        #     ... plus TimeGAN's moment loss on x̂ against the last real batch (moment_loss.py;
        #     with masks, over its observed cells: M7)
        loss_m, dx_moments = moments(x_fake, x, n, m)
        dx_fake = dx_fake + config.moment_loss * dx_moments
    if config.step_moment_loss:
        #     ... and on the steps x̂_t − x̂_{t−1} (moment_loss.py: the same loss, L_Δ)
        loss_s, dx_steps = moments(x_fake, x, n, m, steps=True)
        dx_fake = dx_fake + config.step_moment_loss * dx_steps
    #     ... and on through G's BPTT into G's parameters (z is noise: no dz is computed)
    _, grads_g = G.backward(dx_fake, g_cache, need_input_grad=False)
    grads_g, grad_norm_g = clipped(grads_g, config.clip_norm)
    # (9) update G only
    opt_g.step(G.params, grads_g)

    return {"loss_d": loss_d, "loss_g": loss_g,
            "d_real": float(np.mean(sigmoid(real_logits))),
            "d_fake": float(np.mean(sigmoid(fake_logits))),
            "grad_norm_d": grad_norm_d, "grad_norm_g": grad_norm_g,
            **({"loss_moments": loss_m} if config.moment_loss else {}),
            **({"loss_step_moments": loss_s} if config.step_moment_loss else {}),
            **({"d_mismatch": float(np.mean(sigmoid(wrong_logits)))}
               if c is not None and config.mismatch else {})}


def run_step(G, D, opt_g, opt_d, state, rng, step, cache):
    """Step ``step`` (1-based) of the run's model (``config.model``) on ``state``'s data, with
    these models, optimisers and RNG (the run's own, or a trial's copies): the recurrent GAN's
    ``train_step``; or, for the latent model (docs/latent.md, ``latent_train.py``), an update of
    its autoencoder in phase 1 and ``train_step`` of its code models on the data's codes in
    phase 2 (``cache``: a dict that keeps those codes between steps). Returns the step's record."""
    config = state.config
    if config.model != "latent":
        return train_step(G, D, opt_g, opt_d, state.data, rng, config, state.conditions,
                          state.lengths, state.masks)
    if in_autoencoder_phase(config, step):
        return autoencoder_step(G, opt_g, state.data, rng, config)
    if starts_the_game(config, step):
        opt_g.reset()          # G's optimiser now serves the code generator, from scratch
    return train_step(G.code_generator, D, opt_g, opt_d, real_codes(G, state.data, cache), rng,
                      code_game_config(config))


def _nonfinite(record, *models):
    """What in a step's record or the models' parameters is NaN or inf (a phrase), or None."""
    for key, value in record.items():
        if isinstance(value, float) and not np.isfinite(value):
            return f"{key} = {value}"
    for model, player in zip(models, ("generator", "discriminator")):
        bad = first_nonfinite_key(model.params)
        if bad is not None:
            return f"the {player}'s parameter {bad} is not finite"
    return None


def progress_fields(record):
    """What the progress bar shows of a step's record: the adversarial losses and mean outputs of
    D, or the reconstruction loss of the latent model's autoencoder (phase 1)."""
    if "loss_ae" in record:
        return {"L_R": f"{record['loss_ae']:.4f}"}
    return {"L_D": f"{record['loss_d']:.3f}", "L_G": f"{record['loss_g']:.3f}",
            "D_x": f"{record['d_real']:.2f}", "D_Gz": f"{record['d_fake']:.2f}"}


def check_out_dir(out_dir, resume, overwrite):
    """The files of a run already in ``out_dir`` (paths), after refusing to start a new run over
    them unless ``resume`` or ``overwrite`` (issue 11 §2: a run is never wiped silently)."""
    found = [p for p in run_paths(out_dir).values() if os.path.exists(p)]
    if found and not (resume or overwrite):
        names = ", ".join(os.path.basename(p) for p in found)
        raise UserError(f"{out_dir} already holds a run ({names}): continue it with --resume, replace "
                        f"it with --overwrite, or choose another --out")
    return found


def _save_good_checkpoint(state, path):
    """Write the checkpoint only if the generator's samples (those the run will give: the
    sampler's) are finite (a "good" checkpoint)."""
    rng = np.random.default_rng((state.config.seed, state.step, 2))
    k = min(CHECK_SAMPLES, len(state.data))
    c = None if state.conditions is None else state.conditions[:k]    # a conditional G's classes
    samples = state.scaler.inverse_transform(state.sampler.sample(k, rng, condition=c))
    if not np.isfinite(samples).all():
        raise TrainingDiverged("the generator's samples are not finite")
    state.save(path)


def _diverged(step, what, checkpoint):
    """The TrainingDiverged of step ``step``: what went wrong, the last good checkpoint, a hint."""
    last = ckpt.checkpoint_step(checkpoint)
    kept = (f"the last good checkpoint (step {last}) is kept in {checkpoint}" if last is not None
            else "no checkpoint had been written yet")
    return TrainingDiverged(
        f"training diverged at step {step}: {what}; {kept}. Start a new run with a lower learning "
        "rate (--lr, e.g. ten times lower) or gradient clipping (--clip 1.0).")


# --------------------------------------------------------------------------- the loop

def train(config=None, out_dir="runs/latest", resume=False, progress=True, figures=True, log=None,
          overwrite=False):
    """Train G and D for ``config.iterations`` generator updates, writing the run folder.

    out_dir receives config.json (the config as used: ``seq_len`` is the data's T), metrics.jsonl
    (one JSON record per step), checkpoint.npz (every ``config.checkpoint_every`` steps and at
    the end) and, with ``figures``, samples.png, losses.png and d_outputs.png. ``resume=True``
    continues from ``out_dir/checkpoint.npz`` up to ``config.iterations``; a folder that already
    holds a run is refused (UserError) unless ``resume`` or ``overwrite``.

    The run folder (issue 23): a new run writes data.npz, its own copy of the data, and a resumed
    one trains on that copy (refusing a source changed since, ``run_data.py``); the folder's lock
    is held throughout (``run_lock.py``); every file is replaced atomically (``atomic.py``), and
    nothing is deleted (``overwrite``) before the options, the data, the models and one trial
    step on copies of them have passed.

    Safety (minirgan/guards.py): a NaN or inf in a loss, gradient, parameter or sample raises
    TrainingDiverged before it is stored (the last good checkpoint is kept), and so do losses
    that stay far above a sane run's (``DivergenceWatch``: no NaN needed; no periodic checkpoint
    is written while they are high); Ctrl-C or SIGTERM stops after the current step, checkpoints
    it and raises TrainingInterrupted; a collapsed game (mean
    D(G(z)) < 0.01 or > 0.99 for ``config.collapse_window`` steps) is reported through ``log``
    (or ``warnings.warn`` without one) and in ``state.warnings``. ``log``, if given, is called
    with one-line messages (the data summary, collapse warnings). Returns the RunState (with
    ``seconds``, ``steps_per_second`` and ``warnings``) and the list of records.
    """
    config = TrainConfig() if config is None else config
    check_out_dir(out_dir, resume, overwrite)       # at once; checked again under the lock
    paths = run_paths(out_dir)
    # Rule 3 of issue 23: every option, the data and the models are checked (one trial step on
    # copies) before anything in the folder is deleted or written
    state = start_state(config, paths, resume)
    os.makedirs(out_dir, exist_ok=True)
    with run_folder_lock(out_dir, "minirgan train"):      # rule 2: one writer (run_lock.py)
        return _train_locked(state, out_dir, paths, resume, overwrite, progress, figures, log)


def start_state(config, paths, resume):
    """The RunState a run starts (or resumes) from, with nothing written: a new run reads its
    source and tries one step on copies of the models (anything the first step would fail on
    fails here); a resumed one reads data.npz and refuses a source changed since (run_data.py)."""
    if not resume:
        refuse_overwriting_inputs(source_paths(config).values(), paths.values(), "train --out")
        state = RunState(config)
        trial_step(state)
        return state
    if not os.path.exists(paths["checkpoint"]):
        raise UserError(f"cannot resume: {paths['checkpoint']} does not exist (start the run without --resume)")
    if not os.path.exists(paths["data"]):           # a folder from before data.npz: read the source
        return RunState(config)
    run_data = read_run_data(paths["data"])
    check_sources(run_data.sources)
    return RunState(config, run_data)


def trial_step(state):
    """One training step on copies of the models and optimisers with a throwaway RNG (the run's
    own are untouched): raises what the run's first step would raise, as a UserError. (A NaN
    or inf is not raised: divergence is the real run's to report, with its exit code.)"""
    G, D, opt_g, opt_d = copy.deepcopy((state.G, state.D, state.opt_g, state.opt_d))
    config = state.config           # the latent model tries a step of each of its phases
    steps = (1,) if config.model != "latent" else (1, config.ae_iterations + 1)
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for step in steps:
                run_step(G, D, FiniteUpdates(opt_g, "generator"), FiniteUpdates(opt_d, "discriminator"),
                         state, np.random.default_rng(0), step, {})
    except (TrainingDiverged, NonFiniteError):
        pass
    except (ValueError, TypeError, IndexError) as err:
        raise UserError(f"this run cannot start: {err}") from None


def _train_locked(state, out_dir, paths, resume, overwrite, progress, figures, log):
    """The rest of ``train``, with the run folder's lock held."""
    previous_run = check_out_dir(out_dir, resume, overwrite)
    config = state.config                    # as used (seq_len resolved)
    say = log if log is not None else (lambda line: warnings.warn(line, stacklevel=3))
    if log is not None:
        N, T, F = state.data.shape
        what = (f"{config.cell.upper()} GAN" if config.model != "latent" else
                f"latent {config.cell.upper()} GAN ({config.ae_iterations} autoencoder steps, then the GAN"
                + (")" if config.ae_iterations < config.iterations else
                   ": none in this run, resume with more --iterations for it)"))
        log(f"training a {what} on {config.data} ({N} sequences x {T} steps x "
            f"{F} features) for {config.iterations} steps -> {out_dir}")
        for note in state.info.get("notes", ()):       # the data's repeated timestamps, gaps
            log(note)
    history = []
    if resume:
        check_resumable(config, ckpt.load_checkpoint(paths["checkpoint"])["config"])
        state.restore(paths["checkpoint"])
        # the kept records (a record cut by a kill is dropped), rewritten atomically below
        history = read_metrics(paths["metrics"], state.step)
        if not os.path.exists(paths["data"]):
            write_run_data(paths["data"], state.run_data)
    else:
        # --overwrite: that run's files only, and only now; the checkpoint first, so that a kill
        # part way never leaves a checkpoint beside another run's files
        for path in sorted(previous_run, key=lambda p: p != paths["checkpoint"]):
            os.remove(path)
        write_run_data(paths["data"], state.run_data)      # rule 1: the run owns its data
    config.save(paths["config"])
    write_metrics(paths["metrics"], history)

    start = state.step
    selection = None                        # the best G on held-out data (selection.py)
    if config.select_every:
        selection = Selection(SelectionScore(state.held_out, config.seed, state.held_conditions,
                                             state.held_lengths), paths["best"], resume)
    codes = {}                              # the latent model's codes of the data (phase 2)
    watch = CollapseWatch(config.collapse_window)
    losses_watch = DivergenceWatch(divergence_window(config.iterations))
    opt_g, opt_d = FiniteUpdates(state.opt_g, "generator"), FiniteUpdates(state.opt_d, "discriminator")
    bar = tqdm(total=config.iterations, initial=start, desc="train", unit="step",
               disable=not progress, dynamic_ncols=True)
    t0 = time.perf_counter()
    # Small matrix products gain nothing from more BLAS threads, and lose a lot when the
    # threads wait for a busy core (measured in docs/performance.md): cap them while training.
    # NumPy's floating-point warnings are off inside the loop because every result that matters
    # is checked for NaN/inf explicitly, with a message that says what and where.
    with capped_blas(config.blas_threads), \
            open(paths["metrics"], "a") as metrics_file, StopOnInterrupt() as interrupt, \
            np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for step in range(start + 1, config.iterations + 1):
            try:
                set_learning_rates(state, config, step)          # lr_decay (schedule.py)
                record = run_step(state.G, state.D, opt_g, opt_d, state, state.rng, step, codes)
                record = {"step": step, **record}
                if state.average is not None:
                    state.average.update(state.G.params, step)   # θ̄_t (minirgan/averaging.py)
                if config.metrics_every and step % config.metrics_every == 0:
                    # sample quality over time (docs/metrics.md); its own RNG stream, see there
                    record.update(training_quick_metrics(state.sampler, state.data, config.seed, step,
                                                         conditions=state.conditions,
                                                         lengths=state.lengths))
                what = _nonfinite(record, state.G, state.D) or losses_watch.update(record)
                if what is not None:
                    raise TrainingDiverged(what)
                if selection is not None and selection.due(step, config):
                    record.update(selection.update(state, step))      # may write best.npz
            except TrainingDiverged as err:
                bar.close()
                raise _diverged(step, str(err), paths["checkpoint"]) from None
            except NonFiniteError as err:        # a NaN/inf met by a pass's input check
                bar.close()
                raise _diverged(step, f"a value inside the models became NaN or inf ({err})",
                                paths["checkpoint"]) from None
            metrics_file.write(metrics_line(record))
            history.append(record)
            state.step = step
            warning = watch.update(record)
            if warning is not None:
                say(warning)
            periodic = step % config.checkpoint_every == 0 and not losses_watch.suspect
            ended_high = losses_watch.finish() if step == config.iterations else None
            if ended_high is not None:
                bar.close()                       # ended inside a diverging stretch
                raise _diverged(step, ended_high, paths["checkpoint"])
            if periodic or step == config.iterations or interrupt.requested:
                metrics_file.flush()
                try:
                    _save_good_checkpoint(state, paths["checkpoint"])
                except TrainingDiverged as err:
                    bar.close()
                    raise _diverged(step, str(err), paths["checkpoint"]) from None
            bar.update(1)
            if step % 10 == 0 or step == config.iterations:
                bar.set_postfix(progress_fields(record))
            if interrupt.requested:
                bar.close()
                raise TrainingInterrupted(step, paths["checkpoint"], interrupt.signum)
    bar.close()
    if start >= config.iterations and not os.path.exists(paths["checkpoint"]):
        state.save(paths["checkpoint"])
    state.seconds = time.perf_counter() - t0
    state.steps_per_second = (state.step - start) / state.seconds if state.seconds > 0 else float("nan")
    state.warnings = watch.summary()
    if figures:
        from .plots import write_training_figures     # matplotlib loads only when drawing
        real, fake = state.preview(FIGURE_SAMPLES)
        write_training_figures(real, fake, history, paths,
                               images=state.info.get("name") in IMAGE_SETS,
                               feature_names=state.info.get("feature_names"))
    return state, history
