"""The RNN's activation (E1's f, tanh or ReLU) reaches every layer: the registry, RecurrentStack,
Generator and Discriminator, TrainConfig, ``minirgan train --activation`` and a run's checkpoint.
Tutorial 4's exercise asks for a ReLU RNN GAN; before issue 10 it could not be built."""

import json

import numpy as np
import pytest

import minirgan as mr
from conftest import randomise
from minirgan.cli import main
from minirgan.config import TrainConfig
from minirgan.gradcheck import numerical_gradient, relative_error
from minirgan.models import Discriminator, Generator, RecurrentStack


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_E1_relu_stack_is_rnn_forward_with_relu(backend, rng):
    stack = RecurrentStack("rnn", 3, 5, layers=1, activation="relu")
    params = randomise(stack.init_params(rng), rng)
    x = rng.standard_normal((4, 6, 3))
    h, _ = stack.forward(x, params, backend=backend)
    layer = {k.split(".", 1)[1]: v for k, v in params.items()}
    expected, _ = mr.rnn_forward(x, None, layer, activation="relu", backend="numpy")
    tanh, _ = mr.rnn_forward(x, None, layer, activation="tanh", backend="numpy")
    assert np.max(np.abs(h - expected)) < 1e-12
    assert (h == 0).any() and np.max(np.abs(h - tanh)) > 1e-2
    # the step-wise path (the autoregressive generator's) uses the same f
    states, masks = stack.start(4)
    h_t, _, _ = stack.step_forward(x[:, 0], states, params, masks, 0)
    assert np.array_equal(h_t, expected[:, 0])


def test_E1_relu_discriminator_gradients_match_finite_differences(rng):
    D = Discriminator(2, hidden=4, layers=2, cell="rnn", activation="relu", readout="mean", rng=rng)
    randomise(D.params, rng)
    x = rng.standard_normal((3, 5, 2))
    logits, cache = D.forward(x)
    dout = rng.standard_normal(logits.shape)
    dx, grads = D.backward(dout, cache)
    f = lambda: D.forward(x)[0]
    assert relative_error(dx, numerical_gradient(f, x, dout)) < 1e-6
    for name, arr in D.params.items():
        assert relative_error(grads[name], numerical_gradient(f, arr, dout)) < 1e-6, name


def test_generator_takes_the_activation():
    relu = Generator(2, 6, noise_dim=3, hidden=4, cell="rnn", activation="relu", rng=0)
    tanh = Generator(2, 6, noise_dim=3, hidden=4, cell="rnn", rng=0)
    assert relu.stack.options == {"activation": "relu"} and tanh.stack.options == {"activation": "tanh"}
    z = np.random.default_rng(1).standard_normal((5, 6, 3))
    assert not np.allclose(relu.forward(z)[0], tanh.forward(z)[0])


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_relu_is_refused_for_a_gated_cell_everywhere(cell):
    for build in (lambda: RecurrentStack(cell, 2, 3, activation="relu"),
                  lambda: TrainConfig(cell=cell, activation="relu").validate()):
        with pytest.raises(ValueError, match=f"activation='relu' applies to the rnn cell only, not to '{cell}'"):
            build()
    RecurrentStack(cell, 2, 3, activation="tanh")       # the default is accepted by every cell


def test_unknown_activation_is_refused():
    with pytest.raises(ValueError, match=r"activation must be one of \('tanh', 'relu'\)"):
        TrainConfig(cell="rnn", activation="sigmoid").validate()
    with pytest.raises(ValueError, match="activation must be one of"):
        RecurrentStack("rnn", 2, 3, activation="sigmoid")


def test_cli_trains_a_relu_rnn_gan_and_its_checkpoint_samples_with_relu(tmp_path):
    try:
        from minirgan.run import load_generator           # after issue 10's run module
    except ImportError:
        from minirgan.commands.sample import load_generator
    run = tmp_path / "run"
    assert main(["train", "--cell", "rnn", "--activation", "relu", "--n-data", "40", "--out", str(run),
                 "--iterations", "2", "--batch", "8", "--hidden", "5", "--noise-dim", "2",
                 "--seq-len", "8", "--checkpoint-every", "2", "--metrics-every", "0", "--no-progress"]) == 0
    config = json.loads((run / "config.json").read_text())
    assert config["cell"] == "rnn" and config["activation"] == "relu"
    G = load_generator(str(run))[0]
    assert G.stack.options == {"activation": "relu"}


def test_cli_refuses_relu_for_the_gru_in_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["train", "--activation", "relu", "--no-progress"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "applies to the rnn cell only" in err[0]
    assert not (tmp_path / "runs").exists()
