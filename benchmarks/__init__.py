"""Benchmarks of the package (run by ``tools/benchmark.py``): data
preparation and feeders (``data_benchmark``), ST-GCN training and inference
against plain and MMAction2 peers (``model_benchmark``), augmentation
(``augment_benchmark``)."""

from .data_benchmark import (
    bench_feeders,
    bench_ntu_gendata,
    environment_info,
    run_data_benchmark,
)

__all__ = [
    'bench_feeders',
    'bench_ntu_gendata',
    'environment_info',
    'run_data_benchmark',
]
