"""Measured route choices kept on disk, one file per CPU model and torch."""
import json
import os
import os.path as osp
import re
from typing import Dict, Iterable, Optional

import torch

from stgcn_reg.models.routes.route_options import check_routes
from stgcn_reg.utils.atomic_io import write_json_atomic
from stgcn_reg.utils.cache_dir import cache_root
from stgcn_reg.utils.cpu_info import cpu_description


def machine_name() -> str:
    """The CPU model, its family and model numbers, and the torch version,
    as a file name."""
    slug = re.sub(r'[^A-Za-z0-9.]+', '-', cpu_description()).strip('-')
    return f'{slug or "unknown-cpu"}__torch-{torch.__version__}'


def cache_file() -> str:
    """``<cache root>/routes/<machine>.json``."""
    return osp.join(cache_root(), 'routes', machine_name() + '.json')


class RouteCache:
    """Route choices by key, read once from :func:`cache_file` and written
    back after each new measurement (a lost concurrent update only means
    one more measurement later)."""

    def __init__(self, path: Optional[str] = None) -> None:
        self.path = path or cache_file()
        self._entries: Optional[Dict[str, dict]] = None

    def get(self, key: str) -> Optional[Dict[str, str]]:
        """The routes stored for ``key``, or None."""
        entry = self._load().get(key)
        if not entry:
            return None
        try:
            return check_routes(entry['routes'], self.path)
        except (TypeError, ValueError):
            return None  # edited by hand or by another version: measure

    def choice(self, key: str,
               candidates: Iterable[str]) -> Optional[Dict[str, str]]:
        """The routes stored for ``key`` if every one of ``candidates``
        (names as timed) was timed when they were chosen, else None: a
        candidate added since (a new algorithm) must compete."""
        times = (self._load().get(key) or {}).get('times_ms')
        if not isinstance(times, dict) or not set(candidates) <= set(times):
            return None
        return self.get(key)

    def put(self, key: str, routes: Dict[str, str],
            times_ms: Dict[str, float]) -> None:
        """Store a measured choice; an unwritable cache is only skipped."""
        entries = self._load()
        entries[key] = dict(routes=routes, times_ms=times_ms)
        try:
            os.makedirs(osp.dirname(self.path), exist_ok=True)
            write_json_atomic(entries, self.path, indent=1)
        except OSError:
            pass  # measuring again next time is the only cost

    def _load(self) -> Dict[str, dict]:
        if self._entries is None:
            self._entries = {}
            try:
                with open(self.path) as file:
                    loaded = json.load(file)
                if isinstance(loaded, dict):
                    self._entries = {
                        key: value for key, value in loaded.items()
                        if isinstance(value, dict)
                        and isinstance(value.get('routes'), dict)}
            except (OSError, ValueError):
                pass  # missing or damaged: measure again
        return self._entries


_OPEN: Dict[str, RouteCache] = {}


def shared_cache(path: Optional[str] = None) -> RouteCache:
    """The one :class:`RouteCache` of ``path`` (default :func:`cache_file`)
    in this process: backbone and layer choices write the same file, so
    they must share its entries (two readers would each write back only
    their own)."""
    path = path or cache_file()
    if path not in _OPEN:
        _OPEN[path] = RouteCache(path)
    return _OPEN[path]


def forget_open_caches() -> None:
    """Read the cache files again on next use (tests; a new process)."""
    _OPEN.clear()
