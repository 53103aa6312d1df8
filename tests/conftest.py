"""Shared fixtures: registry scope, tiny NTU-format datasets, shared data."""
import os.path as osp
import pickle
import sys
from typing import Callable

import numpy as np
import pytest
from mmengine.registry import init_default_scope

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
# the benchmarks package (not installed) is imported from the checkout
if REPO_ROOT not in sys.path:
    sys.path.append(REPO_ROOT)
SHARED_DATA = osp.join(osp.dirname(REPO_ROOT), 'shared', 'data')


@pytest.fixture
def default_scope() -> None:
    """Build components in the ``stgcn_reg`` scope, as configs do."""
    init_default_scope('stgcn_reg')


def write_skeleton_files(folder: str, prefix: str, data: np.ndarray,
                         labels, names=None) -> tuple:
    """Write ``<prefix>_data.npy`` and ``<prefix>_label.pkl``; return paths."""
    data_path = osp.join(folder, f'{prefix}_data.npy')
    label_path = osp.join(folder, f'{prefix}_label.pkl')
    np.save(data_path, data)
    if names is None:
        names = [f'sample{i:04d}' for i in range(len(labels))]
    with open(label_path, 'wb') as file:
        pickle.dump((list(names), list(labels)), file)
    return data_path, label_path


@pytest.fixture
def make_skeleton_files(tmp_path) -> Callable:
    """Factory writing a random ``(N, C, T, V, M)`` array and its labels."""

    def make(num_samples: int = 6, num_classes: int = 3, shape=(3, 12, 25, 2),
             prefix: str = 'train', seed: int = 0) -> tuple:
        rng = np.random.default_rng(seed)
        data = rng.normal(size=(num_samples, *shape)).astype(np.float32)
        labels = [i % num_classes for i in range(num_samples)]
        return write_skeleton_files(str(tmp_path), prefix, data, labels)

    return make


@pytest.fixture
def shared_data() -> str:
    """``../shared/data`` of the project, or skip when it is absent."""
    if not osp.isdir(SHARED_DATA):
        pytest.skip(f'shared sample data not found at {SHARED_DATA}')
    return SHARED_DATA
