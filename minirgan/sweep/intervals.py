"""The mean ± 95 % Student-t interval that the literature's tables report (Diffusion-TS, ICLR
2024: over 5 runs), used for a sweep's seeds and for a score's repeats on one model."""

import numpy as np


def t_interval(values, level=0.95):
    """(mean, half-width of the two-sided Student-t interval) of a few values; the half-width
    is nan for a single value. ``values`` (n,) floats."""
    from scipy import stats
    values = np.asarray(values, dtype=np.float64)
    if len(values) < 2:
        return float(values.mean()), float("nan")
    half = stats.t.ppf(0.5 + level / 2, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
    return float(values.mean()), float(half)


def mean_pm(values, digits=3):
    """"0.050 ± 0.012" (the t-interval), or "0.050" for one value."""
    mean, half = t_interval(values)
    return f"{mean:.{digits}f}" + ("" if np.isnan(half) else f" ± {half:.{digits}f}")
