"""Per-sequence attributes (minirgan/models/attributes.py, docs/attributes.md): the
Gumbel-softmax (M8) and its straight-through use, the attribute head (M9) and a series read
beside its attributes (M10), gradient-checked in float64 with random non-zero weights and biases."""

import numpy as np
import pytest

from minirgan.gradcheck import numerical_gradient, relative_error
from minirgan.models import Discriminator
from minirgan.models.attributes import (Attribute, AttributeGenerator, gumbel_noise, gumbel_softmax_backward,
                                        gumbel_softmax_forward, with_attributes, with_attributes_backward)

ATTRS = [Attribute("age", "numeric"), Attribute("sex", "categorical", ("f", "m")),
         Attribute("device", "categorical", ("a", "b", "c"))]


@pytest.mark.parametrize("tau", [1.0, 0.5])
def test_M8_gumbel_softmax_gradient_matches_finite_differences(tau):
    """M8: ∂L/∂o = (1/τ) y ∘ (ḡ − ⟨ḡ, y⟩), float64, at a fixed Gumbel draw."""
    rng = np.random.default_rng(0)
    logits, g = rng.normal(size=(4, 3)), gumbel_noise((4, 3), rng)
    dy = rng.normal(size=(4, 3))
    y, cache = gumbel_softmax_forward(logits, g, tau)
    assert np.allclose(y.sum(axis=1), 1) and np.all(y > 0)
    numeric = numerical_gradient(lambda: gumbel_softmax_forward(logits, g, tau)[0], logits, dy)
    assert relative_error(gumbel_softmax_backward(dy, cache), numeric) < 1e-8


def test_M8_straight_through_emits_one_hots_and_passes_the_relaxed_gradient():
    rng = np.random.default_rng(1)
    logits, g = rng.normal(size=(6, 4)), gumbel_noise((6, 4), rng)
    hard, hard_cache = gumbel_softmax_forward(logits, g, 0.5, hard=True)
    soft, soft_cache = gumbel_softmax_forward(logits, g, 0.5)
    assert np.array_equal(hard.sum(axis=1), np.ones(6)) and set(np.unique(hard)) == {0.0, 1.0}
    assert np.array_equal(hard.argmax(axis=1), soft.argmax(axis=1))
    dy = rng.normal(size=(6, 4))
    assert np.array_equal(gumbel_softmax_backward(dy, hard_cache), gumbel_softmax_backward(dy, soft_cache))


def test_M8_gumbel_max_samples_the_softmax_of_the_logits():
    """argmax(o + g) is a sample of softmax(o): the frequencies over 20,000 draws (the estimator's
    premise), within 0.01."""
    rng = np.random.default_rng(2)
    logits = np.array([[1.0, 0.0, -1.0]])
    draws = gumbel_softmax_forward(np.repeat(logits, 20000, 0), gumbel_noise((20000, 3), rng), hard=True)[0]
    p = np.exp(logits[0]) / np.exp(logits[0]).sum()
    assert np.abs(draws.mean(axis=0) - p).max() < 0.01


def test_M9_attribute_head_gradients_match_finite_differences():
    """M9 (with M8 relaxed): every parameter's gradient, float64, random non-zero weights and biases."""
    rng = np.random.default_rng(3)
    head = AttributeGenerator(ATTRS, noise_dim=3, hidden=5, tau=0.7, rng=4)
    for k in head.params:
        head.params[k] = rng.normal(0, 0.7, head.params[k].shape)
    z, g = head.noise(4, rng)
    da = rng.normal(size=(4, head.width))
    a, cache = head.forward(z, g, hard=False)
    assert a.shape == (4, 6) and np.all((a[:, 0] > 0) & (a[:, 0] < 1))
    grads = head.backward(da, cache)
    for key, value in head.params.items():
        numeric = numerical_gradient(lambda: head.forward(z, g, hard=False)[0], value, da)
        assert relative_error(grads[key], numeric) < 1e-7, key
    hard = head.forward(z, g)[0]
    assert np.array_equal(hard[:, 1:3].sum(1), np.ones(4)) and np.array_equal(hard[:, 3:].sum(1), np.ones(4))
    rows = head.decode(hard)
    assert rows[0]["sex"] in ("f", "m") and rows[0]["device"] in ("a", "b", "c") and 0 < rows[0]["age"] < 1


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_M10_D_reading_attributes_beside_the_series_matches_finite_differences(backend):
    """M10: ∂/∂x and ∂/∂a of D([x_t, a]) through a GRU D, float64."""
    rng = np.random.default_rng(5)
    N, T, F, A = 3, 4, 2, 3
    D = Discriminator(F + A, hidden=4, readout="per_step", rng=6, backend=backend)
    for k in D.params:
        D.params[k] = rng.normal(0, 0.5, D.params[k].shape)
    x, a, dl = rng.normal(size=(N, T, F)), rng.normal(size=(N, A)), rng.normal(size=N)
    logits, cache = D.forward(with_attributes(x, a))
    dx, da = with_attributes_backward(D.backward(dl, cache)[0], F)
    f = lambda: D.forward(with_attributes(x, a))[0]
    assert relative_error(dx, numerical_gradient(f, x, dl)) < 1e-7
    assert relative_error(da, numerical_gradient(f, a, dl)) < 1e-7


def _patients(rng, n=12):
    import pandas as pd
    rows = []
    for k in range(n):
        for t in range(int(rng.integers(4, 9))):
            rows.append({"id": f"p{k}", "sex": ["f", "m"][k % 2], "age": 20 + 3 * k,
                         "hr": rng.normal(70, 5), "bp": rng.normal(120, 9)})
    return pd.DataFrame(rows)


def test_static_columns_of_a_long_table_give_one_value_set_per_sequence_and_round_trip():
    from minirgan.data import load_dataset
    from minirgan.datasets.attributes import AttributeCodec

    frame = _patients(np.random.default_rng(7))
    data, _, info = load_dataset(frame, sequence_key="id", static_columns="sex,age")
    assert data.shape[2] == 2 and all("sex" not in f and "age" not in f for f in info["feature_names"])
    values = np.array(info["attributes"]["values"], dtype=object)
    assert info["attributes"]["names"] == ["sex", "age"] and values.shape == (12, 2)
    assert list(values[:3, 0]) == ["f", "m", "f"] and list(values[:3, 1]) == [20, 23, 26]
    codec = AttributeCodec.fit(values, info["attributes"]["names"])
    a = codec.encode(values)
    assert a.shape == (12, 3) and np.array_equal(a[:, :2].sum(1), np.ones(12)) and a[:, 2].min() == 0 == 1 - a[:, 2].max()
    back = AttributeCodec.from_json(codec.to_json()).decode(a)
    assert list(back[:, 0]) == list(values[:, 0]) and np.allclose(back[:, 1].astype(float), values[:, 1].astype(float))


def test_static_columns_are_refused_when_they_change_within_a_sequence_or_have_no_sequences():
    from minirgan.data import load_dataset
    from minirgan.datasets.checks import DataError

    frame = _patients(np.random.default_rng(8))
    frame.loc[1, "sex"] = "x"
    with pytest.raises(DataError, match=r"sequence 'p0' has more than one 'sex' \('f' and 'x'\).*constant within"):
        load_dataset(frame, sequence_key="id", static_columns="sex")
    with pytest.raises(DataError, match="--sequence-key"):
        load_dataset(frame[["hr", "bp", "age"]], static_columns="age")
    with pytest.raises(DataError, match="keep each sequence whole"):
        load_dataset(_patients(np.random.default_rng(8)), sequence_key="id", static_columns="sex,age", seq_len=3)


def test_training_with_static_columns_generates_attributes_with_the_datas_frequencies(tmp_path):
    """A long table of 150 sequences (6–10 steps) with a categorical attribute (70 % 'f') and a
    numeric one (uniform 20–80) that shift the series; 300 steps (numpy backend, ~8 s). The
    generated share of 'f' within 0.08 of the data's, the scaled age's mean within 0.08 and
    its standard deviation within 30 %; every generated category block a one-hot."""
    import pandas as pd
    from minirgan.config import TrainConfig
    from minirgan.train import train

    rng = np.random.default_rng(0)
    rows = []
    for k in range(150):
        sex, age = ("f" if rng.uniform() < 0.7 else "m"), float(rng.uniform(20, 80))
        level = 60 + 0.3 * age + (10 if sex == "m" else 0)
        rows += [{"id": k, "sex": sex, "age": age, "hr": level + rng.normal(0, 2)}
                 for _ in range(int(rng.integers(6, 11)))]
    path = tmp_path / "patients.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    config = TrainConfig(data=str(path), sequence_key="id", static_columns="sex,age", hidden=16, batch=32,
                         iterations=300, backend="numpy", metrics_every=0, checkpoint_every=10000)
    state, _ = train(config, out_dir=tmp_path / "run", progress=False, figures=False)
    assert [a["name"] for a in state.config.attributes] == ["sex", "age"]
    fake = state.sampler.sample(2000, np.random.default_rng(1))[:, 0, -3:]
    real = state.data[:, 0, -3:]
    assert set(np.unique(fake[:, :2])) == {0.0, 1.0} and np.array_equal(fake[:, :2].sum(1), np.ones(2000))
    assert abs(fake[:, 0].mean() - real[:, 0].mean()) < 0.08
    assert abs(fake[:, 2].mean() - real[:, 2].mean()) < 0.08
    assert abs(fake[:, 2].std() / real[:, 2].std() - 1) < 0.3


def test_cli_trains_with_static_columns_and_samples_them_under_their_names(tmp_path, capsys):
    import pandas as pd
    from minirgan.cli import main

    frame = _patients(np.random.default_rng(9), n=20)
    path = tmp_path / "p.csv"
    frame.to_csv(path, index=False)
    run = tmp_path / "run"
    tiny = ["--iterations", "3", "--batch", "8", "--hidden", "5", "--noise-dim", "2", "--no-progress"]
    assert main(["train", "--data", str(path), "--sequence-key", "id", "--static-columns", "sex,age",
                 "--out", str(run)] + tiny) == 0
    path.unlink()                                   # resume and sample read the run's data.npz only
    assert main(["train", "--data", str(path), "--sequence-key", "id", "--static-columns", "sex,age",
                 "--out", str(run), "--resume", "--iterations", "4", "--no-progress"]) == 0
    assert main(["sample", str(run), "-n", "6", "-o", str(tmp_path / "s.csv")]) == 0
    out = pd.read_csv(tmp_path / "s.csv")
    assert list(out.columns) == ["id", "hr", "bp", "sex", "age"]
    assert set(out["sex"]) <= {"f", "m"} and out["age"].between(20, 20 + 3 * 19).all()
    assert (out.groupby("id")[["sex", "age"]].nunique() == 1).all().all()     # constant per sequence
    assert main(["sample", str(run), "-n", "6", "-o", str(tmp_path / "s.npz")]) == 0
    with np.load(tmp_path / "s.npz") as f:
        assert f["x"].shape[2] == 2 and set(f["attribute_sex"]) <= {"f", "m"} and f["attribute_age"].shape == (6,)
    capsys.readouterr()
    assert main(["evaluate", str(run), "--fast"]) == 2          # not misread as more features
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--static-columns" in err
