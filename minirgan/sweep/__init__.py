"""Many runs, one table: a sweep of settings × training seeds on the executor the user has.

``run_sweep(out, base, settings, seeds, ...)`` (``runner``) turns every combination of the
settings' values and every seed into an ordinary run folder under ``out`` (``grid``), trains,
samples and scores each one as a task of a ``concurrent.futures.Executor`` (``task``,
``executors``: a local process pool, or a Dask cluster's executor), and writes ``sweep.csv``,
``summary.md`` and ``scores.png`` (``report``). The command line is ``minirgan sweep``; see
docs/sweeps.md.
"""

from .grid import RunSpec, grid, parse_seeds, parse_setting
from .intervals import t_interval
from .runner import run_sweep

__all__ = ["RunSpec", "grid", "parse_seeds", "parse_setting", "run_sweep", "t_interval"]
