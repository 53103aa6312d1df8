"""The environment a data benchmark ran in, saved with its results."""

import os
import platform
from datetime import datetime, timezone
from typing import Any, Dict

import mmengine
import numpy as np
import torch


def environment_info() -> Dict[str, Any]:
    """CPU model and count, library versions and the date (UTC)."""
    from stgcn_reg.utils.cpu_info import cpu_model
    model = cpu_model()
    if model == 'unknown':
        model = platform.processor() or model
    try:  # only the data benchmark needs it (not the GPU machine)
        import h5py
        h5py_version = h5py.__version__
    except ImportError:
        h5py_version = 'not installed'
    affinity = getattr(os, 'sched_getaffinity', None)
    return dict(
        cpu_model=model, cpu_count=os.cpu_count(),
        usable_cpus=len(affinity(0)) if affinity else os.cpu_count(),
        python=platform.python_version(), platform=platform.platform(),
        torch=torch.__version__, numpy=np.__version__,
        h5py=h5py_version, mmengine=mmengine.__version__,
        date=datetime.now(timezone.utc).isoformat(timespec='seconds'))
