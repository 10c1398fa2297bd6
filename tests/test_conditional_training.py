"""Conditional training end to end: the labels reach config.json, ``sample --label`` speaks the
user's labels, a labels .npy beside a data file works, and the mismatch term is in D's step."""

import json

import numpy as np
import pytest

from minirgan.cli import main
from minirgan.config import TrainConfig
from minirgan.models import Discriminator, Generator
from minirgan.models.condition import mismatched, one_hot
from minirgan.run import Run, RunState, balanced_classes, build_optimizer
from minirgan.train import train_step

from test_same_seed_checksum import HASWELL_ONLY, digest_in_subprocess

TINY = ["--iterations", "3", "--batch", "8", "--hidden", "4", "--noise-dim", "2",
        "--checkpoint-every", "3", "--metrics-every", "0", "--no-progress"]


def test_conditional_digits_run_and_sample_by_label(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["train", "--data", "uci-digits", "--conditional", "--n-data", "60",
                 "--out", str(run)] + TINY) == 0
    config = json.loads((run / "config.json").read_text())
    assert config["conditional"] and config["classes"] == list(range(10))
    assert main(["sample", str(run), "-n", "6", "--label", "3", "-o", str(tmp_path / "s3.npy")]) == 0
    assert np.load(tmp_path / "s3.npy").shape == (6, 8, 8)
    assert np.load(tmp_path / "s3_labels.npy").tolist() == [3] * 6
    assert main(["sample", str(run), "-n", "20", "-o", str(tmp_path / "all.npy")]) == 0
    assert np.bincount(np.load(tmp_path / "all_labels.npy")).tolist() == [2] * 10
    capsys.readouterr()
    assert main(["sample", str(run), "-n", "2", "--label", "eleven"]) == 2
    assert "unknown label 'eleven'" in capsys.readouterr().err


def test_string_labels_from_a_labels_file(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.random((40, 6, 2)) * 10
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "y.npy", np.array(["up", "down"] * 20))
    run = tmp_path / "run"
    assert main(["train", "--data", str(tmp_path / "x.npy"), "--labels", str(tmp_path / "y.npy"),
                 "--out", str(run)] + TINY) == 0
    opened = Run(run)
    assert opened.config.classes == ["down", "up"]
    samples, labels = opened.labelled_samples(4, label="up")
    assert samples.shape == (4, 6, 2) and labels.tolist() == ["up"] * 4


def test_unconditional_runs_refuse_a_label(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["train", "--data", "uci-digits", "--n-data", "40", "--out", str(run)] + TINY) == 0
    capsys.readouterr()
    assert main(["sample", str(run), "-n", "2", "--label", "3"]) == 2
    assert "not a conditional run" in capsys.readouterr().err


def test_classes_in_the_config_fix_the_order_and_must_match_the_data():
    config = TrainConfig(data="rcgan-sines", n_data=30, conditional=True,
                         classes=["slow", "medium", "fast"], hidden=4, iterations=1)
    state = RunState(config)
    bands = np.array(["slow", "medium", "fast"])[state.conditions.argmax(axis=1)]
    assert set(bands) == {"slow", "medium", "fast"}
    with pytest.raises(ValueError, match="not the data's labels"):
        RunState(TrainConfig(data="rcgan-sines", n_data=30, conditional=True,
                             classes=["slow", "fast"], hidden=4))
    with pytest.raises(ValueError, match="conditional=True"):
        TrainConfig(labels="y.npy").validate()


def test_mismatched_conditions_are_always_another_class():
    rng = np.random.default_rng(0)
    c = one_hot(rng.integers(0, 4, size=500), 4)
    wrong = mismatched(c, rng)
    assert wrong.sum(axis=1).tolist() == [1.0] * 500
    assert not np.any(wrong.argmax(axis=1) == c.argmax(axis=1))
    assert len(set(wrong.argmax(axis=1).tolist())) == 4
    assert balanced_classes(7, 3).tolist() == [0, 0, 0, 1, 1, 2, 2]


@pytest.mark.parametrize("mismatch", [0.0, 1.0])
def test_train_step_with_conditions_updates_d_with_the_mismatch_term(mismatch):
    """The step with mismatch = 0 is the conditional GAN alone; > 0 adds D's wrong-class term,
    so D moves differently from the same starting point and the same random stream."""
    def step(weight):
        rng = np.random.default_rng(1)
        config = TrainConfig(batch=8, d_steps=1, mismatch=weight, conditional=True, classes=[0, 1, 2])
        G = Generator(2, 5, noise_dim=2, hidden=4, rng=0, condition_dim=3)
        D = Discriminator(2, hidden=4, rng=0, condition_dim=3)
        real = rng.random((30, 5, 2))
        cond = one_hot(rng.integers(0, 3, size=30), 3)
        record = train_step(G, D, build_optimizer(config, 1e-2), build_optimizer(config, 1e-2),
                            real, rng, config, cond)
        return record, D.params["out.W_hy"].copy()
    record, w = step(mismatch)
    assert ("d_mismatch" in record) == (mismatch > 0)
    _, w_plain = step(0.0)
    assert np.array_equal(w, w_plain) == (mismatch == 0.0)


def test_a_csv_label_column_through_the_cli(tmp_path):
    t = np.arange(120)
    rows = ["state,a,b"] + [f"{'calm' if k < 60 else 'wild'},{np.sin(0.1 * k):.4f},{k % 7}" for k in t]
    (tmp_path / "s.csv").write_text("\n".join(rows) + "\n")
    run = tmp_path / "run"
    assert main(["train", "--data", str(tmp_path / "s.csv"), "--label-column", "state",
                 "--seq-len", "6", "--out", str(run)] + TINY) == 0
    opened = Run(run)
    assert opened.config.conditional and opened.config.classes == ["calm", "wild"]
    assert opened.labelled_samples(3, label="wild")[0].shape == (3, 6, 2)


def test_a_run_with_the_condition_in_the_state_trains_samples_by_label_and_resumes(tmp_path, capsys):
    """--condition-at state: config.json keeps it, the checkpoint holds the embedding's weights,
    sample --label uses them, --resume continues the same run, and changing it on resume is refused."""
    run = tmp_path / "run"
    assert main(["train", "--data", "uci-digits", "--conditional", "--condition-at", "state",
                 "--n-data", "60", "--out", str(run)] + TINY) == 0
    assert json.loads((run / "config.json").read_text())["condition_at"] == "state"
    opened = Run(run)
    G = opened.generator
    assert G.condition_at == "state" and "init0.W_h0" in G.params
    assert G.params["rnn0.W_z"].shape == (4, 4 + 2)          # [h, z]: the class is not in the input
    assert main(["sample", str(run), "-n", "6", "--label", "3", "-o", str(tmp_path / "s3.npy")]) == 0
    threes, sevens = opened.labelled_samples(6, seed=1, label=3)[0], opened.labelled_samples(6, seed=1, label=7)[0]
    assert np.load(tmp_path / "s3.npy").shape == (6, 8, 8) and not np.allclose(threes, sevens)
    assert main(["train", "--out", str(run), "--resume", "--iterations", "6", "--no-progress"]) == 0
    resumed = Run(run)
    assert resumed.step == 6 and not np.array_equal(resumed.generator.params["init0.W_h0"], G.params["init0.W_h0"])
    capsys.readouterr()
    assert main(["train", "--out", str(run), "--resume", "--condition-at", "both", "--no-progress"]) == 2
    assert "condition_at: 'state' -> 'both'" in capsys.readouterr().err


def test_a_bad_condition_entry_is_named_on_the_command_line_and_in_the_config(tmp_path, capsys):
    with pytest.raises(SystemExit):                     # argparse: not one of the choices
        main(["train", "--conditional", "--condition-at", "hidden"])
    assert "invalid choice: 'hidden'" in capsys.readouterr().err
    assert main(["train", "--data", "uci-digits", "--condition-at", "state", "--out",
                 str(tmp_path / "r")] + TINY) == 2
    assert "--condition-at 'state' places the class of a conditional run only" in capsys.readouterr().err
    with pytest.raises(ValueError, match="condition_at must be one of"):
        TrainConfig(conditional=True, condition_at="hidden").validate()
    with pytest.raises(ValueError, match="set conditional=True"):
        TrainConfig(condition_at="both").validate()
    assert TrainConfig.from_dict({"conditional": True}).condition_at == "input"   # older config.json


# A conditional run with the condition at every step's input (the default, condition_at="input")
# computes bitwise what it did before condition_at existed: these digests were produced by the
# code of main at ee08339, in a subprocess with OpenBLAS's Haswell kernels as in
# test_same_seed_checksum.py (whose reasons apply), when the step moment loss was off by default
# (so the script turns it off).
INPUT_DIGESTS = {"numpy": "a400c38c39b80c127737a70993671cebfd15dac5ee44484a1ec08d405c3630d6",
                 "numba": "097de9fd52b00014139bd78a185b86a9bb454fbd820e59cf2acf5de5aa4ad821"}
INPUT_SCRIPT = """
import hashlib, os, sys, tempfile
import numpy as np
from minirgan.config import TrainConfig
from minirgan.train import train
from minirgan.run import Run
out = os.path.join(tempfile.mkdtemp(), "run")
config = TrainConfig(data="uci-digits", conditional=True, n_data=100, hidden=8, batch=16,
                     iterations=10, checkpoint_every=10, metrics_every=0, backend=sys.argv[1],
                     step_moment_loss=0.0)
train(config, out, progress=False, figures=False)
samples, labels = Run(out).labelled_samples(20, seed=0)
print(hashlib.sha256(np.ascontiguousarray(samples).tobytes()).hexdigest())
"""


@HASWELL_ONLY
@pytest.mark.parametrize("backend", sorted(INPUT_DIGESTS))
def test_the_default_condition_at_input_run_is_bitwise_unchanged(backend):
    assert digest_in_subprocess(INPUT_SCRIPT, backend) == INPUT_DIGESTS[backend]
