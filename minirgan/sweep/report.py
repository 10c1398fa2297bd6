"""A sweep's three outputs, from its runs' rows: ``sweep.csv`` (one row per run),
``summary.md`` (one row per setting: mean ± 95 % t-interval over the seeds and each seed's value,
with the published rows of the benchmark data sets) and ``scores.png`` (the scores per setting).
"""

import csv
import math
import os

from ..atomic import atomic_path
from .grid import setting_label
from .intervals import mean_pm, t_interval
from .published import PUBLISHED, PUBLISHED_FLOOR, benchmark_of

SWEEP_FILES = {"csv": "sweep.csv", "summary": "summary.md", "figure": "scores.png"}
# the scores of each scoring, in the summary's and the figure's order: (column, heading)
SCORE_COLUMNS = {
    "evaluate": [("discriminative", "discriminative ↓"), ("predictive", "predictive ↓"),
                 ("context_fid", "context-FID ↓"), ("correlational", "correlational ↓"),
                 ("coverage", "coverage ↑")],
    "quick": [("mmd2", "MMD² ↓"), ("acf_distance", "autocorrelation distance ↓"),
              ("diversity", "diversity ratio (1 = real's)")]}
SCORING_TEXT = {"full": "`minirgan evaluate` (TimeGAN's protocols, 10 repeats of the post-hoc scores)",
                "fast": "`minirgan evaluate --fast` (short post-hoc training, 1 repeat: a quick "
                        "look, not comparable with published numbers)",
                "quick": "the training log's quick metrics only (MMD², autocorrelation distance, "
                         "diversity ratio, on 500 sequences of each set)"}
TIMING = ["steps", "resumed_from", "train_seconds", "steps_per_second", "score_seconds",
          "wall_seconds", "host"]


def score_columns(scoring):
    return SCORE_COLUMNS["quick" if scoring == "quick" else "evaluate"]


def sweep_table(specs, rows):
    """(columns, rows): the finished runs' rows (dicts) in the grid's order, and the columns of
    sweep.csv: the setting's keys, seed, run, status, every score, then the timings."""
    table = [rows[spec.name] for spec in specs if spec.name in rows]
    keys = list(dict.fromkeys(k for spec in specs for k, _ in spec.setting))
    present = list(dict.fromkeys(c for row in table for c in row))
    first = keys + ["seed", "run", "status"]
    last = [c for c in TIMING + ["error"] if c in present]
    return first + [c for c in present if c not in first + last] + last, table


def _settings(specs, table):
    """[(label, the rows of its runs that were scored)] in the grid's order."""
    label_of = {spec.name: spec.label for spec in specs}
    groups = {spec.label: [] for spec in specs}
    for row in table:
        if row.get("status") == "ok":
            groups[label_of[row["run"]]].append(row)
    return list(groups.items())


def _mean(runs, column):
    return sum(r[column] for r in runs) / len(runs)


def _cell(values):
    if not values:
        return "–"
    each = ", ".join(f"{v:.3f}" for v in values)
    return f"{mean_pm(values)} ({each})" if len(values) > 1 else mean_pm(values)


def _published_tables(specs, scoring):
    """The published rows of each benchmark data set the sweep trains on (Markdown blocks)."""
    if scoring == "quick":
        return []
    blocks = []
    for name in dict.fromkeys(filter(None, (benchmark_of(spec.config) for spec in specs))):
        rows = [f"| published ({name}) | discriminative ↓ | predictive ↓ | context-FID ↓ | correlational ↓ |",
                "|---|---|---|---|---|",
                f"| real data | – | {PUBLISHED_FLOOR[name]} | – | – |"]
        rows += [f"| {m} | {d} | {p} | {c}{'†' if c != '–' else ''} | {r} |"
                 for m, d, p, c, r in PUBLISHED[name]]
        blocks.append("\n".join(rows))
    if blocks:
        blocks.append("Published: Diffusion-TS (ICLR 2024) Tables 1–2 and ImagenTime (NeurIPS "
                      "2024); their ± is a 95 % interval over 5 repeats of the metric on one trained "
                      "model, not over training seeds. † TS2Vec's context-FID, not on minirgan's "
                      "scale (docs/metrics.md)."
                      + (" This sweep used --fast scoring: its numbers are not comparable with "
                         "these." if scoring == "fast" else ""))
    return blocks


def summary_markdown(title, specs, table, scoring, seeds, changed, wall_seconds=None):
    """summary.md: one row per setting, the published rows, the runs not scored or not finished.
    ``table`` is the list of rows of ``sweep_table``."""
    columns = score_columns(scoring)
    repeats = scoring != "quick" and any(not math.isnan(r.get("discriminative_repeats_ci", math.nan))
                                         for r in table)
    head = ["setting", "seeds"] + [h for _, h in columns] + \
        (["discriminative: repeats' ±"] if repeats else []) + ["steps/s", "training (s)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for label, runs in _settings(specs, table):
        cells = [label, str(len(runs))] + [_cell([r[c] for r in runs]) for c, _ in columns]
        if repeats:
            cells.append(f"{_mean(runs, 'discriminative_repeats_ci'):.3f}" if runs else "–")
        cells += [f"{_mean(runs, 'steps_per_second'):.1f}" if runs else "–",
                  f"{_mean(runs, 'train_seconds'):.0f}" if runs else "–"]
        lines.append("| " + " | ".join(cells) + " |")
    base = "`minirgan train` defaults" + (f" with {', '.join(f'{k}={v}' for k, v in changed.items())}"
                                          if changed else "")
    text = [f"# Sweep: {title}",
            f"{len(specs)} runs: {len(specs) // max(len(seeds), 1)} setting(s) × seeds "
            f"{', '.join(map(str, seeds))}. Base configuration: {base}. Scored with "
            f"{SCORING_TEXT[scoring]}.",
            "\n".join(lines),
            "Each score: mean ± 95 % Student-t interval over the training seeds, then every seed's "
            "value in seed order. " + ("\"discriminative: repeats' ±\" is the mean over the seeds "
                                       "of the 95 % interval over the metric's repeats on one "
                                       "model (how Diffusion-TS reports its spread). " if repeats else "")
            + "steps/s and seconds: training only, wall clock, on the worker that ran it."]
    bad = [r for r in table if r.get("status") != "ok"]
    if bad:
        text.append("Not scored: " + "; ".join(f"{r['run']} ({r['status']})" for r in bad))
    have = {r["run"] for r in table}
    missing = [s.name for s in specs if s.name not in have]
    if missing:
        text.append(f"Not finished yet ({len(missing)}): {', '.join(missing)}; run the same command "
                    "again to finish them.")
    text += _published_tables(specs, scoring)
    if wall_seconds is not None:
        text.append(f"This invocation took {wall_seconds / 60:.1f} min of wall-clock time.")
    return "\n\n".join(text) + "\n"


def write_report(folder, specs, rows, scoring, seeds, changed, wall_seconds=None, figure=True):
    """Write sweep.csv, summary.md and (``figure``) scores.png into ``folder``; returns the rows
    of sweep.csv (a list of dicts, in the grid's order). ``rows`` maps a run's name to its row."""
    columns, table = sweep_table(specs, rows)
    paths = {k: os.path.join(folder, v) for k, v in SWEEP_FILES.items()}
    _atomic(paths["csv"], lambda tmp: _write_csv(tmp, columns, table))
    text = summary_markdown(os.path.basename(os.path.abspath(folder)), specs, table, scoring, seeds,
                            changed, wall_seconds)
    _atomic(paths["summary"], lambda tmp: _write_text(tmp, text))
    settings = _settings(specs, table)
    if figure and any(runs for _, runs in settings):
        from ..plots.sweep import plot_sweep_scores
        values = {heading: [[r[c] for r in runs] for _, runs in settings]
                  for c, heading in score_columns(scoring)}
        intervals = {heading: [t_interval(v) if v else None for v in per_setting]
                     for heading, per_setting in values.items()}
        _atomic(paths["figure"], lambda tmp: plot_sweep_scores([label for label, _ in settings],
                                                               values, intervals, tmp))
    return table


def _write_csv(path, columns, table):
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(table)


def _write_text(path, text):
    with open(path, "w") as f:
        f.write(text)


def _atomic(path, write):
    """Call ``write(tmp)`` on a temporary name beside ``path`` (same extension), then rename it
    (``minirgan.atomic``, the one helper every writer goes through)."""
    with atomic_path(path) as tmp:
        write(tmp)
