"""Pick a backbone's routes by timing the candidates on the real input,
once per architecture, pass, input shape, dtype and thread count (the way
``cudnn.benchmark`` does on GPUs); the choice is kept in memory and in
:class:`RouteCache` so later runs on this machine do not measure again."""
import hashlib
import itertools
import time
from typing import Any, Callable, Dict, List, Mapping, Sequence, Tuple

import torch
from mmengine.logging import print_log

from .route_cache import forget_open_caches, shared_cache
from .route_options import (
    DEFAULT_ROUTES,
    LAYER_ROUTES,
    PER_LAYER,
    ROUTE_OPTIONS,
)

REPEATS = 2  # timed runs per candidate, after one warm-up run
SLOW_PASS = 0.25  # seconds; slower candidates are timed once...
CLOSE_CALL = 0.1  # ...unless the best two are this close: then twice
_CHOSEN: Dict[str, Dict[str, str]] = {}


def pass_routes(training: bool) -> Tuple[str, ...]:
    """The routes besides ``memory_format`` that a channels-last pass
    takes: the weight gradient only in training, the BatchNorm folding
    only in eval, the temporal convolution's algorithm and the graph
    convolution's projection in both."""
    if training:
        return ('weight_grad', 'projection', 'temporal')
    return ('eval_bn', 'projection', 'temporal')


def candidate_routes(training: bool,
                     forced: Mapping[str, str]) -> List[Dict[str, str]]:
    """The distinct route sets worth timing for one pass: every
    combination of :func:`pass_routes` on channels-last, and the
    contiguous layout (which takes none of them). The layer routes
    (:data:`LAYER_ROUTES`) are not combined: left open they are
    ``per_layer``, measured per layer shape inside the pass
    (:mod:`.layer_tuner`)."""
    names = pass_routes(training)
    values = [(_layer_route(name, forced),) if name in LAYER_ROUTES
              else ROUTE_OPTIONS[name] for name in names]
    candidates = [dict(zip(names, combination), memory_format='channels_last')
                  for combination in itertools.product(*values)]
    candidates.append({'memory_format': 'contiguous'})
    full = [{**DEFAULT_ROUTES, **candidate} for candidate in candidates]
    fixed = {name: value for name, value in forced.items()
             if value != 'auto'}
    kept: List[Dict[str, str]] = []
    for routes in full:
        if any(_matters(name, routes, training) and routes[name] != value
               for name, value in fixed.items()):
            continue  # a forced route rules this set out
        merged = {**routes, **fixed}
        if merged not in kept:
            kept.append(merged)
    return kept


def _layer_route(name: str, forced: Mapping[str, str]) -> str:
    """A layer route as forced, else ``per_layer``."""
    value = forced.get(name, 'auto')
    return PER_LAYER if value == 'auto' else value


def _matters(name: str, routes: Mapping[str, str], training: bool) -> bool:
    """Whether route ``name`` changes anything in this set and pass."""
    if name == 'memory_format':
        return True
    if routes['memory_format'] != 'channels_last':
        return False
    return name in pass_routes(training)


def time_candidates(run: Callable[[Any], None],
                    candidates: Sequence[Any]) -> List[float]:
    """Wall time (seconds) of ``run`` per candidate, interleaved so load
    changes hit all alike. Every candidate runs once untimed first: its
    first pass pays for allocations and kernel set-up (on a Sapphire
    Rapids Xeon a pass was up to 1.8x slower for its first three runs,
    which made whichever route was timed first look slow and picked a
    training route 6% slower than the best). Then the best of
    :data:`REPEATS` rounds, each in the reverse order of the one before,
    or the one reversed round alone when every candidate takes more than
    :data:`SLOW_PASS` (repeating costs whole training steps) and the
    fastest two differ by more than :data:`CLOSE_CALL`: on a shared VM
    one pass can be 10-20% slow, and a single round picked the slower of
    two eval routes 7% apart (Zen 4)."""
    order = list(range(len(candidates)))
    times: List[List[float]] = [[] for _ in candidates]
    for repeat in range(REPEATS + 1):
        for index in order:
            start = time.perf_counter()
            run(candidates[index])
            times[index].append(time.perf_counter() - start)
        order.reverse()
        if (repeat == 1 and min(t[0] for t in times) > SLOW_PASS
                and not _close_call([t[1] for t in times])):
            return [t[1] for t in times]
    return [min(t[1:]) for t in times]


def _close_call(times: Sequence[float]) -> bool:
    """Whether the fastest two of ``times`` lie within
    :data:`CLOSE_CALL` of each other."""
    if len(times) < 2:
        return False
    first, second = sorted(times)[:2]
    return second < first * (1 + CLOSE_CALL)


def architecture_name(module: torch.nn.Module) -> str:
    """``<class>-<hash of the parameter names and shapes>``."""
    shapes = repr([(name, tuple(p.shape))
                   for name, p in module.named_parameters()])
    digest = hashlib.sha1(shapes.encode()).hexdigest()[:10]
    return f'{type(module).__name__}-{digest}'


def route_key(arch: str, x: torch.Tensor, training: bool,
              forced: Mapping[str, str]) -> str:
    """Architecture (:func:`architecture_name`), pass, input shape, dtype,
    threads and the routes forced (if any) of one choice: two models of
    one architecture forced differently time different candidates, so
    they keep separate choices."""
    dtype = (torch.get_autocast_dtype('cpu')
             if torch.is_autocast_enabled('cpu') else x.dtype)
    fixed = ','.join(f'{name}={value}' for name, value
                     in sorted(forced.items()) if value != 'auto')
    return (f'{arch} '
            f'{"train" if training else "eval"} {tuple(x.shape)} '
            f'{str(dtype).replace("torch.", "")} '
            f'threads={torch.get_num_threads()}'
            + (f' forced={fixed}' if fixed else ''))


def choose_routes(key: str, candidates: List[Dict[str, str]],
                  run: Callable[[Dict[str, str]], None]) -> Dict[str, str]:
    """The fastest of ``candidates`` (two or more) for ``key``:
    remembered, cached on disk (if every candidate was timed then), or
    measured now with ``run`` (logged)."""
    if key in _CHOSEN and _CHOSEN[key] in candidates:
        return _CHOSEN[key]
    cache = shared_cache()
    stored = cache.choice(key, map(describe, candidates))
    if stored in candidates:
        _CHOSEN[key] = stored
        return stored
    times = time_candidates(run, candidates)
    best = candidates[times.index(min(times))]
    _CHOSEN[key] = best
    named = {describe(routes): round(seconds * 1e3, 2)
             for routes, seconds in zip(candidates, times)}
    cache.put(key, best, named)
    print_log(f'kernel routes for {key}: {describe(best)} (measured, ms: '
              f'{named}; cached in {cache.path})', logger='current')
    return best


def describe(routes: Mapping[str, str]) -> str:
    """``channels_last+gemm+folded`` style name of a route set."""
    return '+'.join(routes[name] for name in ROUTE_OPTIONS)


def forget_choices(keep_disk: bool = True) -> None:
    """Drop the in-memory choices, per layer too (tests; a changed thread
    count)."""
    from .layer_tuner import forget_layer_choices  # it imports this module
    forget_layer_choices()
    _CHOSEN.clear()
    if not keep_disk:
        forget_open_caches()
