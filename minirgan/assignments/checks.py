"""What each assignment grades: random float64 problems, the library's reference, finite differences.

Every problem uses random non-zero weights *and* biases (a zero bias hides bias bugs) and a
random upstream gradient. Each backward pass is compared twice: with the library's own backward
on the same inputs, and with centred finite differences of the assignment's given forward pass
(minirgan.gradcheck, CS231n's thresholds: 1e-8 for one step, 1e-6 for a sequence).
"""

import copy
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .. import gru as ref_gru, lstm as ref_lstm, rnn as ref_rnn
from ..config import TrainConfig
from ..dense import dense_backward, dense_forward
from ..gradcheck import THRESHOLDS, numerical_gradient
from ..losses import discriminator_loss, generator_loss
from ..models import Discriminator, Generator
from ..optim import Adam
from ..train import train_step
from .grading import GradeFailure, call_pure, compare, compare_grads

N, T, D, H, O = 3, 4, 2, 5, 3


@dataclass
class Check:
    """One graded function: ``run(module)`` returns the largest relative error or raises."""
    function: str
    run: Callable
    hint: str


def _params(shapes, rng):
    return {k: rng.uniform(-0.8, 0.8, size=s) for k, s in shapes.items()}


def _finite_differences(forward, arrays, dout):
    """Numerical gradients of sum(forward() · dout) with respect to each named array."""
    return {name: numerical_gradient(forward, a, dout) for name, a in arrays.items()}


def _against(label, student, reference, fd, threshold):
    """Compare a gradient with the reference and with finite differences; the larger error."""
    return max(compare(f"{label} (vs the library)", student, reference, THRESHOLDS["step"]),
               compare(f"{label} (vs finite differences)", student, fd, threshold))


# ----------------------------------------------------------------------------- dense (E2)

def _dense(module):
    rng = np.random.default_rng(1)
    h, dy = rng.standard_normal((N, T, H)), rng.standard_normal((N, T, O))
    params = _params({"W_hy": (O, H), "b_y": (O,)}, rng)
    _, cache = module.dense_forward(h, params)
    dh, grads = call_pure(module, "dense_backward", dy, cache)
    ref_dh, ref_grads = dense_backward(dy, dense_forward(h, params)[1])
    fd = _finite_differences(lambda: module.dense_forward(h, params)[0],
                             {"h": h, **params}, dy)
    err = _against("dh", dh, ref_dh, fd["h"], THRESHOLDS["step"])
    for k in params:
        err = max(err, _against(f"grads[{k!r}]", grads.get(k, np.nan), ref_grads[k], fd[k],
                                THRESHOLDS["step"]))
    return err


# ----------------------------------------------------------------------------- rnn (E1)

def _step_problem(shapes, rng):
    return rng.standard_normal((N, D)), rng.standard_normal((N, H)), _params(shapes, rng)


def _rnn_step(module):
    rng = np.random.default_rng(2)
    x, h, params = _step_problem(ref_rnn.rnn_param_shapes(D, H), rng)
    dh = rng.standard_normal((N, H))
    _, cache = module.rnn_step_forward(x, h, params)
    dx, dh_prev, grads = call_pure(module, "rnn_step_backward", dh, cache)
    ref = ref_rnn.rnn_step_backward(dh, ref_rnn.rnn_step_forward(x, h, params)[1])
    fd = _finite_differences(lambda: module.rnn_step_forward(x, h, params)[0],
                             {"x": x, "h": h, **params}, dh)
    return _compare_step(("dx", dx, ref[0], fd["x"]), ("dh_prev", dh_prev, ref[1], fd["h"]),
                         grads=(grads, ref[2], fd))


def _rnn_sequence(module):
    rng = np.random.default_rng(3)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    params = _params(ref_rnn.rnn_param_shapes(D, H), rng)
    dh = rng.standard_normal((N, T, H))
    _, cache = module.rnn_forward(x, h0, params)
    dx, dh0, grads = call_pure(module, "rnn_backward", dh, cache)
    ref = ref_rnn.rnn_backward(dh, ref_rnn.rnn_forward(x, h0, params, backend="numpy")[1])
    fd = _finite_differences(lambda: module.rnn_forward(x, h0, params)[0],
                             {"x": x, "h0": h0, **params}, dh)
    return _compare_step(("dx", dx, ref[0], fd["x"]), ("dh0", dh0, ref[1], fd["h0"]),
                         grads=(grads, ref[2], fd), threshold=THRESHOLDS["sequence"])


def _compare_step(*quantities, grads, threshold=THRESHOLDS["step"]):
    """Each (label, student, reference, fd) and every gradient key, against both oracles."""
    err = max(_against(label, s, r, f, threshold) for label, s, r, f in quantities)
    student, reference, fd = grads
    if not isinstance(student, dict) or set(student) != set(reference):
        compare_grads("grads", student, reference, threshold)   # raises with the key lists
    for k in sorted(reference):
        err = max(err, _against(f"grads[{k!r}]", student[k], reference[k], fd[k], threshold))
    return err


# ----------------------------------------------------------------------------- gru (E11–E15)

def _gru_step(reset_after):
    suffix = "_reset_after" if reset_after else ""

    def run(module):
        rng = np.random.default_rng(10 + reset_after)
        x, h, params = _step_problem(ref_gru.gru_param_shapes(D, H, reset_after), rng)
        dh = rng.standard_normal((N, H))
        forward = getattr(module, f"gru_step_forward{suffix}")
        _, cache = forward(x, h, params)
        dx, dh_prev, grads = call_pure(module, f"gru_step_backward{suffix}", dh, cache)
        ref = ref_gru.gru_step_backward(dh, ref_gru.gru_step_forward(x, h, params, reset_after)[1])
        fd = _finite_differences(lambda: forward(x, h, params)[0], {"x": x, "h": h, **params}, dh)
        return _compare_step(("dx", dx, ref[0], fd["x"]), ("dh_prev", dh_prev, ref[1], fd["h"]),
                             grads=(grads, ref[2], fd))
    return run


# ----------------------------------------------------------------------------- lstm

def _lstm_step(module):
    rng = np.random.default_rng(6)
    x, h, params = _step_problem(ref_lstm.lstm_param_shapes(D, H), rng)
    c = rng.standard_normal((N, H))
    dh, dc = rng.standard_normal((N, H)), rng.standard_normal((N, H))
    _, _, cache = module.lstm_step_forward(x, h, c, params)
    dx, dh_prev, dc_prev, grads = call_pure(module, "lstm_step_backward", dh, dc, cache)
    ref = ref_lstm.lstm_step_backward(dh, dc, ref_lstm.lstm_step_forward(x, h, c, params)[2])
    fd = _finite_differences(lambda: module.lstm_step_forward(x, h, c, params)[:2],
                             {"x": x, "h": h, "c": c, **params}, (dh, dc))
    return _compare_step(("dx", dx, ref[0], fd["x"]), ("dh_prev", dh_prev, ref[1], fd["h"]),
                         ("dc_prev", dc_prev, ref[2], fd["c"]), grads=(grads, ref[3], fd))


# ----------------------------------------------------------------------------- losses

def _loss_check(role, kind):
    def run(module):
        rng = np.random.default_rng(7)
        real, fake = rng.standard_normal((6, 1)) * 3, rng.standard_normal((4, 3)) * 3
        if role == "discriminator":
            student = call_pure(module, "discriminator_loss", real, fake, kind)
            reference = discriminator_loss(real, fake, kind)
            forward = lambda: np.array(module.discriminator_loss(real, fake, kind)[0])
            arrays = {"real_logits": real, "fake_logits": fake}
        else:
            student = call_pure(module, "generator_loss", fake, kind)
            reference = generator_loss(fake, kind)
            forward = lambda: np.array(module.generator_loss(fake, kind)[0])
            arrays = {"fake_logits": fake}
        err = compare("the loss", student[0], reference[0], THRESHOLDS["step"])
        fd = _finite_differences(forward, arrays, np.array(1.0))
        for (name, array), s, r in zip(arrays.items(), student[1:], reference[1:]):
            err = max(err, _against(f"d/d {name}", s, r, fd[name], THRESHOLDS["step"]))
        extreme = [np.array([1000.0, -1000.0])] * (2 if role == "discriminator" else 1)
        loss = getattr(module, f"{role}_loss")(*extreme, kind)
        if not all(np.all(np.isfinite(v)) for v in loss):
            raise GradeFailure("logits of ±1000 give a NaN or inf: compute from logits "
                               "(softplus via np.logaddexp), never log(sigmoid(l))")
        return err
    return run


# ----------------------------------------------------------------------------- adam (A4)

def _adam(module):
    rng = np.random.default_rng(8)
    w = rng.standard_normal((4, 3))
    m, v = np.zeros_like(w), np.zeros_like(w)
    hyper = dict(lr=1e-2, beta1=0.5, beta2=0.999, eps=1e-8)
    reference, optimiser = {"w": w.copy()}, Adam(**hyper)
    err = 0.0
    for t in range(1, 4):
        g = rng.standard_normal(w.shape)
        w, m, v = call_pure(module, "adam_step", w, g, m, v, t, *hyper.values())
        optimiser.step(reference, {"w": g})
        err = max(err, compare(f"w after step {t}", w, reference["w"], 1e-12),
                  compare(f"m after step {t}", m, optimiser.state["m"]["w"], 1e-12),
                  compare(f"v after step {t}", v, optimiser.state["v"]["w"], 1e-12))
    return err


# ----------------------------------------------------------------------------- the table

def _tutorial(number, section):
    return f"tutorial {number:02d}, section “{section}”"


CHECKS = {
    "dense": [Check("dense_backward", _dense,
                    "E2: dh = dy W_hy, dW_hy = Σ dy hᵀ over batch and time, db_y = Σ dy; "
                    + _tutorial(1, "A whole sequence"))],
    "rnn": [Check("rnn_step_backward", _rnn_step,
                  "E1: δa = dh ∘ (1 − h_t²); dx = δa W_xh, dh_prev = δa W_hh; "
                  + _tutorial(1, "Backpropagation through time, derived")),
            Check("rnn_backward", _rnn_sequence,
                  "E1 through time: the gradient on h_t is dh[:, t] plus what flows back from "
                  "step t+1; sum the weight gradients over steps; "
                  + _tutorial(1, "Backpropagation through time, derived"))],
    "gru": [Check("gru_step_backward", _gru_step(False),
                  "E15 gives ∂h/∂h_{t-1} = 1 − u_t (don't drop it), ∂h/∂u = h̃ − h_{t-1}; E13 "
                  "sends dr ∘ z back to h_{t-1}; " + _tutorial(2, "BPTT through the GRU, and its gradient check")),
            Check("gru_step_backward_reset_after", _gru_step(True),
                  "reset-after: dz = δa ∘ (W_ch h_{t-1} + b_ch), and b_ch gets Σ δa ∘ z; "
                  + _tutorial(2, "Reset before or after the recurrent product"))],
    "lstm": [Check("lstm_step_backward", _lstm_step,
                   "dc = dc_next + dh ∘ o ∘ (1 − tanh²c_t); dc_prev = dc ∘ f_t; each gate through "
                   "its own nonlinearity; " + _tutorial(3, "BPTT with two carried gradients"))],
    "losses": [Check(f"{role}_loss[{kind}]", _loss_check(role, kind),
                     f"{hint}; " + _tutorial(5, "The game and the losses"))
               for role, kind, hint in [
                   ("discriminator", "nonsaturating", "E5: d/dl softplus(−l) = σ(l) − 1, d/dl softplus(l) = σ(l), each over its own batch size"),
                   ("discriminator", "minimax", "E5 again: minimax and non-saturating share D's loss"),
                   ("discriminator", "lsgan", "LSGAN: ½ mean (l_x − 1)² + ½ mean l_G²"),
                   ("discriminator", "wgan", "WGAN critic: mean l_G − mean l_x"),
                   ("generator", "nonsaturating", "C6: mean softplus(−l_G), gradient (σ(l) − 1)/n"),
                   ("generator", "minimax", "E4: −mean softplus(l_G), gradient −σ(l)/n (it saturates)"),
                   ("generator", "lsgan", "LSGAN: ½ mean (l_G − 1)²"),
                   ("generator", "wgan", "WGAN: −mean l_G")]],
    "adam": [Check("adam_step", _adam,
                   "A4/Adam: bias-correct with 1 − β^t, t counting from 1; ε outside the square root")],
}


# ----------------------------------------------------------------------------- train_step

def _train_step(config_changes):
    def run(module):
        config = TrainConfig(hidden=4, noise_dim=3, batch=6, backend="numpy", **config_changes)
        rng = np.random.default_rng(9)
        real = rng.uniform(0.0, 1.0, size=(20, 5, 2))
        G = Generator(2, 5, noise_dim=3, hidden=4, noise=config.noise, rng=1, backend="numpy")
        D = Discriminator(2, hidden=4, readout=config.readout, rng=2, backend="numpy")
        models = {who: [copy.deepcopy(G), copy.deepcopy(D), Adam(lr=1e-2, beta1=0.5), Adam(lr=1e-2, beta1=0.5),
                        np.random.default_rng(3)] for who in ("student", "library")}
        for step in range(2):
            records = {who: fn(*models[who][:4], real, models[who][4], config)
                       for who, fn in (("student", module.train_step), ("library", train_step))}
            if not isinstance(records["student"], dict) or set(records["student"]) != set(records["library"]):
                raise GradeFailure(f"train_step must return a dict with keys {sorted(records['library'])}")
            for k, v in records["library"].items():
                compare(f"step {step + 1}: the returned {k!r}", records["student"][k], v, 0.0)
            for which, name in ((0, "G"), (1, "D")):
                mine, ref = models["student"][which].params, models["library"][which].params
                for k in sorted(ref):
                    if not np.array_equal(mine[k], ref[k]):
                        raise GradeFailure(
                            f"step {step + 1}: {name}.params[{k!r}] differs from the library's "
                            f"(relative error {compare('', mine[k], ref[k], np.inf):.1e})")
        if models["student"][4].bit_generator.state != models["library"][4].bit_generator.state:
            raise GradeFailure("the weights match but the random generator was used differently: "
                               "draw a real batch, then noise, in the order of the numbered steps")
        return 0.0
    return run


TRAIN_STEP_HINT = ("E5 for D on a fresh real batch and fresh noise, k = d_steps times; then C6 through D "
                   "(D's gradient discarded), plus the moment losses on x̂ and on its steps x̂_t − x̂_{t−1} "
                   "(each when its weight is > 0); clip both by global norm "
                   "(C2); " + _tutorial(6, "One training step, taken apart"))
CHECKS["train_step"] = [
    Check("train_step (default: static noise, per-step readout, moment loss)", _train_step({}), TRAIN_STEP_HINT),
    Check("train_step (clipping, one D step)", _train_step({"clip_norm": 0.05, "d_steps": 1}), TRAIN_STEP_HINT),
    Check("train_step (WGAN critic, weight clipping)", _train_step({"loss": "wgan", "moment_loss": 0.0}), TRAIN_STEP_HINT),
    Check("train_step (LSGAN, label smoothing, last readout)",
          _train_step({"loss": "lsgan", "label_smoothing": 0.1, "readout": "last"}), TRAIN_STEP_HINT),
]
