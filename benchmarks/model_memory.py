"""Peak training memory of one ST-GCN variant, meant to run in a fresh
process per variant (CPU: peak RSS over the steps minus the RSS before
them; CUDA: ``torch.cuda.max_memory_allocated``)."""
import ctypes
from typing import Any, Dict

import torch

from .model_timing import Settings, _amp_dtype, _Bench, make_input, preset_of
from .model_variants import build_variant


def _rss_mb(field: str) -> float:
    with open('/proc/self/status') as file:
        line = next(x for x in file if x.startswith(f'{field}:'))
    return int(line.split()[1]) / 1024


def measure_train_memory(settings_dict: Dict[str, Any], name: str,
                         steps: int = 2) -> Dict[str, Any]:
    """Peak memory of ``steps`` training steps of one variant (MiB).

    On CPU the peak RSS (``VmHWM``, reset through ``clear_refs`` first)
    minus the RSS before the steps; meant to run in a fresh process. On
    CUDA the peak of ``torch.cuda.max_memory_allocated`` over the steps
    minus what was allocated before.
    """
    settings = Settings(**settings_dict)
    if settings.threads:
        torch.set_num_threads(settings.threads)
    device = torch.device(settings.device)
    preset = preset_of(settings)
    x, labels = make_input(preset, device, settings.seed)
    bench = _Bench(build_variant(name, preset, device), x, labels,
                   _amp_dtype(settings.amp))
    if device.type == 'cuda':
        torch.cuda.reset_peak_memory_stats(device)
        before = torch.cuda.memory_allocated(device)
        for _ in range(steps):
            bench.train_step()
        peak = torch.cuda.max_memory_allocated(device) - before
        return dict(peak_train_mb=round(peak / 2**20, 1),
                    kind='cuda_max_memory_allocated')
    _exact_rss()
    before = _rss_mb('VmRSS')
    try:
        with open('/proc/self/clear_refs', 'w') as file:
            file.write('5')  # VmHWM := current RSS
        kind = 'rss_peak_minus_start'
    except OSError:
        kind = 'rss_peak_minus_start (peak not reset)'
    for _ in range(steps):
        bench.train_step()
    return dict(peak_train_mb=round(_rss_mb('VmHWM') - before, 1),
                kind=kind)


def _exact_rss() -> None:
    """Make glibc return every large block to the system when freed.

    By default glibc raises its mmap threshold after large frees and then
    keeps such blocks in its heap, so the RSS peak would count freed
    memory too; with a fixed 64 KiB threshold it follows the live tensors.
    """
    try:
        libc = ctypes.CDLL('libc.so.6')
        libc.mallopt(-3, 64 * 1024)  # M_MMAP_THRESHOLD
        libc.mallopt(-1, 64 * 1024)  # M_TRIM_THRESHOLD
    except (OSError, AttributeError):
        pass
