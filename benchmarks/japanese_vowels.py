"""The worked example of docs/your_data.md: the Japanese Vowels as a long CSV, trained and measured.

The data set (Kudo, Toyama & Shimbo 1999, UCI Machine Learning Repository, CC BY 4.0): 640
utterances of the vowels /ae/ by 9 male Japanese speakers, each a sequence of 7 to 29 frames of
12 LPC cepstrum coefficients, labelled by speaker. It ships inside the sktime package on PyPI
(``sktime/datasets/data/JapaneseVowels/*.ts``, sktime is BSD-3); this script reads the two
``.ts`` files from an installed sktime or from its wheel (``pip download sktime --no-deps``)
without importing sktime, and writes the long table minirgan reads:

    utterance,frame,c1,...,c12,speaker

    python benchmarks/japanese_vowels.py csv SKTIME_WHEEL_OR_DIR vowels.csv
    minirgan train --data vowels.csv --sequence-key utterance --time-column frame \\
        --label-column speaker --iterations 600 --out runs/vowels
    minirgan sample runs/vowels -n 640 -o generated.csv
    python benchmarks/japanese_vowels.py figure runs/vowels docs/images/vowels_lengths.png

``figure`` draws the real and generated length distributions per speaker in one figure (the
generated lengths are drawn as ``sample`` draws them) and prints mean and spread per class.
"""

import os
import sys
import zipfile

import numpy as np

FILES = ("JapaneseVowels_TRAIN.ts", "JapaneseVowels_TEST.ts")
INSIDE = "sktime/datasets/data/JapaneseVowels/"


def read_ts(text):
    """A multivariate ``.ts`` file of unequal lengths (its text) -> (sequences: list of (L, F)
    arrays, labels: list of str). Each data line holds F dimensions separated by ':', each a
    comma-separated series, then the class label."""
    sequences, labels = [], []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "@")):
            continue
        *dims, label = line.split(":")
        series = [np.array([float(v) for v in d.split(",")]) for d in dims]
        if len({len(s) for s in series}) != 1:
            raise ValueError(f"the dimensions of one case differ in length: {[len(s) for s in series]}")
        sequences.append(np.stack(series, axis=1))
        labels.append(label.strip())
    return sequences, labels


def read_source(source):
    """The .ts texts of both files from an sktime wheel or a folder holding them (an installed
    sktime's ``datasets/data/JapaneseVowels``, or any folder with the two files)."""
    if zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as z:
            return [z.read(INSIDE + name).decode() for name in FILES]
    found = []
    for name in FILES:
        for folder in (source, os.path.join(source, "datasets", "data", "JapaneseVowels")):
            if os.path.exists(os.path.join(folder, name)):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    found.append(f.read())
                break
        else:
            raise FileNotFoundError(f"{name} is not in {source}")
    return found


def write_long_csv(sequences, labels, path):
    """One row per frame: utterance (0-based), frame (0-based), c1..c12, speaker."""
    import pandas as pd

    F = sequences[0].shape[1]
    rows = []
    for n, (x, label) in enumerate(zip(sequences, labels)):
        for t, step in enumerate(x):
            rows.append([n, t, *step, label])
    pd.DataFrame(rows, columns=["utterance", "frame", *[f"c{j + 1}" for j in range(F)], "speaker"]) \
        .to_csv(path, index=False)


def figure(run_dir, out, n=None, seed=0):
    """Real and generated lengths per speaker in one figure; prints the per-class numbers."""
    from matplotlib.figure import Figure

    from minirgan.run import Run, balanced_classes

    run = Run(run_dir)
    saved = run.run_data()
    K = len(run.label_map)
    n = len(saved.lengths) if n is None else n
    classes = balanced_classes(n, K)
    generated = run.sample_lengths(n, seed, classes)
    fig = Figure(figsize=(10, 4.5), layout="constrained")
    ax = fig.add_subplot()
    spread = []
    for k in range(K):
        real = saved.lengths[saved.classes == k]
        fake = generated[classes == k]
        spread.append((run.label_map.classes[k], real.mean(), real.std(), fake.mean(), fake.std()))
        parts = ax.violinplot([real, fake], positions=[3 * k, 3 * k + 1], showmeans=True)
        for body, colour in zip(parts["bodies"], ("tab:blue", "tab:orange")):
            body.set_facecolor(colour)
    ax.set_xticks([3 * k + 0.5 for k in range(K)], [f"speaker {c}" for c in run.label_map.classes])
    ax.set_ylabel("sequence length (frames)")
    ax.set_title("Japanese Vowels: lengths of real (blue) and generated (orange) utterances per speaker")
    fig.savefig(out, dpi=110)
    print("speaker  real mean ± sd   generated mean ± sd   |Δmean|/mean  |Δsd|/sd")
    for label, rm, rs, fm, fs in spread:
        print(f"{label:>7}  {rm:5.1f} ± {rs:4.1f}      {fm:5.1f} ± {fs:4.1f}          "
              f"{abs(fm - rm) / rm:6.1%}      {abs(fs - rs) / rs:6.1%}")


def main(argv):
    if len(argv) == 3 and argv[0] == "csv":
        sequences, labels = [], []
        for text in read_source(argv[1]):
            s, l = read_ts(text)
            sequences += s
            labels += l
        write_long_csv(sequences, labels, argv[2])
        lengths = [len(s) for s in sequences]
        print(f"wrote {len(sequences)} sequences of {min(lengths)} to {max(lengths)} steps x "
              f"{sequences[0].shape[1]} features, {len(set(labels))} speakers, to {argv[2]}")
    elif len(argv) == 3 and argv[0] == "figure":
        figure(argv[1], argv[2])
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
