"""Measurements in fresh processes and their memory peaks.

The processes come from a ``forkserver`` that has imported torch (and
nothing of this project): each starts with an untouched heap and no
threads, as a ``spawn`` process does, without importing torch again
(seconds per measurement). ``spawn`` where there is no forkserver.

``main_peak_rss_mb`` is the measuring process's peak resident set
(``VmHWM``; ``ru_maxrss`` would start at the parent's peak, which an
exec'd child inherits on Linux); it counts pages of memory-mapped files
too (the gendata output), which the kernel may drop at will.
``main_peak_anon_mb`` is its sampled peak of anonymous memory
(``RssAnon``: heap and arrays), the number that must not grow with the
dataset. ``workers_peak_rss_mb`` is the largest ``ru_maxrss`` of its
reader / DataLoader workers (``RUSAGE_CHILDREN``, over the reaped ones); a
forked worker also counts the pages it shares with its parent.
"""

import multiprocessing
import resource
import threading
import traceback
from typing import Any, Callable, Dict, Optional


def _status_mb(field: str) -> Optional[float]:
    """``field`` of ``/proc/self/status`` in MiB; None off Linux."""
    try:
        with open('/proc/self/status') as file:
            line = next(x for x in file if x.startswith(f'{field}:'))
    except (OSError, StopIteration):
        return None
    return int(line.split()[1]) / 1024


def _peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak RSS in MiB: of this process since exec, or of its children."""
    own = _status_mb('VmHWM') if who == resource.RUSAGE_SELF else None
    return round(own or resource.getrusage(who).ru_maxrss / 1024, 1)


def _with_peaks(work: Callable[[], Dict[str, Any]]) -> Dict[str, Any]:
    """``work()``'s dict plus the memory peaks, ``RssAnon`` sampled in a
    thread every 10 ms."""
    before = _peak_mb()
    samples = [_status_mb('RssAnon')]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.01):
            samples.append(_status_mb('RssAnon'))

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        result = work()
    finally:
        done.set()
        thread.join()
    samples.append(_status_mb('RssAnon'))
    anon = None if None in samples else round(max(samples), 1)
    return dict(
        result, main_peak_rss_before_mb=before,
        main_peak_rss_mb=_peak_mb(),
        main_peak_anon_mb=anon,
        workers_peak_rss_mb=_peak_mb(resource.RUSAGE_CHILDREN))


def _child(sender: Any, func: Callable, args: tuple) -> None:
    try:
        sender.send(('ok', func(*args)))
    except BaseException:
        sender.send(('error', traceback.format_exc()))


def fresh_process_context() -> Any:
    """The multiprocessing context of :func:`run_in_fresh_process`."""
    if 'forkserver' not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context('spawn')
    context = multiprocessing.get_context('forkserver')
    context.set_forkserver_preload(['torch'])
    return context


def run_in_fresh_process(func: Callable, *args: Any) -> Any:
    """``func(*args)`` in a new process; its result or error.

    A plain process, not a pool worker: pool workers are daemons, which
    may not start the reader or DataLoader workers being measured.
    """
    context = fresh_process_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, func, args))
    process.start()
    sender.close()
    try:
        status, payload = receiver.recv()
    except EOFError:
        status, payload = 'error', 'it died without a result'
    process.join()
    if status != 'ok':
        raise RuntimeError(f'{func.__name__} failed in a benchmark process '
                           f'(exit code {process.exitcode}):\n{payload}')
    return payload
