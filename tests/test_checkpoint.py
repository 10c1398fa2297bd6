"""Checkpoints: a round trip restores every array and the RNG exactly, the file is plain
arrays (no pickle), writes are atomic, and a mismatched or broken file is refused clearly."""

import json

import numpy as np
import pytest

import minirgan.checkpoint as ckpt
from minirgan.config import TrainConfig
from minirgan.run import RunState
from minirgan.train import train_step


def small_config(**kw):
    base = dict(data="sines", n_data=40, seq_len=5, hidden=4, noise_dim=2, batch=6, seed=1)
    base.update(kw)
    return TrainConfig(**base)


def trained_state(cfg, steps=2):
    state = RunState(cfg)
    for _ in range(steps):
        train_step(state.G, state.D, state.opt_g, state.opt_d, state.data, state.rng, cfg)
    state.step = steps
    return state


def test_round_trip_restores_everything(tmp_path):
    cfg = small_config(cell="lstm", layers=2)
    state = trained_state(cfg)
    path = tmp_path / "checkpoint.npz"
    state.save(path)
    fresh = RunState(small_config(cell="lstm", layers=2, seed=2))   # other weights, other stream
    fresh.restore(path)
    assert fresh.step == 2
    for a, b in ((state.G.params, fresh.G.params), (state.D.params, fresh.D.params),
                 (state.opt_g.state_dict(), fresh.opt_g.state_dict()),
                 (state.opt_d.state_dict(), fresh.opt_d.state_dict())):
        assert set(a) == set(b)
        for k in a:
            np.testing.assert_array_equal(a[k], b[k])
    # the RNG continues the same stream
    np.testing.assert_array_equal(state.rng.random(4), fresh.rng.random(4))
    saved = ckpt.load_checkpoint(path)
    np.testing.assert_array_equal(saved["scaler"].data_min, state.scaler.data_min)
    assert saved["config"] == cfg.to_dict()
    assert saved["data_info"]["features"] == 5


def test_checkpoint_is_plain_arrays_loadable_without_pickle(tmp_path):
    state = trained_state(small_config())
    path = tmp_path / "c.npz"
    state.save(path)
    with np.load(path, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    assert all(a.dtype != object for a in arrays.values())
    assert {"step", "rng_state", "config", "data_info"} <= set(arrays)
    assert any(k.startswith("opt_g/") for k in arrays) and any(k.startswith("scaler/") for k in arrays)
    assert json.loads(str(arrays["config"]))["hidden"] == 4


def test_write_is_atomic(tmp_path, monkeypatch):
    """A failure while writing leaves the previous checkpoint intact and no temporary file."""
    state = trained_state(small_config())
    path = tmp_path / "checkpoint.npz"
    state.save(path)
    before = path.read_bytes()
    state.step = 99

    def failing_savez(f, **arrays):
        f.write(b"partial")
        raise OSError("disk full")

    monkeypatch.setattr(ckpt.np, "savez", failing_savez)
    with pytest.raises(OSError, match="disk full"):
        state.save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["checkpoint.npz"]


def test_mismatched_or_broken_checkpoints_are_refused(tmp_path):
    path = tmp_path / "checkpoint.npz"
    trained_state(small_config(hidden=4)).save(path)
    with pytest.raises(ValueError, match="do not match|shape"):
        RunState(small_config(hidden=6)).restore(path)
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip file")
    with pytest.raises(ValueError, match="damaged or not a minirgan checkpoint"):
        ckpt.load_checkpoint(bad)
    np.savez(tmp_path / "other.npz", a=np.zeros(3))
    with pytest.raises(ValueError, match="it lacks step"):
        ckpt.load_checkpoint(tmp_path / "other.npz")
    with pytest.raises(FileNotFoundError):
        ckpt.load_checkpoint(tmp_path / "none.npz")
    assert ckpt.checkpoint_step(tmp_path / "none.npz") is None
    assert ckpt.checkpoint_step(path) == 2
