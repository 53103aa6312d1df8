"""Check the configured ``.npy`` skeleton arrays' headers before the Runner.

The datasets check their files too, but they are built inside
``runner.train()`` / ``runner.test()``, where an error ends in a
traceback. Reading only each ``.npy`` header here (a few hundred bytes)
lets a tool refuse a file with 0 frames, joints or persons, or complex
values, with a one-line ``error:`` naming the config key and the file. A
file that is missing or no ``.npy`` is left to the dataset to report.
"""
import os.path as osp
from typing import Any, Iterator, Mapping, Optional, Tuple

import numpy as np

from stgcn_reg.datasets.feeder_checks import check_skeleton_values

TRAINING_LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
_HEADER_READERS = {(1, 0): np.lib.format.read_array_header_1_0,
                   (2, 0): np.lib.format.read_array_header_2_0}


def npy_header(path: str) -> Optional[Tuple[Tuple[int, ...], np.dtype]]:
    """``(shape, dtype)`` of a ``.npy`` file, or None if it has none."""
    try:
        with open(path, 'rb') as file:
            version = np.lib.format.read_magic(file)
            read = _HEADER_READERS.get(version)
            if read is None:
                return None
            shape, _, dtype = read(file)
    except (OSError, ValueError, EOFError):
        return None
    return tuple(shape), dtype


def _npy_paths(dataset: Any, where: str,
               root: str = '') -> Iterator[Tuple[str, str]]:
    """``(config key, path)`` of each ``data_path`` ``.npy``, wrappers
    (``dataset``, ``datasets``) included."""
    if isinstance(dataset, (list, tuple)):
        for index, item in enumerate(dataset):
            yield from _npy_paths(item, f'{where}[{index}]', root)
    elif isinstance(dataset, Mapping):
        root = dataset.get('data_root') or root
        path = dataset.get('data_path')
        if isinstance(path, str) and path.endswith('.npy'):
            yield f'{where}.data_path', osp.join(root, path)
        for key in ('dataset', 'datasets'):
            yield from _npy_paths(dataset.get(key), f'{where}.{key}', root)


def data_file_problems(cfg: Mapping, training: bool = True) -> Iterator[str]:
    """Yield one message per configured ``.npy`` whose header shows data no
    model can run (an empty axis, complex values)."""
    loaders = TRAINING_LOADERS if training else ('test_dataloader', )
    seen = set()
    for loader in loaders:
        loader_cfg = cfg.get(loader)
        if not isinstance(loader_cfg, Mapping):
            continue
        for where, path in _npy_paths(loader_cfg.get('dataset'),
                                      f'{loader}.dataset'):
            header = None if path in seen else npy_header(path)
            seen.add(path)
            if header is None or len(header[0]) != 5:
                continue
            try:
                check_skeleton_values(f'{where} {path!r}', *header)
            except ValueError as error:
                yield str(error)
