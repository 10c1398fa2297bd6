"""A sweep's ``scores.png``: each score per setting, one dot per training seed, and the mean
with its 95 % Student-t interval (``minirgan.sweep`` computes them)."""

import numpy as np

from .figure import axes_grid, save


def plot_sweep_scores(labels, values, intervals, path):
    """One panel per score: x the settings (``labels``, K strings), y the score.

    values: {score heading: K lists, each the per-seed values of one setting (may be empty)};
    intervals: {score heading: K (mean, half-width) pairs, half-width nan for one seed}.
    """
    fig, axes = axes_grid(1, len(values), max(2.6, 0.7 * len(labels) + 1.2), 3.2)
    x = np.arange(len(labels))
    for ax, (heading, per_setting) in zip(axes[0], values.items()):
        for k, seeds in enumerate(per_setting):
            if not seeds:
                continue
            jitter = np.linspace(-0.12, 0.12, len(seeds)) if len(seeds) > 1 else np.zeros(1)
            ax.plot(k + jitter, seeds, "o", ms=4, alpha=0.6, color="tab:blue",
                    label="one seed" if k == 0 else None)
            mean, half = intervals[heading][k]
            ax.errorbar(k + 0.3, mean, yerr=None if np.isnan(half) else half, fmt="s", ms=5,
                        color="black", capsize=3, label="mean ± 95 % t-interval" if k == 0 else None)
        ax.set_xticks(x)
        ax.set_xticklabels(labels, rotation=30, ha="right", fontsize=8)
        ax.set_xlim(-0.6, len(labels) - 0.2)
        ax.set_xlabel("setting")
        ax.set_ylabel("score (unitless)")
        ax.set_title(heading, fontsize=9)
    axes[0, 0].legend(fontsize=7)
    return save(fig, path, dpi=90)
