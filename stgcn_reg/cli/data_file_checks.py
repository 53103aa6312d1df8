"""Check the configured dataset files before the Runner is built.

The datasets check their files too, but they are built inside
``runner.train()`` / ``runner.test()``, after the Runner has made its log
folder and dumped the config, and an error there ends in a traceback.
Here a missing file of a dataloader the run uses, and a ``.npy`` whose
header (a few hundred bytes) shows 0 frames, joints or persons, or
complex values, end the tool with a one-line ``error:`` naming the config
key and the file, before anything is written. A file that is there but no
``.npy`` is left to the dataset to report.
"""
import os
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


# the keys of our datasets that name a file (relative to data_root)
FILE_KEYS = ('data_path', 'label_path', 'ann_file')


def _file_paths(dataset: Any, where: str,
                root: str = '') -> Iterator[Tuple[str, str]]:
    """``(config key, path)`` of each file a dataset config names, wrappers
    (``dataset``, ``datasets``) included."""
    if isinstance(dataset, (list, tuple)):
        for index, item in enumerate(dataset):
            yield from _file_paths(item, f'{where}[{index}]', root)
    elif isinstance(dataset, Mapping):
        root = dataset.get('data_root') or root
        for key in FILE_KEYS:
            path = dataset.get(key)
            if isinstance(path, str) and path:
                yield f'{where}.{key}', osp.join(root, path)
        for key in ('dataset', 'datasets'):
            yield from _file_paths(dataset.get(key), f'{where}.{key}', root)


def _used_loaders(cfg: Mapping, training: bool) -> Iterator[str]:
    """The dataloaders ``runner.train()`` (with validation when ``val_cfg``
    is set) or ``runner.test()`` builds."""
    wanted = (('train_dataloader', 'train_cfg'),
              ('val_dataloader', 'val_cfg')) if training else (
                  ('test_dataloader', 'test_cfg'), )
    for loader, loop in wanted:
        if isinstance(cfg.get(loader), Mapping) and cfg.get(loop) is not None:
            yield loader


def missing_file_problems(cfg: Mapping,
                          training: bool = True) -> Iterator[str]:
    """Yield one message listing the files of the used dataloaders that do
    not exist (URLs and other backends, ``scheme://``, are not checked)."""
    missing = [(where, path) for loader in _used_loaders(cfg, training)
               for where, path in _file_paths(cfg[loader].get('dataset'),
                                              f'{loader}.dataset')
               if '://' not in path and not osp.exists(path)]
    if missing:
        relative = any(not osp.isabs(path) for _, path in missing)
        yield ('dataset files not found: ' +
               ', '.join(f'{where} {path!r}' for where, path in missing) +
               (f' (relative paths are from {os.getcwd()})'
                if relative else ''))


def data_file_problems(cfg: Mapping, training: bool = True) -> Iterator[str]:
    """Yield one message per configured ``.npy`` whose header shows data no
    model can run (an empty axis, complex values)."""
    loaders = TRAINING_LOADERS if training else ('test_dataloader', )
    seen = set()
    for loader in loaders:
        loader_cfg = cfg.get(loader)
        if not isinstance(loader_cfg, Mapping):
            continue
        for where, path in _file_paths(loader_cfg.get('dataset'),
                                       f'{loader}.dataset'):
            if not path.endswith('.npy'):
                continue
            header = None if path in seen else npy_header(path)
            seen.add(path)
            if header is None or len(header[0]) != 5:
                continue
            try:
                check_skeleton_values(f'{where} {path!r}', *header)
            except ValueError as error:
                yield str(error)
