"""Per-sequence attributes of a data set (``--static-columns``, docs/attributes.md): read one
value set per sequence, and the codec between those values and the attribute vector a (N, A)
that G's attribute head (minirgan/models/attributes.py) generates and D reads.

A long table (``--sequence-key``) gives each sequence its attributes: the static columns must
hold one value throughout a sequence (a row that disagrees is refused, naming the sequence).
A column all of whose values are numbers is numeric (min-max scaled to [0, 1] in a); any other
is categorical, its categories sorted as the labels are (numbers before text), one-hot in a.
``decode`` gives the values back, a categorical one under its original name.
Shapes: N sequences, S static columns, A attribute columns.
"""

from dataclasses import dataclass

import numpy as np

from .checks import DataError
from .labels import LabelMap
from .long_table import sequence_values

KINDS = ("numeric", "categorical")


@dataclass(frozen=True)
class Attribute:
    """One attribute: name, kind ("numeric" or "categorical") and, for a categorical one, its
    categories (as the data write them; column k of its one-hot is categories[k])."""
    name: str
    kind: str
    categories: tuple = ()

    @property
    def width(self):
        return 1 if self.kind == "numeric" else len(self.categories)


def blocks(attributes):
    """[(attribute, start, stop)]: each attribute's columns in the attribute vector."""
    out, start = [], 0
    for attr in attributes:
        out.append((attr, start, start + attr.width))
        start += attr.width
    return out


def sequence_attributes(static, rows, keys, names, where):
    """(N, S) object: each sequence's value of each static column (``static`` (T, S) per row)."""
    why = "an attribute (--static-columns) is constant within a sequence"
    return np.column_stack([sequence_values(static[:, s], rows, keys, where, f"{names[s]!r}", why)
                            for s in range(static.shape[1])])


def _is_number(v):
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)


class AttributeCodec:
    """Attribute values (N, S) object ↔ the attribute vector a (N, A).

    ``attributes``: one :class:`Attribute` per static column; ``bounds``: {name: (min, max)} of
    the numeric ones."""

    def __init__(self, attributes, bounds):
        self.attributes, self.bounds = list(attributes), dict(bounds)
        self.width = sum(a.width for a in self.attributes)

    @classmethod
    def fit(cls, values, names, where="the data"):
        """The codec of ``values`` (N, S) object for the static columns ``names``."""
        attributes, bounds = [], {}
        for s, name in enumerate(names):
            column = list(values[:, s])
            if all(_is_number(v) for v in column):
                lo, hi = float(min(column)), float(max(column))
                if hi == lo:
                    raise DataError(f"{where}: attribute {name!r} is {lo:g} for every sequence: it tells the "
                                    f"sequences nothing apart; leave it out of --static-columns")
                attributes.append(Attribute(name, "numeric"))
                bounds[name] = (lo, hi)
            else:
                categories = LabelMap.fit(np.array(column, dtype=object), where=f"{where}, {name!r}")[0].classes
                if len(categories) < 2:
                    raise DataError(f"{where}: attribute {name!r} is {categories[0]!r} for every sequence; "
                                    f"leave it out of --static-columns")
                attributes.append(Attribute(name, "categorical", tuple(categories)))
        return cls(attributes, bounds)

    def encode(self, values):
        """(N, S) object → a (N, A) float64: numeric scaled to [0, 1], categorical one-hot."""
        a = np.zeros((len(values), self.width))
        for s, (attr, i, j) in enumerate(blocks(self.attributes)):
            if attr.kind == "numeric":
                lo, hi = self.bounds[attr.name]
                a[:, i] = (values[:, s].astype(np.float64) - lo) / (hi - lo)
            else:
                index = {c: k for k, c in enumerate(attr.categories)}
                a[np.arange(len(values)), i + np.array([index[v] for v in values[:, s]], dtype=int)] = 1.0
        return a

    def decode(self, a):
        """a (N, A) → (N, S) object: numeric values in the data's units, categorical ones as the
        data name them (the argmax of the block)."""
        out = np.empty((len(a), len(self.attributes)), dtype=object)
        for s, (attr, i, j) in enumerate(blocks(self.attributes)):
            if attr.kind == "numeric":
                lo, hi = self.bounds[attr.name]
                out[:, s] = [float(v) for v in lo + np.clip(a[:, i], 0.0, 1.0) * (hi - lo)]
            else:
                out[:, s] = [attr.categories[k] for k in np.argmax(a[:, i:j], axis=1)]
        return out

    def to_json(self):
        return [{"name": a.name, "kind": a.kind, "categories": list(a.categories),
                 **({"bounds": list(self.bounds[a.name])} if a.kind == "numeric" else {})}
                for a in self.attributes]

    @classmethod
    def from_json(cls, items):
        attributes = [Attribute(d["name"], d["kind"], tuple(d["categories"])) for d in items]
        return cls(attributes, {d["name"]: tuple(d["bounds"]) for d in items if d["kind"] == "numeric"})
