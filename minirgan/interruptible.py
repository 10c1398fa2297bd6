"""Waiting on futures so that Ctrl-C always gets through.

Python runs a signal's handler in the main thread only, and only once that thread is awake. The
kernel hands a signal sent to the process (Ctrl-C's SIGINT, SIGTERM) to *one* of its threads,
usually the main one but not always: when it picks another (a pool's manager or feeder thread,
tqdm's monitor, a BLAS thread), a main thread asleep on a lock with no timeout
(``Future.result()``, ``concurrent.futures.wait`` without one) is not woken, and the handler
waits until the future is done: minutes, for evaluate's repeats. Sending SIGINT to a thread
other than the main one reproduces it every time (``tests/test_failures.py``, "Ctrl-C taken by
another thread"); before this module, 4 of 5 full test runs of 2026-12-05 lost evaluate's Ctrl-C.

So every wait of the main thread on other threads or processes goes through here: it sleeps in
slices of :data:`SLICE` seconds, and Python runs a pending handler between two slices.
"""

from concurrent.futures import FIRST_COMPLETED, wait

SLICE = 0.2                    # seconds: the longest a Ctrl-C taken by another thread waits


def wait_first(futures):
    """(done, pending) as ``concurrent.futures.wait(futures, return_when=FIRST_COMPLETED)``,
    waiting in slices (see the module)."""
    pending = set(futures)
    while True:
        done, pending = wait(pending, timeout=SLICE, return_when=FIRST_COMPLETED)
        if done or not pending:
            return done, pending


def results(futures):
    """``[f.result() for f in futures]``, in order, waiting in slices (see the module); the
    first failure raises as soon as its future is done."""
    futures = list(futures)
    pending = set(futures)
    while pending:
        done, pending = wait_first(pending)
        for future in done:
            future.result()                 # a failure raises here, before the others finish
    return [f.result() for f in futures]
