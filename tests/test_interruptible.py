"""The main thread's waits on futures heed a signal taken by another thread
(minirgan/interruptible.py); the command-line cases are in tests/test_failures.py."""

import signal
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from minirgan.interruptible import SLICE, results, wait_first


class _Interrupt(Exception):
    pass


def _raise(signum, frame):
    raise _Interrupt


def _signal_this_thread_soon():
    """A thread other than the main one takes the signal, as the kernel may choose."""
    time.sleep(0.3)
    signal.pthread_kill(threading.get_ident(), signal.SIGUSR1)


@pytest.mark.parametrize("waiting", [lambda f: wait_first([f]), lambda f: results([f])],
                         ids=["wait_first", "results"])
def test_a_signal_taken_by_another_thread_reaches_a_waiting_main_thread(waiting):
    never = Future()                                   # the work in hand: done in 10 s
    done_later = threading.Timer(10, never.set_result, args=(None,))
    done_later.start()
    previous = signal.signal(signal.SIGUSR1, _raise)
    try:
        other = threading.Thread(target=_signal_this_thread_soon)
        other.start()
        started = time.monotonic()
        with pytest.raises(_Interrupt):
            waiting(never)
        assert time.monotonic() - started < 0.3 + 5 * SLICE
    finally:
        signal.signal(signal.SIGUSR1, previous)
        other.join()
        done_later.cancel()


def test_results_are_in_order_and_the_first_failure_raises():
    with ThreadPoolExecutor(3) as pool:
        futures = [pool.submit(lambda i=i: (time.sleep(0.05 * (3 - i)), i)[1]) for i in range(3)]
        assert results(futures) == [0, 1, 2]
        failing = [pool.submit(time.sleep, 5), pool.submit(lambda: 1 / 0)]
        started = time.monotonic()
        with pytest.raises(ZeroDivisionError):
            results(failing)
        assert time.monotonic() - started < 2         # not after the slow one


def test_wait_first_returns_the_done_and_the_pending():
    done_one, never = Future(), Future()
    done_one.set_result(1)
    done, pending = wait_first([done_one, never])
    assert done == {done_one} and pending == {never}
