"""DataLoader settings chosen from the machine when a config leaves them
open (missing or ``'auto'``)."""
import os
from typing import Any, Dict, List, Optional

from mmengine.config import Config

LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
AUTO = 'auto'
KEYS = ('num_workers', 'pin_memory', 'persistent_workers', 'prefetch_factor')


def usable_cpus() -> int:
    """CPUs this process may run on (affinity mask, else the CPU count)."""
    affinity = getattr(os, 'sched_getaffinity', None)
    return len(affinity(0)) if affinity else (os.cpu_count() or 1)


def machine_loader_settings(cpus: int, device: str,
                            processes: int = 1) -> Dict[str, Any]:
    """DataLoader settings for ``processes`` training processes sharing
    ``cpus`` CPUs on ``device``.

    The feeders deliver hundreds to thousands of samples/s per worker
    (``tools/benchmark.py augment``, ``data``), far more than ST-GCN
    consumes on a CPU, where every core is better spent on the model's
    matmuls: no workers with 2 or fewer CPUs per process, else 1, a
    quarter of them at most 2. On CUDA the GPU waits on the loader:
    every CPU of the process but one, up to 8, pinned memory and a
    deeper prefetch.
    """
    per_process = max(1, cpus // max(1, processes))
    if device == 'cuda':
        workers = min(8, max(1, per_process - 1))
    else:
        workers = 0 if per_process <= 2 else min(2, max(1,
                                                         per_process // 4))
    settings: Dict[str, Any] = dict(
        num_workers=workers, pin_memory=device == 'cuda',
        persistent_workers=workers > 0)
    if workers > 0:
        settings['prefetch_factor'] = 4 if device == 'cuda' else 2
    return settings


def fill_loader_defaults(cfg: Config, device: str, processes: int = 1,
                         cpus: Optional[int] = None) -> List[str]:
    """Set the DataLoader keys a config leaves out or sets to ``'auto'``.

    Values the config (or the command line, applied before) sets are
    kept; ``persistent_workers`` and ``prefetch_factor`` follow the
    resulting ``num_workers`` (torch refuses them without workers).
    Returns ``loader.key=value`` strings of what was chosen.
    """
    machine = machine_loader_settings(
        usable_cpus() if cpus is None else cpus, device, processes)
    notes = []
    for name in LOADERS:
        loader = cfg.get(name)
        if loader is None:
            continue
        open_keys = [key for key in KEYS if loader.get(key, AUTO) == AUTO]
        for key in ('num_workers', 'pin_memory'):
            if key in open_keys:
                loader[key] = machine[key]
        workers = loader['num_workers']
        if 'persistent_workers' in open_keys:
            loader['persistent_workers'] = workers > 0
        if 'prefetch_factor' in open_keys:
            if workers > 0:
                loader['prefetch_factor'] = machine.get('prefetch_factor', 2)
            else:
                loader.pop('prefetch_factor', None)
        notes += [f'{name}.{key}={loader[key]}' for key in open_keys
                  if key in loader]
    return notes


def apply_loader_defaults(cfg: Config, device: str) -> None:
    """:func:`fill_loader_defaults` for the processes on this node, printing
    what was chosen (``tools/train.py`` and ``tools/test.py`` call it)."""
    from stgcn_reg.cli.launch import world_size_from_env
    processes = int(os.environ.get('LOCAL_WORLD_SIZE')
                    or world_size_from_env())
    chosen = fill_loader_defaults(cfg, device, processes)
    if chosen:
        print('DataLoader settings chosen for this machine: '
              + ', '.join(chosen))
