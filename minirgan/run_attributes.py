"""A run's data with each sequence's attributes beside every step (M10, docs/attributes.md).

It joins the data layer's attribute codec (datasets/attributes.py) with G's and D's view of
attributes as channels (models/attributes.py), so it sits above both, in the run's layer.
"""

import numpy as np

from .datasets.attributes import AttributeCodec
from .datasets.checks import DataError
from .datasets.scaler import MinMaxScaler
from .models.attributes import with_attributes


def with_run_attributes(info, data, scaler, masks=None):
    """A run's data with each sequence's attributes as channels (M10): (the codec's JSON, data
    (N, T, F + A), the scaler extended by A channels kept in [0, 1], masks (N, T, F + A) with
    the attributes observed, or None). ``info["attributes"]`` holds the values (data.npz)."""
    if "attributes" not in info:
        raise DataError("this run's data have no attributes: static_columns needs a long table "
                        "with --sequence-key and --static-columns")
    values = np.array(info["attributes"]["values"], dtype=object)
    codec = AttributeCodec.fit(values, info["attributes"]["names"], info.get("source", "the data"))
    a = codec.encode(values).astype(data.dtype)
    width = codec.width
    extended = MinMaxScaler(scaler.feature_range).fit_bounds(
        np.concatenate([scaler.data_min, np.zeros(width)]), np.concatenate([scaler.data_max, np.ones(width)]))
    if masks is not None:
        masks = np.concatenate([masks, np.ones(masks.shape[:2] + (width,), masks.dtype)], axis=2)
    return codec.to_json(), with_attributes(data, a), extended, masks
