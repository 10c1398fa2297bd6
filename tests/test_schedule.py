"""The learning-rate decay (minirgan/schedule.py): the factor's shape, the rates a run really
steps with, a resumed run that steps with the same rates, and old checkpoints that still resume."""

import os
import signal

import numpy as np
import pytest

from conftest import small_train_config
from minirgan.config import TrainConfig
from minirgan.guards import TrainingInterrupted
from minirgan.run import check_resumable
from minirgan.schedule import lr_factor, set_learning_rates
from minirgan.train import train


def test_the_factor_is_constant_then_falls_linearly_to_one_over_n_plus_one():
    iterations, decay = 100, 0.3                     # n = 30 decaying steps: 71..100
    f = np.array([lr_factor(s, iterations, decay) for s in range(1, iterations + 1)])
    assert np.all(f[:70] == 1.0)
    np.testing.assert_allclose(f[70:], np.arange(30, 0, -1) / 31)
    assert np.all(np.diff(f[69:]) < 0) and f[-1] > 0
    assert all(lr_factor(s, iterations, 0.0) == 1.0 for s in (1, 50, 100))
    whole = [lr_factor(s, 10, 1.0) for s in range(1, 11)]      # decay over the whole run
    np.testing.assert_allclose(whole, np.arange(10, 0, -1) / 11)


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan")])
def test_a_decay_outside_0_1_is_refused(bad):
    with pytest.raises(ValueError, match="lr_decay"):
        TrainConfig(lr_decay=bad).validate()


def config(**kw):
    return small_train_config(**{"iterations": 10, "lr_decay": 0.5, "lr_g": 2e-3, "lr_d": 1e-3,
                                 "checkpoint_every": 3, **kw})


def test_the_run_steps_with_the_decayed_rates(tmp_path):
    state, _ = train(config(), tmp_path, progress=False, figures=False)
    last = lr_factor(10, 10, 0.5)                    # 1/6
    assert state.opt_g.lr == pytest.approx(2e-3 * last) and state.opt_d.lr == pytest.approx(1e-3 * last)
    # decayed rates move the weights less than constant ones from the same start
    constant, _ = train(config(lr_decay=0.0), tmp_path / "constant", progress=False, figures=False)
    assert not np.array_equal(state.G.params["out.W_hy"], constant.G.params["out.W_hy"])


def test_a_run_stopped_by_ctrl_c_and_resumed_is_the_uninterrupted_run(tmp_path, monkeypatch):
    whole, _ = train(config(), tmp_path / "whole", progress=False, figures=False)
    import minirgan.train as train_module

    def ctrl_c_at_step_7(state, cfg, step):
        if step == 7:                              # inside the decay (steps 6..10)
            os.kill(os.getpid(), signal.SIGINT)
        set_learning_rates(state, cfg, step)
    monkeypatch.setattr(train_module, "set_learning_rates", ctrl_c_at_step_7)
    with pytest.raises(TrainingInterrupted):
        train(config(), tmp_path / "part", progress=False, figures=False)
    monkeypatch.undo()
    resumed, _ = train(config(), tmp_path / "part", resume=True, progress=False, figures=False)
    assert resumed.opt_g.lr == whole.opt_g.lr
    for model in ("G", "D"):
        for k, w in getattr(whole, model).params.items():
            np.testing.assert_array_equal(w, getattr(resumed, model).params[k])


def test_a_checkpoint_from_before_the_field_still_resumes():
    saved = TrainConfig().to_dict()
    del saved["lr_decay"]                          # written by a minirgan without lr_decay
    check_resumable(TrainConfig(), saved)
    with pytest.raises(ValueError, match="lr_decay"):
        check_resumable(TrainConfig(lr_decay=0.5), saved)
