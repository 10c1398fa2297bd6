"""Missing values (``--missing mask``, minirgan/missing.py, docs/missing.md): the refusal that
counts them, D's mask channels (M6) and the moments over observed cells (M7), gradient-checked,
and a small run on data with cells removed at random whose samples are complete and match the
complete data's per-feature means and spreads."""

import numpy as np
import pandas as pd
import pytest

from minirgan.config import TrainConfig
from minirgan.data import load_dataset
from minirgan.datasets.checks import DataError
from minirgan.gradcheck import numerical_gradient, relative_error
from minirgan.missing import (draw_masks, masked_moment_loss, masked_step_moment_loss, observation_mask,
                              observed_input, observed_input_backward)
from minirgan.models import Discriminator
from minirgan.moment_loss import moment_loss, step_moment_loss
from minirgan.train import train


def _random_mask(shape, rng, p=0.3):
    return (rng.uniform(size=shape) > p).astype(np.float64)


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_M6_mask_channels_through_D_match_finite_differences(backend):
    """M6: ∂/∂x of D([x ∘ m, m]) is (∂/∂u)[:F] ∘ m, checked through a GRU D in float64."""
    rng = np.random.default_rng(0)
    N, T, F = 3, 5, 2
    D = Discriminator(2 * F, hidden=4, readout="mean", rng=1, backend=backend)
    for k in D.params:                      # random non-zero weights and biases
        D.params[k] = rng.normal(0, 0.5, D.params[k].shape)
    x, m = rng.normal(size=(N, T, F)), _random_mask((N, T, F), rng)
    dlogits = rng.normal(size=N)
    logits, cache = D.forward(observed_input(x, m))
    du, _ = D.backward(dlogits, cache)
    dx = observed_input_backward(du, m)
    numeric = numerical_gradient(lambda: D.forward(observed_input(x, m))[0], x, dlogits)
    assert relative_error(dx, numeric) < 1e-7
    assert np.all(dx[m == 0] == 0) and np.abs(dx[m == 1]).min() > 0


def test_M6_input_hides_missing_cells_and_shows_the_mask():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 4, 3))
    x[0, 1, 2] = np.nan
    filled, m = observation_mask(x)
    assert m[0, 1, 2] == 0 and m.sum() == x.size - 1 and filled[0, 1, 2] == 0
    u = observed_input(x, m)
    assert u.shape == (2, 4, 6) and np.isfinite(u).all()
    assert u[0, 1, 2] == 0 and np.array_equal(u[..., 3:], m) and np.array_equal(u[1, :, :3], x[1])
    du = rng.normal(size=u.shape)
    du_before = du.copy()
    observed_input_backward(du, m)
    assert np.array_equal(du, du_before)                  # the upstream gradient is not modified


@pytest.mark.parametrize("loss", [masked_moment_loss, masked_step_moment_loss], ids=["L_M", "L_delta"])
def test_M7_masked_moment_losses_match_finite_differences(loss):
    """M7: the gradient of the moment losses over observed cells, float64."""
    rng = np.random.default_rng(2)
    real = rng.uniform(size=(10, 5, 2))
    mask = _random_mask(real.shape, rng)
    mask[:, 2, 1] = 0                                     # a (t, f) nobody observed drops out
    real[mask == 0] = np.nan
    fake = rng.uniform(size=(6, 5, 2)) * 0.5
    _, grad = loss(fake, real, mask)
    numeric = numerical_gradient(lambda: np.array(loss(fake, real, mask)[0]), fake, np.array(1.0))
    assert relative_error(grad, numeric) < 1e-7
    if loss is masked_moment_loss:
        assert np.all(grad[:, 2, 1] == 0)


def test_M7_reads_only_observed_cells_and_equals_the_plain_loss_with_a_full_mask():
    rng = np.random.default_rng(3)
    real, fake = rng.uniform(size=(12, 4, 3)), rng.uniform(size=(7, 4, 3))
    ones = np.ones_like(real)
    for masked, plain in ((masked_moment_loss, moment_loss), (masked_step_moment_loss, step_moment_loss)):
        a, b = masked(fake, real, ones), plain(fake, real)
        assert a[0] == pytest.approx(b[0], rel=1e-12) and np.allclose(a[1], b[1], rtol=1e-12, atol=0)
    # real moments at one (t, f) come from its observed sequences only
    mask = _random_mask(real.shape, rng)
    changed = np.where(mask == 0, 1e6, real)              # huge values where missing change nothing
    assert masked_moment_loss(fake, changed, mask)[0] == masked_moment_loss(fake, real, mask)[0]


def test_fake_masks_are_drawn_from_the_real_ones():
    rng = np.random.default_rng(4)
    masks = _random_mask((20, 3, 2), rng)
    drawn = draw_masks(masks, 8, rng)
    assert all(any(np.array_equal(d, r) for r in masks) for d in drawn)


def _gappy_csv(tmp_path, p, rng, n=1500):
    t = np.arange(n)
    full = np.column_stack([np.sin(t / 5.0), 0.5 * np.cos(t / 9.0) + 2, rng.normal(1, 0.3, n)])
    gappy = full.copy()
    gappy[rng.uniform(size=full.shape) < p] = np.nan
    path = tmp_path / "gappy.csv"
    pd.DataFrame(gappy, columns=["a", "b", "c"]).to_csv(path, index=False, na_rep="")
    return path, full, gappy


def test_missing_cells_are_refused_with_their_count_and_the_option(tmp_path):
    path, _, gappy = _gappy_csv(tmp_path, 0.1, np.random.default_rng(5), n=100)
    count = int(np.isnan(gappy).sum())
    with pytest.raises(DataError, match=rf"{count} of 300 cells are missing .*--missing mask"):
        load_dataset(path, seq_len=8)
    path.write_text("a,b\n1,2\nNA,3\n4,n/a\n5,6\n")
    with pytest.raises(DataError, match=r"2 of 8 cells are missing .*first at line 3, column 1 \('a'\).*--missing mask"):
        load_dataset(path, seq_len=2)
    data, _, info = load_dataset(path, seq_len=2, missing=True)
    assert np.isnan(data).sum() == 4 and info["missing_fraction"] == pytest.approx(4 / 12)   # 3 windows of 2 rows
    x = np.random.default_rng(6).uniform(size=(4, 3, 2))
    x[1, 2, 0] = np.nan
    np.save(tmp_path / "x.npy", x)
    with pytest.raises(DataError, match=r"1 of 24 values are missing .*sample 1, time step 2, feature 0.*--missing mask"):
        load_dataset(tmp_path / "x.npy")
    assert np.isnan(load_dataset(tmp_path / "x.npy", missing=True)[0]).sum() == 1
    x[0, 0, 1] = np.inf                                   # inf is not a missing value
    np.save(tmp_path / "x.npy", x)
    with pytest.raises(DataError, match="inf"):
        load_dataset(tmp_path / "x.npy", missing=True)


def test_training_on_gappy_data_gives_complete_samples_with_the_complete_datas_moments(tmp_path):
    """15 % of the cells removed at random; 300 steps (numpy backend, ~10 s). Tolerances: each
    feature's mean within 5 % of its range, its standard deviation within 15 %, of the complete
    data's."""
    path, full, gappy = _gappy_csv(tmp_path, 0.15, np.random.default_rng(0))
    config = TrainConfig(data=str(path), seq_len=12, missing="mask", hidden=16, batch=32, iterations=300,
                         backend="numpy", metrics_every=0, checkpoint_every=10000)
    state, _ = train(config, out_dir=tmp_path / "run", progress=False, figures=False)
    assert state.info["missing_fraction"] == pytest.approx(np.isnan(gappy).mean(), abs=0.02)
    samples = state.scaler.inverse_transform(state.sampler.sample(500, np.random.default_rng(1)))
    assert np.isfinite(samples).all()
    flat = samples.reshape(-1, 3)
    span = full.max(0) - full.min(0)
    assert np.all(np.abs(flat.mean(0) - full.mean(0)) < 0.05 * span), (flat.mean(0), full.mean(0))
    assert np.all(np.abs(flat.std(0) / full.std(0) - 1) < 0.15), (flat.std(0), full.std(0))


def test_cli_refuses_then_trains_resumes_and_samples_with_missing_mask(tmp_path, capsys):
    from minirgan.cli import main
    from minirgan.run_data import read_run_data

    path, _, gappy = _gappy_csv(tmp_path, 0.1, np.random.default_rng(7), n=120)
    tiny = ["--iterations", "4", "--batch", "8", "--hidden", "5", "--noise-dim", "2", "--seq-len", "8",
            "--checkpoint-every", "2", "--no-progress"]
    run = tmp_path / "run"
    assert main(["train", "--data", str(path), "--out", str(run)] + tiny) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--missing mask" in err
    assert f"{int(np.isnan(gappy).sum())} of 360 cells are missing" in err
    assert main(["train", "--data", str(path), "--out", str(run), "--missing", "mask"] + tiny) == 0
    saved = read_run_data(run / "data.npz")           # the run's own copy keeps the gaps as NaN
    assert np.isnan(saved.data).any() and saved.info["missing_fraction"] == pytest.approx(np.isnan(saved.data).mean())
    tiny[1] = "6"
    path.unlink()                                   # resume and sample read the run's data.npz only
    assert main(["train", "--data", str(path), "--out", str(run), "--missing", "mask", "--resume"] + tiny) == 0
    assert main(["sample", str(run), "-n", "9", "-o", str(tmp_path / "s.npy")]) == 0
    samples = np.load(tmp_path / "s.npy")
    assert samples.shape == (9, 8, 3) and np.isfinite(samples).all()
    capsys.readouterr()
    assert main(["evaluate", str(run), "--fast"]) == 2          # NaN scores are not reported
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--missing mask" in err
    assert not (run / "metrics.json").exists()
