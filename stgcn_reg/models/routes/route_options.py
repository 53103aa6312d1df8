"""The interchangeable kernel routes of the backbones, and forcing one.

Each route computes the same result (up to float rounding, covered by the
agreement tests); which is fastest depends on the CPU, the layer shapes,
the dtype and the thread count, so :mod:`.route_tuner` measures them.

- ``memory_format``: ``channels_last`` (features ``(N, T, V, C)`` in
  memory, the fused graph convolution) or ``contiguous`` (``(N, C, T,
  V)``, a 1x1 convolution then an einsum per partition).
- ``weight_grad``: the temporal convolution's weight gradient in
  training, ``gemm`` (one GEMM per tap, channels-last float32 only),
  ``onednn`` (the convolution's own backward), ``winograd`` (15/27 of
  the multiplications, where ``temporal``'s Winograd form applies, else
  ``gemm``) or ``per_layer`` (the fastest of them for each layer shape,
  measured by :mod:`.layer_tuner`; what an open route takes).
- ``eval_bn``: in eval mode, ``folded`` (BatchNorms folded into the
  convolution before them, channels-last only) or ``plain``.
- ``projection``: the fused graph convolution's projection from ``K*C_in``
  to ``C_out`` channels and its two gradients (channels-last only),
  ``gemm`` (the BLAS GEMM), ``onednn`` (a 1x1 convolution and its
  backward: on CPUs where the BLAS is slow, e.g. MKL on AMD Zen, oneDNN
  computes the output twice as fast) or ``per_layer`` (the faster of the
  two for each product and layer shape, see
  :mod:`stgcn_reg.models.layers.graph_projection`).
- ``temporal``: the 9x1 temporal convolution (in training its output
  and its input gradient, each on its own) ``direct`` (oneDNN),
  ``winograd`` (15/27 of the multiplications,
  :mod:`stgcn_reg.models.layers.winograd_temporal_conv`; channels-last
  float32, stride 1, else direct) or
  ``per_layer`` (the faster of the two for each layer shape, as above).
"""
import os
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Dict, Iterator, Mapping, Optional

import torch

ROUTE_OPTIONS: Dict[str, tuple] = {
    'memory_format': ('channels_last', 'contiguous'),
    'weight_grad': ('gemm', 'onednn', 'winograd', 'per_layer'),
    'eval_bn': ('folded', 'plain'),
    'projection': ('gemm', 'onednn', 'per_layer'),
    'temporal': ('direct', 'winograd', 'per_layer'),
}
# routes that change one layer's arithmetic only: measured per layer shape
# (``per_layer``) where left open, not by timing whole passes
PER_LAYER = 'per_layer'
LAYER_ROUTES = ('weight_grad', 'temporal', 'projection')
# what runs when nothing is measured (and outside a backbone's forward)
DEFAULT_ROUTES: Dict[str, str] = {
    'memory_format': 'channels_last', 'weight_grad': 'gemm',
    'eval_bn': 'folded', 'projection': 'gemm', 'temporal': 'direct'}
ROUTES_ENV = 'STGCN_REG_ROUTES'

_ACTIVE: ContextVar[Mapping[str, str]] = ContextVar(
    'stgcn_reg_routes', default=DEFAULT_ROUTES)
# the same routes as a plain dict for code that torch.compile traces:
# Dynamo cannot read a ContextVar (each read would break the graph), but
# it reads a module dict and guards on its contents
_TRACED: Dict[str, str] = dict(DEFAULT_ROUTES)


def active_route(name: str) -> str:
    """The route ``name`` of the forward pass running now."""
    if torch.compiler.is_compiling():
        return _TRACED[name]
    return _ACTIVE.get()[name]


@contextmanager
def using_routes(routes: Mapping[str, str]) -> Iterator[None]:
    """Make the layers called inside take ``routes`` (in this context;
    under ``torch.compile`` process-wide while the block runs)."""
    merged = {**DEFAULT_ROUTES, **routes}
    token = _ACTIVE.set(merged)
    traced = dict(_TRACED)
    _TRACED.update(merged)
    try:
        yield
    finally:
        _ACTIVE.reset(token)
        _TRACED.update(traced)


def unmeasured(routes: Mapping[str, str]) -> Dict[str, str]:
    """``routes`` where nothing may be timed (``torch.compile``, tracing,
    checkpointed training, CUDA): ``per_layer`` takes the default."""
    return {name: DEFAULT_ROUTES[name] if value == PER_LAYER else value
            for name, value in routes.items()}


def check_routes(routes: Mapping[str, str], source: str) -> Dict[str, str]:
    """``routes`` as a dict; one-line error for an unknown name or value."""
    for name, value in routes.items():
        if name not in ROUTE_OPTIONS:
            raise ValueError(
                f'{source}: unknown route {name!r}; routes are '
                f'{sorted(ROUTE_OPTIONS)}')
        if value not in ROUTE_OPTIONS[name] + ('auto',):
            raise ValueError(
                f'{source}: route {name} must be one of '
                f"{ROUTE_OPTIONS[name] + ('auto',)}, got {value!r}")
    return dict(routes)


def env_routes(environ: Optional[Mapping[str, str]] = None
               ) -> Optional[Dict[str, str]]:
    """Routes forced by ``$STGCN_REG_ROUTES``: ``name=value,...`` (over
    what a config forces), or ``default``: nothing measured, each route a
    config leaves open takes :data:`DEFAULT_ROUTES` (``{}`` is returned:
    see :func:`fill_open_routes`); None when unset."""
    spec = (os.environ if environ is None else environ).get(ROUTES_ENV, '')
    spec = spec.strip()
    if not spec:
        return None
    if spec == 'default':
        return {}
    pairs = {}
    for item in filter(None, (part.strip() for part in spec.split(','))):
        name, sep, value = item.partition('=')
        if not sep:
            raise ValueError(
                f'${ROUTES_ENV}: expected name=value items separated by '
                f"commas (or 'default'), got {item!r}")
        pairs[name.strip()] = value.strip()
    return check_routes(pairs, f'${ROUTES_ENV}')


def fill_open_routes(forced: Dict[str, str],
                     environ: Optional[Mapping[str, str]] = None
                     ) -> Dict[str, str]:
    """``forced`` with ``$STGCN_REG_ROUTES`` applied: its pairs win, and
    with ``default`` every ``'auto'`` route takes its default."""
    pairs = env_routes(environ)
    if pairs is None:
        return forced
    merged = {**forced, **pairs}
    if not pairs:  # 'default'
        merged = {name: DEFAULT_ROUTES[name] if value == 'auto' else value
                  for name, value in merged.items()}
    return merged
