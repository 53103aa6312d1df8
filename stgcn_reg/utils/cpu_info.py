"""The CPU's model name, family and feature flags, as /proc/cpuinfo gives
them."""
import os.path as osp
from typing import Dict, Set


def _first_cpu_fields(cpuinfo: str) -> Dict[str, str]:
    """The ``key: value`` lines of the first CPU in ``cpuinfo``."""
    fields: Dict[str, str] = {}
    if osp.isfile(cpuinfo):
        with open(cpuinfo) as file:
            for line in file:
                if not line.strip():
                    break
                key, sep, value = line.partition(':')
                if sep:
                    fields.setdefault(key.strip(), value.strip())
    return fields


def cpu_generation(cpuinfo: str = '/proc/cpuinfo') -> str:
    """``'family F model M'`` of the first CPU, or ``''``: a virtual
    machine may name only the vendor line (``AMD EPYC``), and its
    generations need routes and results of their own."""
    fields = _first_cpu_fields(cpuinfo)
    if 'cpu family' not in fields or 'model' not in fields:
        return ''
    return f"family {fields['cpu family']} model {fields['model']}"


def cpu_flags(cpuinfo: str = '/proc/cpuinfo') -> Set[str]:
    """The feature flags of the first CPU in ``cpuinfo`` (empty off Linux)."""
    return set(_first_cpu_fields(cpuinfo).get('flags', '').split())


def cpu_model(cpuinfo: str = '/proc/cpuinfo') -> str:
    """The CPU's model name from ``cpuinfo``, or ``'unknown'``."""
    return _first_cpu_fields(cpuinfo).get('model name') or 'unknown'


def cpu_description() -> str:
    """Model name and generation (``AMD EPYC family 26 model 2``): the
    machine as route caches and benchmark files are named."""
    return f'{cpu_model()} {cpu_generation()}'.strip()
