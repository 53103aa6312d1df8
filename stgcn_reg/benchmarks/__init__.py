"""Benchmarks of the package's data path (run by ``tools/benchmark.py``)."""

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
