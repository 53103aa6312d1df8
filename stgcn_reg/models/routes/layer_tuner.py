"""Pick a layer's algorithm by timing the candidates on its real input,
once per layer shape, dtype and thread count (``per_layer`` routes).

A backbone-wide choice gives every temporal convolution the same
algorithm, but which one is fastest changes with the width: on a Zen 4
EPYC the Winograd form wins at 256 channels and loses at 64, oneDNN's
weight gradient wins at 64 and 128 and the GEMMs win at 256. So the
routes that only change one layer's arithmetic (``weight_grad``,
``temporal``) are measured per layer shape, the way ``cudnn.benchmark``
measures each convolution; the choice is kept in memory and in
:class:`~.route_cache.RouteCache` beside the backbone-wide ones.
"""
from typing import Any, Callable, Dict, Mapping, Sequence, Tuple

import torch
from mmengine.logging import print_log

from .route_cache import RouteCache, shared_cache
from .route_options import PER_LAYER
from .route_tuner import time_candidates

_CHOSEN: Dict[str, str] = {}


def layer_key(route: str, inputs: Sequence[torch.Tensor],
              **settings: Any) -> str:
    """Route name, input shapes, settings, dtype and threads of a choice."""
    shapes = ' '.join(str(tuple(tensor.shape)) for tensor in inputs)
    extra = ' '.join(f'{name}={value}' for name, value in settings.items())
    dtype = str(inputs[0].dtype).replace('torch.', '')
    return (f'layer {route} {shapes} {extra} {dtype} '
            f'threads={torch.get_num_threads()}')


def choose_layer_route(route: str, key: str,
                       runs: Mapping[str, Callable[[], Any]]
                       ) -> Tuple[str, Any]:
    """The fastest of ``runs`` (name -> computation of the same result)
    for ``key``, and its result: remembered, cached on disk, or measured
    now (each run warmed up, then timed, interleaved; logged). A cached
    choice counts only if every run was among the candidates timed then:
    a candidate added since (a new algorithm) is measured."""
    names = list(runs)
    chosen = _CHOSEN.get(key)
    if chosen is None:
        cache = shared_cache()
        chosen = (cache.choice(key, names) or {}).get(route)
        if chosen not in names:
            chosen, result = _measure(route, key, runs, cache)
            _CHOSEN[key] = chosen
            return chosen, result
        _CHOSEN[key] = chosen
    return chosen, runs[chosen]()


def run_layer_route(route: str, value: str, inputs: Sequence[torch.Tensor],
                    runs: Mapping[str, Callable[[], Any]],
                    **settings: Any) -> Any:
    """``runs[value]()``, or with ``per_layer`` the result of the fastest
    run for this layer's inputs and settings (:func:`choose_layer_route`
    under :func:`layer_key`)."""
    if value != PER_LAYER:
        return runs[value]()
    key = layer_key(route, inputs, **settings)
    return choose_layer_route(route, key, runs)[1]


def _measure(route: str, key: str, runs: Mapping[str, Callable[[], Any]],
             cache: RouteCache) -> Tuple[str, Any]:
    """Time ``runs``, store and log the fastest; it and its last result."""
    names = list(runs)
    results: Dict[str, Any] = {}

    def run(name: str) -> None:
        results[name] = None  # free the last result first
        results[name] = runs[name]()

    times = time_candidates(run, names)
    chosen = names[times.index(min(times))]
    named = {name: round(seconds * 1e3, 2)
             for name, seconds in zip(names, times)}
    cache.put(key, {route: chosen}, named)
    print_log(f'kernel route for {key}: {chosen} (measured, ms: {named})',
              logger='current')
    return chosen, results[chosen]


def forget_layer_choices() -> None:
    """Drop the in-memory choices (with the backbone's:
    ``route_tuner.forget_choices``)."""
    _CHOSEN.clear()
