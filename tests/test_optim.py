"""Tests of the optimisers (SGD with momentum, Adam with A4's defaults), L1/L2 decay (C4) and
clipping (C2, WGAN weight clipping)."""

import math

import numpy as np
import pytest

from minirgan.optim import SGD, Adam, clip_by_global_norm, clip_weights, global_norm


def one_param(w, g):
    return {"w": np.array([w], dtype=np.float64)}, {"w": np.array([g], dtype=np.float64)}


# ---------------------------------------------------------------- Adam

def test_adam_defaults_are_a4():
    opt = Adam()
    assert (opt.lr, opt.beta1, opt.beta2, opt.eps) == (2e-4, 0.5, 0.999, 1e-8)


def test_adam_first_and_second_step_by_hand():
    lr, b1, b2, eps = 0.1, 0.5, 0.999, 1e-8
    w0, g1, g2 = 1.5, 0.4, -0.3
    params, grads = one_param(w0, g1)
    opt = Adam(lr=lr, beta1=b1, beta2=b2, eps=eps)
    opt.step(params, grads)
    # step 1, scalars
    m1 = (1 - b1) * g1
    v1 = (1 - b2) * g1 ** 2
    w1 = w0 - lr * (m1 / (1 - b1)) / (math.sqrt(v1 / (1 - b2)) + eps)
    assert params["w"][0] == pytest.approx(w1, rel=1e-14)
    # the first Adam step moves every weight by about lr·sign(g)
    assert w0 - w1 == pytest.approx(lr, rel=1e-6)
    # step 2
    opt.step(params, {"w": np.array([g2])})
    m2 = b1 * m1 + (1 - b1) * g2
    v2 = b2 * v1 + (1 - b2) * g2 ** 2
    w2 = w1 - lr * (m2 / (1 - b1 ** 2)) / (math.sqrt(v2 / (1 - b2 ** 2)) + eps)
    assert params["w"][0] == pytest.approx(w2, rel=1e-14)
    assert opt.t == 2


def test_adam_agrees_with_torch_over_several_steps():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    w = rng.standard_normal((3, 4))
    tw = torch.tensor(w.copy(), requires_grad=True)
    topt = torch.optim.Adam([tw], lr=0.01, betas=(0.5, 0.999), eps=1e-8, weight_decay=0.1)
    opt = Adam(lr=0.01, weight_decay=0.1)
    params = {"w": w}
    for _ in range(5):
        g = rng.standard_normal((3, 4))
        opt.step(params, {"w": g})
        tw.grad = torch.tensor(g)
        topt.step()
    assert np.allclose(params["w"], tw.detach().numpy(), rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------- SGD

def test_sgd_plain_step():
    params, grads = one_param(2.0, 0.5)
    SGD(lr=0.1).step(params, grads)
    assert params["w"][0] == pytest.approx(2.0 - 0.1 * 0.5, rel=1e-15)


def test_sgd_momentum_by_hand():
    lr, mu = 0.1, 0.9
    params, _ = one_param(1.0, 0.0)
    opt = SGD(lr=lr, momentum=mu)
    w, v = 1.0, 0.0
    for g in (0.5, -0.2, 0.3):
        opt.step(params, {"w": np.array([g])})
        v = mu * v + g
        w = w - lr * v
        assert params["w"][0] == pytest.approx(w, rel=1e-14)
    # the hand values: v = 0.5, 0.25, 0.525; w = 0.95, 0.925, 0.8725
    assert w == pytest.approx(0.8725, rel=1e-14)


# ---------------------------------------------------------------- regularisation (C4)

def test_weight_decay_adds_lambda_w_to_the_gradient():
    """C4: L2 regularisation, the update sees g + λ·w."""
    params, grads = one_param(2.0, 0.5)
    SGD(lr=0.1, weight_decay=0.01).step(params, grads)
    assert params["w"][0] == pytest.approx(2.0 - 0.1 * (0.5 + 0.01 * 2.0), rel=1e-15)


def test_l1_adds_lambda_sign_w_to_the_gradient():
    """C4: L1 regularisation, the update sees g + λ·sign(w)."""
    params = {"w": np.array([2.0, -3.0, 0.0])}
    SGD(lr=0.1, l1=0.05).step(params, {"w": np.zeros(3)})
    assert np.allclose(params["w"], [2.0 - 0.005, -3.0 + 0.005, 0.0], rtol=1e-15)


def test_weight_decay_alone_shrinks_weights_towards_zero_in_adam():
    params = {"w": np.array([1.0, -1.0])}
    opt = Adam(lr=0.01, weight_decay=0.1)
    for _ in range(10):
        opt.step(params, {"w": np.zeros(2)})
    assert np.all(np.abs(params["w"]) < 1.0)
    assert params["w"][0] == pytest.approx(-params["w"][1], rel=1e-15)


# ---------------------------------------------------------------- contracts

@pytest.mark.parametrize("make", [lambda: SGD(lr=0.1, momentum=0.9, weight_decay=0.01, l1=0.01),
                                  lambda: Adam(lr=0.01, weight_decay=0.01, l1=0.01)])
def test_updates_in_place_and_leaves_grads_untouched(make):
    rng = np.random.default_rng(3)
    params = {"layer0.W_z": rng.standard_normal((2, 3)), "out.b_y": rng.standard_normal(2)}
    grads = {k: rng.standard_normal(v.shape) for k, v in params.items()}
    refs = dict(params)
    before = {k: v.copy() for k, v in params.items()}
    grads_before = {k: v.copy() for k, v in grads.items()}
    make().step(params, grads)
    for k in params:
        assert params[k] is refs[k]                   # the model's arrays themselves changed
        assert not np.allclose(params[k], before[k])
        assert np.array_equal(grads[k], grads_before[k])


@pytest.mark.parametrize("make", [lambda: SGD(lr=0.1, momentum=0.9), lambda: Adam(lr=0.01)])
def test_float32_params_stay_float32(make):
    params = {"w": np.ones((2, 2), dtype=np.float32)}
    opt = make()
    opt.step(params, {"w": np.full((2, 2), 0.5)})   # float64 gradient on purpose
    assert params["w"].dtype == np.float32
    assert all(a.dtype == np.float32 for k, a in opt.state_dict().items() if "/" in k)


@pytest.mark.parametrize("make", [lambda: SGD(lr=0.05, momentum=0.8, weight_decay=1e-3),
                                  lambda: Adam(lr=0.01, beta1=0.6, l1=1e-3)])
def test_state_dict_round_trip_through_npz_continues_identically(make, tmp_path):
    rng = np.random.default_rng(4)
    shapes = {"layer0.W_z": (3, 5), "layer0.b_z": (3,), "out.W_hy": (1, 3)}
    params = {k: rng.standard_normal(s) for k, s in shapes.items()}
    grads_seq = [{k: rng.standard_normal(s) for k, s in shapes.items()} for _ in range(6)]
    opt = make()
    for g in grads_seq[:3]:
        opt.step(params, g)
    path = tmp_path / "opt.npz"
    np.savez(path, **opt.state_dict())
    params_copy = {k: v.copy() for k, v in params.items()}
    with np.load(path, allow_pickle=False) as f:
        loaded = {k: f[k] for k in f.files}
    resumed = type(opt)(lr=1.0)        # different hyperparameters: the state brings its own
    resumed.load_state_dict(loaded)
    assert resumed.t == 3
    for g in grads_seq[3:]:
        opt.step(params, g)
        resumed.step(params_copy, g)
    for k in params:
        assert np.array_equal(params[k], params_copy[k])


def test_state_dict_keys_are_flat_arrays_that_do_not_clash():
    opt = Adam()
    params = {"lr": np.ones(2), "step": np.ones(1), "m": np.ones(1)}   # adversarial names
    opt.step(params, {k: np.ones_like(v) for k, v in params.items()})
    sd = opt.state_dict()
    assert all(isinstance(v, np.ndarray) for v in sd.values())
    assert sd["step"].shape == () and int(sd["step"]) == 1
    assert sd["lr"].shape == () and float(sd["lr"]) == 2e-4
    assert {"m/lr", "v/lr", "m/step", "v/step", "m/m", "v/m"} <= set(sd)
    assert len(sd) == len(Adam.HYPER) + 1 + 2 * len(params)


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="lr"):
        Adam(lr=0.0)
    with pytest.raises(ValueError, match="beta1"):
        Adam(beta1=1.0)
    with pytest.raises(ValueError, match="momentum"):
        SGD(momentum=1.5)
    with pytest.raises(ValueError, match="weight_decay"):
        SGD(weight_decay=-1)
    opt = SGD()
    with pytest.raises(ValueError, match="missing \\['b'\\]"):
        opt.step({"a": np.ones(1), "b": np.ones(1)}, {"a": np.ones(1)})
    with pytest.raises(ValueError, match="shape"):
        opt.step({"a": np.ones(2)}, {"a": np.ones(3)})
    with pytest.raises(ValueError, match="in place"):
        opt.step({"a": [1.0]}, {"a": np.ones(1)})
    with pytest.raises(ValueError, match="missing"):
        Adam().load_state_dict({"lr": np.array(0.1)})


# ---------------------------------------------------------------- clipping (C2) and WGAN clipping

def test_global_norm_treats_all_arrays_as_one_vector():
    grads = {"a": np.array([3.0]), "b": np.array([[4.0, 0.0], [0.0, 12.0]])}
    assert global_norm(grads) == pytest.approx(13.0, rel=1e-15)


def test_clip_by_global_norm_above_the_bound_scales_to_max_norm():
    rng = np.random.default_rng(5)
    grads = {"a": rng.standard_normal((4, 3)) * 10, "b": rng.standard_normal(5) * 10}
    before = {k: v.copy() for k, v in grads.items()}
    clipped, norm = clip_by_global_norm(grads, 1.5)
    assert norm == pytest.approx(global_norm(before), rel=1e-15) and norm > 1.5
    assert global_norm(clipped) == pytest.approx(1.5, rel=1e-12)
    for k in grads:
        assert np.array_equal(grads[k], before[k])                       # input untouched
        assert np.allclose(clipped[k] * norm / 1.5, before[k], rtol=1e-12)  # same direction


def test_clip_by_global_norm_below_the_bound_copies_unchanged():
    grads = {"a": np.array([0.3, -0.4])}
    clipped, norm = clip_by_global_norm(grads, 1.0)
    assert norm == pytest.approx(0.5, rel=1e-15)
    assert np.array_equal(clipped["a"], grads["a"]) and clipped["a"] is not grads["a"]
    clipped["a"][0] = 99.0
    assert grads["a"][0] == 0.3


def test_clip_by_global_norm_keeps_float32_and_rejects_bad_bounds():
    clipped, _ = clip_by_global_norm({"a": np.full(4, 10, dtype=np.float32)}, 1.0)
    assert clipped["a"].dtype == np.float32
    with pytest.raises(ValueError, match="max_norm"):
        clip_by_global_norm({"a": np.ones(2)}, 0.0)


def test_clip_weights_in_place():
    w = np.array([[-0.5, 0.005], [0.02, -0.001]])
    params = {"W": w}
    clip_weights(params, 0.01)
    assert params["W"] is w
    assert np.array_equal(w, [[-0.01, 0.005], [0.01, -0.001]])
    with pytest.raises(ValueError, match="c must"):
        clip_weights(params, -1.0)
