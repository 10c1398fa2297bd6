"""The cell registry: every recurrent cell of minirgan, and its variants, in one table.

Each row is a :class:`minirgan.recurrence.Cell`, declared beside its math (``rnn.RNN``,
``gru.GRU``, ``lstm.LSTM``). A row gives the cell's parameter names and shapes, its
initialiser, its states (``("h",)`` or ``("h", "c")``), its options, its step functions and its
NumPy and numba sequence passes; ``Cell.forward/backward/step/step_back`` run any of them with
the same interface. Everything that works "for every cell" (the models, ``gradcheck``, the
``minirgan gradcheck`` command, the tests) looks the cell up here instead of branching on its name.

A *variant* is a cell with its options fixed, named ``"rnn"``, ``"rnn-relu"``, ``"gru"``,
``"gru-reset_after"``, ``"lstm"``: the default options keep the bare name, any other value is
appended after a dash (a string value by itself, a True flag by the option's name).
"""

from .gru import GRU
from .lstm import LSTM
from .recurrence import Cell
from .rnn import RNN

CELLS = {cell.name: cell for cell in (RNN, GRU, LSTM)}
CELL_TYPES = tuple(CELLS)            # ("rnn", "gru", "lstm")

# The default of every option of any cell: a cell without the option accepts it at this value
# (so one setting, e.g. TrainConfig.activation = "tanh", can be passed to every cell).
OPTION_DEFAULTS = {key: allowed[0] for cell in CELLS.values() for key, allowed in cell.options.items()}


def get_cell(name):
    """The registry row of ``name``; a clear error for an unknown cell."""
    if name not in CELLS:
        raise ValueError(f"cell must be one of {CELL_TYPES}, got {name!r}")
    return CELLS[name]


def cell_options(name, **options):
    """``(cell, options)``: the row of ``name`` and every option it has, checked.

    Options the cell does not have may be given only at their default (``activation="tanh"``
    for a GRU is fine, ``activation="relu"`` is an error: a GRU has no activation choice).
    """
    cell = get_cell(name)
    for key, value in options.items():
        if key not in cell.options and key in OPTION_DEFAULTS and value not in (None, OPTION_DEFAULTS[key]):
            raise ValueError(f"{key}={value!r} applies to the "
                             f"{' and '.join(n for n, c in CELLS.items() if key in c.options)} cell only, "
                             f"not to {name!r}")
    mine = {k: v for k, v in options.items() if k in cell.options and v is not None}
    return cell, cell.check_options(**mine)


def _variant_name(cell, options):
    parts = [cell.name]
    for key, allowed in cell.options.items():
        value = options[key]
        if value != allowed[0]:
            parts.append(value if isinstance(value, str) else key)
    return "-".join(parts)


def _variants(cell):
    """(name, options) of the cell's variants: its defaults first, then one option changed at a time."""
    if not cell.options:
        return [(cell.name, {})]
    return [(_variant_name(cell, cell.check_options(**{key: value})), cell.check_options(**{key: value}))
            for key, allowed in cell.options.items() for value in allowed]


# Every variant: name -> (cell, options), e.g. "rnn-relu" -> (RNN, {"activation": "relu"}).
VARIANTS = {name: (cell, options) for cell in CELLS.values() for name, options in _variants(cell)}


def get_variant(name):
    """``(cell, options)`` of a variant name such as ``"gru-reset_after"``."""
    if name not in VARIANTS:
        raise ValueError(f"unknown cell {name!r}; expected one of {tuple(VARIANTS)}")
    return VARIANTS[name]


__all__ = ["CELLS", "CELL_TYPES", "VARIANTS", "Cell", "cell_options", "get_cell", "get_variant"]
