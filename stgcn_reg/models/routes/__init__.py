"""Kernel routes chosen by measurement: options, cache, tuner."""
from .route_options import (
    DEFAULT_ROUTES,
    ROUTE_OPTIONS,
    ROUTES_ENV,
    active_route,
    check_routes,
    env_routes,
    fill_open_routes,
    unmeasured,
    using_routes,
)
from .route_tuner import (
    architecture_name,
    candidate_routes,
    choose_routes,
    route_key,
)

__all__ = [
    'DEFAULT_ROUTES', 'ROUTE_OPTIONS', 'ROUTES_ENV', 'active_route',
    'architecture_name', 'candidate_routes', 'check_routes',
    'choose_routes', 'env_routes', 'fill_open_routes', 'route_key',
    'unmeasured', 'using_routes'
]
