"""What each assignment grades: random float64 problems, the library's reference, finite differences.

A check has two halves. ``problem(rng)`` draws the inputs in the grader's process — shapes and
values random per run, so a file that hard-codes one answer fails — and names the child-side
runner that calls the student's functions on them (``child.py``). ``verify(problem, answer)``
then judges what the child sent back, in the grader's process: against the library's own
reference on the same inputs, and against centred finite differences of the library's forward
pass (the assignment's given forward computes the same thing; minirgan.gradcheck, at 1e-6, see
:func:`_against`). Every problem uses random non-zero weights
*and* biases (a zero bias hides bias bugs) and a random upstream gradient.

Points per function are set here, one ``points=`` per check, in :data:`CHECKS`.
"""

import json
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .. import gru as ref_gru, lstm as ref_lstm, rnn as ref_rnn
from ..dense import dense_backward, dense_forward
from ..gradcheck import THRESHOLDS, numerical_gradient
from ..losses import discriminator_loss, generator_loss
from ..optim import Adam
from ..train import train_step
from .child import train_models
from .grading import GradeFailure, compare, compare_grads, pure_answer


@dataclass
class Problem:
    """One run's inputs: ``spec`` (JSON, tells the child what to call) and ``data`` (arrays)."""
    spec: dict
    data: dict


@dataclass
class Check:
    """One graded function: draw a problem, judge the child's answer (the largest relative
    error, or a GradeFailure), the hint shown when it fails, and its points."""
    function: str
    problem: Callable
    verify: Callable
    hint: str
    points: int = 1


FD_THRESHOLD = THRESHOLDS["sequence"]


def _sizes(rng):
    """Random small shapes: N batch, T time, D input, H hidden, O output."""
    return dict(zip("NTDHO", (int(v) for v in rng.integers([2, 3, 2, 3, 2], [5, 6, 5, 6, 5]))))


def _params(shapes, rng):
    return {k: rng.uniform(-0.8, 0.8, size=s) for k, s in shapes.items()}


def _finite_differences(forward, arrays, dout):
    """Numerical gradients of sum(forward() · dout) with respect to each named array."""
    return {name: numerical_gradient(forward, a, dout) for name, a in arrays.items()}


def _against(label, student, reference, fd):
    """Compare a gradient with the library's (at 1e-8, steps and sequences alike: two analytic
    answers agree to rounding) and with finite differences. These are an approximation whose error on random
    problems reaches ~2e-7 (measured over 300 random problems of each check), so they are held to
    1e-6: they confirm that the library's answer is the gradient; the library holds the student
    to the tight threshold. The larger error."""
    return max(compare(f"{label} (vs the library)", student, reference, THRESHOLDS["step"]),
               compare(f"{label} (vs finite differences)", student, fd, FD_THRESHOLD, numerical=True))


def _returned(function, value, names):
    """The student's return value as a tuple of ``len(names)`` values, or a GradeFailure."""
    if not isinstance(value, (tuple, list)) or len(value) != len(names):
        raise GradeFailure(f"{function} must return {len(names)} values ({', '.join(names)})")
    return tuple(value)


# ----------------------------------------------------------------------------- backward passes

@dataclass
class Backward:
    """A backward pass graded through its given forward: the student's forward makes the cache,
    the student's backward takes it with a random upstream gradient.

    inputs(s):   {name: shape} of the forward's array arguments, in order (params come last);
    params(s):   {name: shape} of the parameters; upstream(s): {name: shape}, in backward's order;
    outputs:     {returned gradient: the input it is the gradient of}, in the returned order;
    reference:   (inputs, params, upstream) -> the library's (*gradients, grads);
    forward:     (inputs, params) -> the library's forward output(s) the upstream applies to.
    """
    forward_name: str
    backward_name: str
    inputs: Callable
    params: Callable
    upstream: Callable
    outputs: dict
    reference: Callable
    forward: Callable

    def problem(self, rng):
        s = _sizes(rng)
        inputs = {k: rng.standard_normal(shape) for k, shape in self.inputs(s).items()}
        params = _params(self.params(s), rng)
        upstream = {k: rng.standard_normal(shape) for k, shape in self.upstream(s).items()}
        spec = {"runner": "backward", "forward": self.forward_name, "forward_args": [*inputs, "params"],
                "backward": self.backward_name, "upstream": list(upstream)}
        return Problem(spec, {**inputs, **upstream, **{f"param_{k}": v for k, v in params.items()}})

    def verify(self, problem, answer):
        data = problem.data
        inputs = {k: data[k] for k in problem.spec["forward_args"] if k != "params"}
        params = {k[len("param_"):]: v for k, v in data.items() if k.startswith("param_")}
        upstream = [data[k] for k in problem.spec["upstream"]]
        names = [*self.outputs, "grads"]
        student = _returned(self.backward_name, pure_answer(self.backward_name, answer), names)
        reference = self.reference(inputs, params, *upstream)
        dout = upstream[0] if len(upstream) == 1 else tuple(upstream)
        fd = _finite_differences(lambda: self.forward(inputs, params), {**inputs, **params}, dout)
        err = max(_against(label, s, r, fd[self.outputs[label]])
                  for label, s, r in zip(self.outputs, student, reference))
        grads, ref_grads = student[-1], reference[-1]
        if not isinstance(grads, dict) or set(grads) != set(ref_grads):
            compare_grads("grads", grads, ref_grads, THRESHOLDS["step"])   # raises with the key lists
        for k in sorted(ref_grads):
            err = max(err, _against(f"grads[{k!r}]", grads[k], ref_grads[k], fd[k]))
        return err


def _backward_check(backward, hint, points):
    return Check(backward.backward_name, backward.problem, backward.verify, hint, points)


DENSE = Backward(
    "dense_forward", "dense_backward",
    inputs=lambda s: {"h": (s["N"], s["T"], s["H"])},
    params=lambda s: {"W_hy": (s["O"], s["H"]), "b_y": (s["O"],)},
    upstream=lambda s: {"dy": (s["N"], s["T"], s["O"])},
    outputs={"dh": "h"},
    reference=lambda i, p, dy: dense_backward(dy, dense_forward(i["h"], p)[1]),
    forward=lambda i, p: dense_forward(i["h"], p)[0])


def _step_inputs(s, states=("h",)):
    return {"x": (s["N"], s["D"]), **{k: (s["N"], s["H"]) for k in states}}


_STEP_UPSTREAM = lambda s: {"dh": (s["N"], s["H"])}

RNN_STEP = Backward(
    "rnn_step_forward", "rnn_step_backward", _step_inputs, lambda s: ref_rnn.rnn_param_shapes(s["D"], s["H"]),
    _STEP_UPSTREAM, {"dx": "x", "dh_prev": "h"},
    reference=lambda i, p, dh: ref_rnn.rnn_step_backward(dh, ref_rnn.rnn_step_forward(i["x"], i["h"], p)[1]),
    forward=lambda i, p: ref_rnn.rnn_step_forward(i["x"], i["h"], p)[0])


def _sequence(cell, param_shapes, ref_forward, ref_backward):
    """The BPTT row of one cell: `{cell}_backward` against the library's own forward and backward
    over x (N, T, D), h0 (N, H), with an upstream dh (N, T, H) on every hidden state."""
    run = lambda i, p: ref_forward(i["x"], i["h0"], p, backend="numpy")
    return Backward(
        f"{cell}_forward", f"{cell}_backward",
        lambda s: {"x": (s["N"], s["T"], s["D"]), "h0": (s["N"], s["H"])},
        lambda s: param_shapes(s["D"], s["H"]), lambda s: {"dh": (s["N"], s["T"], s["H"])},
        {"dx": "x", "dh0": "h0"},
        reference=lambda i, p, dh: ref_backward(dh, run(i, p)[1]), forward=lambda i, p: run(i, p)[0])


RNN_SEQUENCE = _sequence("rnn", ref_rnn.rnn_param_shapes, ref_rnn.rnn_forward, ref_rnn.rnn_backward)


def _gru_step(reset_after):
    suffix = "_reset_after" if reset_after else ""
    return Backward(
        f"gru_step_forward{suffix}", f"gru_step_backward{suffix}", _step_inputs,
        lambda s: ref_gru.gru_param_shapes(s["D"], s["H"], reset_after), _STEP_UPSTREAM,
        {"dx": "x", "dh_prev": "h"},
        reference=lambda i, p, dh: ref_gru.gru_step_backward(
            dh, ref_gru.gru_step_forward(i["x"], i["h"], p, reset_after)[1]),
        forward=lambda i, p: ref_gru.gru_step_forward(i["x"], i["h"], p, reset_after)[0])


GRU_SEQUENCE = _sequence("gru", ref_gru.gru_param_shapes, ref_gru.gru_forward, ref_gru.gru_backward)

LSTM_STEP = Backward(
    "lstm_step_forward", "lstm_step_backward", lambda s: _step_inputs(s, ("h", "c")),
    lambda s: ref_lstm.lstm_param_shapes(s["D"], s["H"]),
    lambda s: {"dh": (s["N"], s["H"]), "dc": (s["N"], s["H"])},
    {"dx": "x", "dh_prev": "h", "dc_prev": "c"},
    reference=lambda i, p, dh, dc: ref_lstm.lstm_step_backward(
        dh, dc, ref_lstm.lstm_step_forward(i["x"], i["h"], i["c"], p)[2]),
    forward=lambda i, p: ref_lstm.lstm_step_forward(i["x"], i["h"], i["c"], p)[:2])


# ----------------------------------------------------------------------------- losses

def _loss_check(role, kind, hint, points):
    function = f"{role}_loss"
    args = ["real_logits", "fake_logits"] if role == "discriminator" else ["fake_logits"]
    reference = discriminator_loss if role == "discriminator" else generator_loss

    def problem(rng):
        shapes = [tuple(int(v) for v in rng.integers(1, 6, size=int(rng.integers(1, 3)))) for _ in args]
        return Problem({"runner": "loss", "function": function, "args": args, "kind": kind},
                       {name: rng.standard_normal(shape) * 3 for name, shape in zip(args, shapes)})

    def verify(problem, answer):
        logits = [problem.data[a] for a in args]
        names = ["loss", *(f"d_{a.split('_')[0]}" for a in args)]
        student = _returned(function, pure_answer(function, answer["call"]), names)
        ref = reference(*logits, kind)
        err = compare("the loss", student[0], ref[0], THRESHOLDS["step"])
        fd = _finite_differences(lambda: np.array(reference(*logits, kind)[0]), dict(zip(args, logits)),
                                 np.array(1.0))
        for name, s, r in zip(args, student[1:], ref[1:]):
            err = max(err, _against(f"d/d {name}", s, r, fd[name]))
        extreme = answer["extreme"]
        try:
            finite = all(np.all(np.isfinite(np.asarray(v, dtype=np.float64))) for v in extreme)
        except (TypeError, ValueError):
            finite = False
        if not finite:
            raise GradeFailure("logits of ±1000 give a NaN or inf: compute from logits "
                               "(softplus via np.logaddexp), never log(sigmoid(l))")
        return err

    return Check(f"{function}[{kind}]", problem, verify, f"{hint}; " + _tutorial(5, "The game and the losses"),
                 points)


# ----------------------------------------------------------------------------- adam (A4)

def _adam_problem(rng):
    shape = tuple(int(v) for v in rng.integers(2, 6, size=2))
    hyper = [float(rng.uniform(1e-3, 1e-1)), float(rng.uniform(0.3, 0.9)), float(rng.uniform(0.9, 0.9999)), 1e-8]
    return Problem({"runner": "adam", "hyper": hyper},
                   {"w": rng.standard_normal(shape), "g": rng.standard_normal((3, *shape))})


def _adam_verify(problem, answer):
    lr, beta1, beta2, eps = problem.spec["hyper"]
    reference, optimiser = {"w": problem.data["w"].copy()}, Adam(lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    if not isinstance(answer, (tuple, list)) or len(answer) != len(problem.data["g"]):
        raise GradeFailure("adam_step did not return an answer for every step")
    err = 0.0
    for t, (g, call) in enumerate(zip(problem.data["g"], answer), start=1):
        w, m, v = _returned("adam_step", pure_answer("adam_step", call), ("w", "m", "v"))
        optimiser.step(reference, {"w": g})
        err = max(err, compare(f"w after step {t}", w, reference["w"], 1e-12),
                  compare(f"m after step {t}", m, optimiser.state["m"]["w"], 1e-12),
                  compare(f"v after step {t}", v, optimiser.state["v"]["w"], 1e-12))
    return err


# ----------------------------------------------------------------------------- train_step

def _train_step(config_changes):
    def problem(rng):
        sizes = {"hidden": int(rng.integers(3, 6)), "noise_dim": int(rng.integers(2, 5)),
                 "batch": int(rng.integers(4, 8)), "seq_len": int(rng.integers(3, 7)),
                 "features": int(rng.integers(1, 4))}
        seeds = [int(v) for v in rng.integers(0, 2**31, size=3)]
        real = rng.uniform(0.0, 1.0, size=(int(rng.integers(12, 25)), sizes["seq_len"], sizes["features"]))
        return Problem({"runner": "train_step", "sizes": sizes, "seeds": seeds, "config": config_changes},
                       {"real": real})

    def verify(problem, answer):
        G, D, opt_g, opt_d, rng, config = train_models(problem.spec)
        steps = answer.get("steps") if isinstance(answer, dict) else None
        if not isinstance(steps, (tuple, list)) or len(steps) != 2:
            raise GradeFailure("train_step did not complete two steps")
        for number, student in enumerate(steps, start=1):
            record = train_step(G, D, opt_g, opt_d, problem.data["real"], rng, config)
            mine = student.get("record")
            if not isinstance(mine, dict) or set(mine) != set(record):
                raise GradeFailure(f"train_step must return a dict with keys {sorted(record)}")
            for k, v in record.items():
                compare(f"step {number}: the returned {k!r}", mine[k], v, 0.0)
            for name, model in (("G", G), ("D", D)):
                params = student.get(name)
                for k in sorted(model.params):
                    if not isinstance(params, dict) or k not in params:
                        raise GradeFailure(f"step {number}: {name}.params[{k!r}] is missing")
                    if not np.array_equal(params[k], model.params[k]):
                        raise GradeFailure(
                            f"step {number}: {name}.params[{k!r}] differs from the library's "
                            f"(relative error {compare('', params[k], model.params[k], np.inf):.1e})")
        try:
            same_draws = json.loads(answer.get("rng", "null")) == rng.bit_generator.state
        except (TypeError, ValueError):
            same_draws = False
        if not same_draws:
            raise GradeFailure("the weights match but the random generator was used differently: "
                               "draw a real batch, then noise, in the order of the numbered steps")
        return 0.0
    return problem, verify


def _train_step_check(title, config_changes, points):
    return Check(f"train_step ({title})", *_train_step(config_changes), TRAIN_STEP_HINT, points)


# ----------------------------------------------------------------------------- the table

def _tutorial(number, section):
    return f"tutorial {number:02d}, section “{section}”"


TRAIN_STEP_HINT = ("E5 for D on a fresh real batch and fresh noise, k = d_steps times; then C6 through D "
                   "(D's gradient discarded), plus the moment losses on x̂ and on its steps x̂_t − x̂_{t−1} "
                   "(each when its weight is > 0); clip both by global norm "
                   "(C2); " + _tutorial(6, "One training step, taken apart"))

CHECKS = {
    "dense": [_backward_check(DENSE, "E2: dh = dy W_hy, dW_hy = Σ dy hᵀ over batch and time, db_y = Σ dy; "
                              + _tutorial(1, "A whole sequence"), points=10)],
    "rnn": [_backward_check(RNN_STEP, "E1: δa = dh ∘ (1 − h_t²); dx = δa W_xh, dh_prev = δa W_hh; "
                            + _tutorial(1, "Backpropagation through time, derived"), points=5),
            _backward_check(RNN_SEQUENCE, "E1 through time: the gradient on h_t is dh[:, t] plus what flows "
                            "back from step t+1; sum the weight gradients over steps; "
                            + _tutorial(1, "Backpropagation through time, derived"), points=5)],
    "gru": [_backward_check(_gru_step(False), "E15 gives ∂h/∂h_{t-1} = 1 − u_t (don't drop it), ∂h/∂u = "
                            "h̃ − h_{t-1}; E13 sends dr ∘ z back to h_{t-1}; "
                            + _tutorial(2, "BPTT through the GRU, and its gradient check"), points=4),
            _backward_check(_gru_step(True), "reset-after: dz = δa ∘ (W_ch h_{t-1} + b_ch), and b_ch gets "
                            "Σ δa ∘ z; " + _tutorial(2, "Reset before or after the recurrent product"), points=3),
            _backward_check(GRU_SEQUENCE, "BPTT from your step: the gradient on h_t is dh[:, t] plus the "
                            "dh_prev that step t+1 sends back; sum the weight gradients over the steps; "
                            + _tutorial(2, "BPTT through the GRU, and its gradient check"), points=3)],
    "lstm": [_backward_check(LSTM_STEP, "dc = dc_next + dh ∘ o ∘ (1 − tanh²c_t); dc_prev = dc ∘ f_t; each "
                             "gate through its own nonlinearity; "
                             + _tutorial(3, "BPTT with two carried gradients"), points=10)],
    "losses": [_loss_check(role, kind, hint, points=1) for role, kind, hint in [
        ("discriminator", "nonsaturating", "E5: d/dl softplus(−l) = σ(l) − 1, d/dl softplus(l) = σ(l), each over its own batch size"),
        ("discriminator", "minimax", "E5 again: minimax and non-saturating share D's loss"),
        ("discriminator", "lsgan", "LSGAN: ½ mean (l_x − 1)² + ½ mean l_G²"),
        ("discriminator", "wgan", "WGAN critic: mean l_G − mean l_x"),
        ("generator", "nonsaturating", "C6: mean softplus(−l_G), gradient (σ(l) − 1)/n"),
        ("generator", "minimax", "E4: −mean softplus(l_G), gradient −σ(l)/n (it saturates)"),
        ("generator", "lsgan", "LSGAN: ½ mean (l_G − 1)²"),
        ("generator", "wgan", "WGAN: −mean l_G")]],
    "adam": [Check("adam_step", _adam_problem, _adam_verify,
                   "A4/Adam: bias-correct with 1 − β^t, t counting from 1; ε outside the square root", points=5)],
    "train_step": [
        _train_step_check("default: static noise, per-step readout, moment loss", {}, points=4),
        _train_step_check("clipping, one D step", {"clip_norm": 0.05, "d_steps": 1}, points=2),
        _train_step_check("WGAN critic, weight clipping", {"loss": "wgan", "moment_loss": 0.0}, points=2),
        _train_step_check("LSGAN, label smoothing, last readout",
                          {"loss": "lsgan", "label_smoothing": 0.1, "readout": "last"}, points=2)],
}
