"""The CPU's model name and feature flags, as /proc/cpuinfo gives them."""
import os.path as osp
from typing import Set


def cpu_flags(cpuinfo: str = '/proc/cpuinfo') -> Set[str]:
    """The feature flags of the first CPU in ``cpuinfo`` (empty off Linux)."""
    if not osp.isfile(cpuinfo):
        return set()
    with open(cpuinfo) as file:
        for line in file:
            if line.startswith('flags'):
                return set(line.split(':', 1)[1].split())
    return set()


def cpu_model(cpuinfo: str = '/proc/cpuinfo') -> str:
    """The CPU's model name from ``cpuinfo``, or ``'unknown'``."""
    if osp.isfile(cpuinfo):
        with open(cpuinfo) as file:
            for line in file:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    return 'unknown'
