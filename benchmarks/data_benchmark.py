"""Throughput and memory of data preparation and of the skeleton feeders.

Each measurement runs in a fresh process
(:func:`.processes.run_in_fresh_process`). ``main_peak_rss_mb`` is that
process's peak resident set, mapped output pages included;
``main_peak_anon_mb`` its peak of anonymous memory, the number that must
not grow with the dataset; ``workers_peak_rss_mb`` the largest peak of its
reader / DataLoader workers (see :mod:`.processes`). The gendata bench is
:mod:`.gendata_benchmark`, the feeder bench :mod:`.feeder_benchmark`, the
environment :mod:`.environment`.
"""

import tempfile
from typing import Any, Dict, Optional

from .environment import environment_info
from .feeder_benchmark import (
    KINETICS_TRAIN_PIPELINE,
    bench_feeders,
    write_kinetics_like,
)
from .gendata_benchmark import (
    bench_ntu_gendata,
    link_copies,
    write_synthetic_skeletons,
)
from .processes import run_in_fresh_process

__all__ = [
    'KINETICS_TRAIN_PIPELINE',
    'bench_feeders',
    'bench_ntu_gendata',
    'environment_info',
    'link_copies',
    'run_data_benchmark',
    'run_in_fresh_process',
    'write_kinetics_like',
    'write_synthetic_skeletons',
]


def run_data_benchmark(copies: int, workers: int, feeder_samples: int,
                       sample_dir: Optional[str] = None,
                       tmp_dir: Optional[str] = None,
                       batch_size: int = 32,
                       loader_workers: int = 2) -> Dict[str, Any]:
    """:func:`bench_ntu_gendata` and :func:`bench_feeders` with the
    environment and settings, in a temporary folder under ``tmp_dir``
    (default: the system's)."""
    settings = dict(copies=copies, workers=workers, batch_size=batch_size,
                    feeder_samples=feeder_samples,
                    loader_workers=loader_workers)
    with tempfile.TemporaryDirectory(prefix='stgcn_bench_', dir=tmp_dir) as t:
        return dict(
            environment=environment_info(), settings=settings,
            ntu_gendata=bench_ntu_gendata(sample_dir, copies, workers, t),
            feeders=bench_feeders(feeder_samples, t, batch_size,
                                  loader_workers))
