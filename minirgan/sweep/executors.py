"""The one seam a sweep runs through: a ``concurrent.futures.Executor``.

* ``local_pool(workers)``: a process pool on this machine, one process per core by default,
  started with "spawn" (fresh interpreters: no fork of a process holding BLAS or tqdm threads);
  its workers stop (a training run checkpointed) when the process that owns the pool dies
  (``minirgan.worker_pool``).
* ``dask_executor(address)``: the executor of a Dask distributed cluster whose scheduler
  listens at ``address`` (``tcp://HOST:PORT``); needs ``pip install "minirgan[dask]"``.

Either yields (executor, description). The sweep only calls ``submit`` and waits on the
futures, so any other Executor (a thread pool, an MPI or Ray executor) plugs in through
``run_sweep(executor=...)``. Each task is one seeded run that caps its BLAS at one thread, so
its result does not depend on which executor ran it.
"""

from contextlib import contextmanager

from ..errors import Terminated, UserError
from ..worker_pool import spawn_pool, stop_pool

CONNECT_TIMEOUT = "20s"


@contextmanager
def local_pool(workers):
    """(a spawn ProcessPoolExecutor of ``workers`` processes, its description)."""
    pool = spawn_pool(workers)
    try:
        yield pool, f"a local pool of {workers} process{'es' if workers > 1 else ''}"
    except Terminated:
        # SIGTERM to the sweep's process alone (kill PID, a service manager): pass it on, so each
        # worker checkpoints its run and stops as the sweep does (Ctrl-C in a terminal reaches
        # them itself), and wait for that, not for every run to finish
        stop_pool(pool, wait=True)
        raise
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)     # runs not started are not started
        raise
    pool.shutdown(wait=True)


@contextmanager
def dask_executor(address):
    """(the Executor of the Dask cluster at ``address``, its description); UserError if Dask is
    not installed or the scheduler cannot be reached."""
    try:
        from distributed import Client
    except ImportError:
        raise UserError('--scheduler needs Dask distributed: pip install "minirgan[dask]"') from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as err:
        raise UserError(f"--scheduler: cannot reach a Dask scheduler at {address} ({err})") from None
    try:
        workers = len(client.scheduler_info().get("workers", {}))
        # pure=False: every task runs, even two with equal arguments (none are, but a rerun is)
        yield client.get_executor(pure=False), f"the Dask cluster at {address} ({workers} workers)"
    finally:
        client.close()


def open_executor(workers=None, scheduler=None):
    """The executor for ``--workers`` / ``--scheduler`` (a context manager, see above)."""
    if scheduler is not None:
        return dask_executor(scheduler)
    from ..metrics.repeats import available_cores
    return local_pool(available_cores() if workers is None else workers)
