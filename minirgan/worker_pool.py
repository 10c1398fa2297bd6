"""Process pools whose workers never outlive the process that owns them.

:func:`spawn_pool` starts every worker process of the library (the sweep's local pool,
``sweep/executors.py``, and evaluate's repeats, ``metrics/repeats.py``): a ``ProcessPoolExecutor``
started with "spawn" (fresh interpreters: no fork of a process that holds BLAS or tqdm threads)
whose every worker first runs :func:`watch_owner`.

Why: when the owner dies without shutting its pool down (SIGKILL, or SIGTERM to a plain script
whose default action ends it at once), its workers are re-parented and nothing tells them. A
busy one trained its run to the end, then, like an idle one, waited for a next task forever
(seen: one spinning at 90 % CPU in ``_process_worker`` -> ``Queue.get``), and a resumed sweep
met a run folder still being written by it.

How: a daemon thread in each worker blocks on the owner's sentinel
(``multiprocessing.parent_process().sentinel``, a pipe whose other end only the owner holds:
it becomes readable the moment the owner dies, however it dies; a process handle on Windows),
and checks ``os.getppid()`` once a second as a fallback. When the owner is gone it sends the
worker SIGTERM: a training run stops after its current step, checkpoints it and returns, as on
Ctrl-C (``guards.StopOnInterrupt``), so the run resumes; an idle worker, or one doing anything
that does not handle SIGTERM, ends at once (the default action). As soon as nothing handles
SIGTERM any more (the run has checkpointed and returned) it ends the process (exit code 143),
and after :data:`GRACE_SECONDS` whatever the process is doing.

Not ``prctl(PR_SET_PDEATHSIG)``: Linux sends that signal when the *thread* that started the
worker ends, not the process, and a pool starts its workers from whichever thread calls
``submit`` (``evaluate`` scores three metrics in threads that end while their pool lives on): it
would kill the workers of a live pool. The sentinel is per process, portable and immediate.
"""

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.connection import wait

from .errors import TERMINATED

POLL_SECONDS = 1.0          # how often the fallback checks the parent's pid, and the stop its progress
GRACE_SECONDS = 60.0        # an orphan's longest stop: one training step and its checkpoint


def spawn_pool(workers, initializer=None):
    """A spawn ``ProcessPoolExecutor`` of ``workers`` processes, each watching this process
    (:func:`watch_owner`) and then running ``initializer()`` (a module-level function) if given."""
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start_worker, initargs=(os.getpid(), initializer))


def terminate_workers(pool):
    """Send every worker of ``pool`` SIGTERM now (``Process.terminate``; on Windows it ends them
    at once): a training run checkpoints its current step and stops, anything else ends."""
    # Python < 3.14 has no public way to stop a pool's busy workers
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def stop_pool(pool, wait=False):
    """Stop ``pool`` now, mid-task (its owner got Ctrl-C or SIGTERM): SIGTERM to every worker,
    then its shutdown (``wait``: until the workers have ended, e.g. checkpointed their runs). Its
    pending futures are left to the pool's manager thread, which fails them with
    BrokenProcessPool once it sees the workers gone; cancelling them here first made that thread
    raise InvalidStateError (a traceback on stderr, seen under load)."""
    terminate_workers(pool)
    # The task queue's feeder thread may be blocked writing into the pipe of a worker now gone;
    # multiprocessing joins that thread at exit, which then hangs forever: let the exit skip it.
    call_queue = getattr(pool, "_call_queue", None)
    if call_queue is not None:
        call_queue.cancel_join_thread()
    pool.shutdown(wait=wait)


def _start_worker(owner_pid, initializer):
    watch_owner(owner_pid)
    # tqdm's default lock holds a multiprocessing semaphore, useless in a spawned worker (no
    # other process shares it) and reported as leaked by the resource tracker when a stopped
    # worker ends early (Ctrl-C of a sweep printed that warning under its one line)
    from tqdm import tqdm
    tqdm.set_lock(threading.RLock())
    if initializer is not None:
        initializer()


def watch_owner(owner_pid):
    """Start the daemon thread that stops this process when the process ``owner_pid`` (its
    parent) ends (see the module). Returns the thread."""
    parent = multiprocessing.parent_process()
    sentinel = parent.sentinel if parent is not None and parent.pid == owner_pid else None
    thread = threading.Thread(target=_watch, args=(owner_pid, sentinel), daemon=True,
                              name="minirgan-watch-owner")
    thread.start()
    return thread


def owner_gone(owner_pid, sentinel, timeout):
    """True once the owner has ended: its sentinel became readable within ``timeout`` seconds,
    or this process has another parent now (re-parented to init or a subreaper)."""
    if sentinel is not None:
        if wait([sentinel], timeout):
            return True
    else:
        time.sleep(timeout)
    return os.getppid() != owner_pid


def _watch(owner_pid, sentinel):
    while not owner_gone(owner_pid, sentinel, POLL_SECONDS):
        pass
    stop_orphan()


def stop_orphan(grace=GRACE_SECONDS, poll=POLL_SECONDS / 4):
    """End this process gracefully (see the module): SIGTERM, then ``os._exit`` as soon as
    nothing handles SIGTERM, or after ``grace`` seconds."""
    deadline = time.monotonic() + grace
    os.kill(os.getpid(), signal.SIGTERM)       # training: stop after this step, checkpointed
    while time.monotonic() < deadline:
        time.sleep(poll)
        if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, signal.SIG_IGN, None):
            break                              # the run has checkpointed and returned
    os._exit(TERMINATED)
