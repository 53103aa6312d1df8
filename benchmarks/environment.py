"""The environment a data benchmark ran in, saved with its results."""

import os
import os.path as osp
import platform
from datetime import datetime, timezone
from typing import Any, Dict

import h5py
import mmengine
import numpy as np
import torch


def environment_info() -> Dict[str, Any]:
    """CPU model and count, library versions and the date (UTC)."""
    model = platform.processor() or 'unknown'
    if osp.isfile('/proc/cpuinfo'):
        with open('/proc/cpuinfo') as file:
            found = [x for x in file if x.startswith('model name')]
        model = found[0].split(':', 1)[1].strip() if found else model
    affinity = getattr(os, 'sched_getaffinity', None)
    return dict(
        cpu_model=model, cpu_count=os.cpu_count(),
        usable_cpus=len(affinity(0)) if affinity else os.cpu_count(),
        python=platform.python_version(), platform=platform.platform(),
        torch=torch.__version__, numpy=np.__version__,
        h5py=h5py.__version__, mmengine=mmengine.__version__,
        date=datetime.now(timezone.utc).isoformat(timespec='seconds'))
