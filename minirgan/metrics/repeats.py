"""Independent repeats of a post-hoc score, in this process or in several at once.

TimeGAN's protocols repeat each post-hoc score 10 times, each repeat a fresh model trained
from scratch; the repeats share nothing, so on a machine with several cores they can run side
by side. Each repeat gets its own seed, all drawn from the caller's rng before the first repeat
runs, so the scores are the same whatever the number of processes (``workers``) computing them
(``tests/test_repeats.py``).

Worker processes come from ``worker_pool.spawn_pool`` (a fresh interpreter each, and none
outlives this process however it ends); each loads the compiled kernels from numba's disk
cache, caps its BLAS at one thread, as ``minirgan train`` and ``evaluate`` do, and ignores
SIGINT: Ctrl-C in a terminal reaches the whole process group, and the parent alone reports it
(once) and stops the workers (:func:`abandon_pools`). Starting them takes a second or two, so
the pool of a given size is kept for the next call and shut down when Python exits.
A script that passes ``workers > 1`` must guard its top level with
``if __name__ == "__main__":`` (spawn imports the main module again in each worker).
"""

import atexit
import contextlib
import os
import signal
import threading
from concurrent.futures import FIRST_COMPLETED, wait
from concurrent.futures.process import BrokenProcessPool

import numpy as np
from tqdm import tqdm   # the plain bar: tqdm.auto warns in notebooks without ipywidgets

from ..datasets.checks import check_count
from ..worker_pool import spawn_pool, stop_pool

_SEED_BOUND = np.iinfo(np.int64).max


def repeat_seeds(rng, repeats):
    """``repeats`` seeds (Python ints) drawn from the np.random.Generator ``rng``, one per repeat."""
    return [int(s) for s in rng.integers(0, _SEED_BOUND, size=check_count("repeats", repeats))]


def available_cores():
    """The cores this process may run on (its CPU affinity where the OS reports one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:                                  # macOS, Windows
        return os.cpu_count() or 1


@contextlib.contextmanager
def _sigint_held_back():
    """Block SIGINT in this thread while it starts workers: they inherit the mask (spawn's exec
    keeps it), so a Ctrl-C that reaches them while they import is held back until
    :func:`_start_worker` ignores it. The caller's mask is restored after (a SIGINT held back
    meanwhile is then delivered to this process as usual)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _start_worker():
    """A worker's set-up: SIGINT ignored (the parent handles Ctrl-C), one BLAS thread."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})   # see _sigint_held_back
    from threadpoolctl import threadpool_limits
    threadpool_limits(limits=1, user_api="blas")           # for the worker's lifetime


_POOLS = {}                                                # workers -> a live ProcessPoolExecutor
_POOLS_LOCK = threading.Lock()                             # several threads may ask at once
_ABANDONED = threading.Event()                             # set by abandon_pools: no new pool


def _pool(workers):
    with _POOLS_LOCK:
        if _ABANDONED.is_set():                            # the process is stopping (Ctrl-C)
            raise BrokenProcessPool("the worker pools were stopped")
        if workers not in _POOLS:                          # workers that never outlive us
            _POOLS[workers] = spawn_pool(workers, initializer=_start_worker)
        return _POOLS[workers]


def abandon_pools():
    """Stop every pool's workers now, mid-repeat (on Ctrl-C or SIGTERM in the parent): their
    pending futures fail with BrokenProcessPool, so threads waiting on them return at once; no
    pool is started afterwards (a thread still submitting gets BrokenProcessPool too)."""
    with _POOLS_LOCK:
        _ABANDONED.set()
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        stop_pool(pool)


@atexit.register
def _shut_down_pools():
    for pool in _POOLS.values():
        pool.shutdown(cancel_futures=True)
    _POOLS.clear()


def run_repeats(task, seeds, workers=1, desc="repeats", progress=False):
    """``[task(seed) for seed in seeds]``, in order, computed by ``workers`` processes.

    task: a picklable callable of one seed (a module-level function or a functools.partial of
    one); workers: 1 runs the repeats here, one after another; more hands them to a pool of that
    many processes (one pool per size, shared by every caller, also by several threads at once:
    ``evaluate`` scores three metrics side by side), so the computing never happens in the
    caller's threads. progress: a tqdm bar over the finished repeats.
    """
    seeds = list(seeds)
    workers = check_count("workers", workers)
    with tqdm(total=len(seeds), desc=desc, disable=not progress, leave=False) as bar:
        if workers == 1:
            results = []
            for seed in seeds:
                results.append(task(seed))
                bar.update()
            return results
        try:
            with _sigint_held_back():                   # submit starts the workers
                futures = [_pool(workers).submit(task, seed) for seed in seeds]
            pending = set(futures)
            while pending:
                done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                bar.update(len(done))
                if _ABANDONED.is_set():                 # Ctrl-C in the parent: stop waiting
                    # (the pending futures are left to the pool's manager thread, which fails
                    # them: cancelling one here made it raise InvalidStateError, see worker_pool.stop_pool)
                    raise BrokenProcessPool("the worker pools were stopped")
            return [f.result() for f in futures]
        except BrokenProcessPool:
            with _POOLS_LOCK:
                broken = _POOLS.pop(workers, None)              # a fresh pool next time
            if broken is not None:
                broken.shutdown(wait=False)
            raise
