"""Min-max scaling per feature, fitted on the training data and inverted on generated samples."""

import numpy as np

from .checks import DataError


class MinMaxScaler:
    """Map each feature linearly from its [min, max] over all samples and time steps onto
    ``feature_range`` ((0, 1) by default, or e.g. (−1, 1) for a tanh output):

        x' = a + (x − min) · (b − a) / (max − min)          (a, b) = feature_range

    ``fit`` takes (N, T, F) or (T, F) data; ``transform`` and ``inverse_transform`` take any
    array whose last axis holds the F features, e.g. (N, T, F). A constant feature
    (max = min) is a :class:`DataError` naming it, never silently dropped or divided by zero.
    """

    def __init__(self, feature_range=(0.0, 1.0)):
        lo, hi = (float(v) for v in feature_range)
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise ValueError(f"feature_range must be two finite numbers (low, high) with low < high, "
                             f"got {feature_range!r}")
        self.feature_range = (lo, hi)
        self.data_min = None   # (F,)
        self.data_max = None   # (F,)

    def fit(self, data, feature_names=None):
        """Learn per-feature min and max over every axis but the last. ``feature_names`` (F
        strings) name the features in error messages; default "feature j" (0-based)."""
        data = np.asarray(data, dtype=np.float64)
        if data.ndim < 2 or data.size == 0:
            raise DataError(f"cannot fit a scaler on shape {data.shape}: expected (N, T, F) or (T, F) data")
        flat = data.reshape(-1, data.shape[-1])
        if np.isnan(flat).any():           # missing values (--missing mask): bounds of the others
            flat = _observed_columns(flat, feature_names)
            lo, hi = np.nanmin(flat, axis=0), np.nanmax(flat, axis=0)
        else:
            lo, hi = flat.min(axis=0), flat.max(axis=0)
        constant = np.flatnonzero(hi == lo)
        if constant.size:
            j = int(constant[0])
            name = feature_names[j] if feature_names is not None else f"feature {j}"
            raise DataError(f"{name} is constant (every value is {lo[j]:g}): min-max scaling would divide "
                            f"by zero; remove it or give it variation ({constant.size} constant in all)")
        self.data_min, self.data_max = lo, hi
        return self

    def fit_bounds(self, data_min, data_max):
        """Use known bounds instead of fitting (e.g. pixel intensities in [0, 1])."""
        lo = np.atleast_1d(np.asarray(data_min, dtype=np.float64)).copy()
        hi = np.atleast_1d(np.asarray(data_max, dtype=np.float64)).copy()
        if lo.shape != hi.shape or lo.ndim != 1 or not np.all(hi > lo):
            raise ValueError("data_min and data_max must be (F,) arrays with data_max > data_min everywhere")
        self.data_min, self.data_max = lo, hi
        return self

    def _fitted(self, x, name):
        if self.data_min is None:
            raise ValueError("MinMaxScaler is not fitted: call fit(data) first")
        x = np.asarray(x, dtype=np.float64)
        F = self.data_min.shape[0]
        if x.ndim < 1 or x.shape[-1] != F:
            raise ValueError(f"{name} must have the {F} fitted features on its last axis, got shape {x.shape}")
        return x

    def transform(self, x):
        """Scale x (..., F) to feature_range."""
        x = self._fitted(x, "x")
        a, b = self.feature_range
        return a + (x - self.data_min) * ((b - a) / (self.data_max - self.data_min))

    def inverse_transform(self, y):
        """Map scaled values y (..., F) back to the data's original units."""
        y = self._fitted(y, "y")
        a, b = self.feature_range
        return self.data_min + (y - a) * ((self.data_max - self.data_min) / (b - a))

    def to_dict(self):
        """Arrays only, for an ``.npz`` checkpoint: data_min (F,), data_max (F,), feature_range (2,)."""
        if self.data_min is None:
            raise ValueError("MinMaxScaler is not fitted: nothing to save")
        return {"data_min": self.data_min.copy(), "data_max": self.data_max.copy(),
                "feature_range": np.array(self.feature_range)}

    @classmethod
    def from_dict(cls, d):
        """The scaler that ``to_dict`` described."""
        missing = [k for k in ("data_min", "data_max", "feature_range") if k not in d]
        if missing:
            raise ValueError(f"scaler state is missing {missing}")
        return cls(tuple(np.asarray(d["feature_range"]).tolist())).fit_bounds(d["data_min"], d["data_max"])


def _observed_columns(flat, feature_names):
    """``flat`` (M, F) with NaN at missing values; a DataError if a feature has no value at all."""
    empty = np.flatnonzero(np.isnan(flat).all(axis=0))
    if empty.size:
        j = int(empty[0])
        name = feature_names[j] if feature_names is not None else f"feature {j}"
        raise DataError(f"{name} has no values (every one is missing): remove it")
    return flat
