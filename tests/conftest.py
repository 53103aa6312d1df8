"""Shared fixtures: registry scope, tiny NTU-format datasets, shared data;
the order in which test files run."""
import gc
import os
import os.path as osp
import pickle
import sys
from typing import Callable, Iterator

import numpy as np
import pytest
from mmengine.registry import init_default_scope

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
# the benchmarks package (not installed) is imported from the checkout
if REPO_ROOT not in sys.path:
    sys.path.append(REPO_ROOT)
SHARED_DATA = osp.join(osp.dirname(REPO_ROOT), 'shared', 'data')
# the default kernel routes everywhere (tool subprocesses too), so runs
# compared with each other take the same routes; tests/test_models/
# test_route_tuner.py and test_layer_tuner.py measure (the ``measuring``
# fixture), and the agreement tests force each route
os.environ.setdefault('STGCN_REG_ROUTES', 'default')


def _share_the_cores() -> None:
    """One pytest-xdist worker per core (tools/run_tests.sh): in-process
    torch work gets the worker's share of the cores, not all of them, so
    the workers do not oversubscribe the machine (tools run with
    OMP_NUM_THREADS=1 already; tests/tool_runner.py)."""
    workers = int(os.environ.get('PYTEST_XDIST_WORKER_COUNT', '1'))
    if workers > 1:
        import torch
        torch.set_num_threads(max(1, (os.cpu_count() or 1) // workers))


_share_the_cores()


@pytest.fixture
def private_route_cache(monkeypatch, tmp_path):
    """Kernel route choices (forced ``per_layer`` ones are measured) go
    to a fresh cache, and every choice is forgotten afterwards."""
    from stgcn_reg.models.routes import route_tuner
    monkeypatch.setenv('STGCN_REG_CACHE', str(tmp_path))
    route_tuner.forget_choices(keep_disk=False)
    yield tmp_path
    route_tuner.forget_choices(keep_disk=False)


@pytest.fixture
def measuring(monkeypatch, private_route_cache):
    """Measure the open kernel routes too (tests default to fixed ones)."""
    from stgcn_reg.models.routes import ROUTES_ENV
    monkeypatch.delenv(ROUTES_ENV, raising=False)
    return private_route_cache


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


@pytest.fixture(scope='session')
def demo_data(tmp_path_factory) -> str:
    """The default demo dataset (32 training and 16 validation clips of 16
    frames, from tools/make_demo_data.py), written once per test process.
    Read-only: a test that changes data makes its own."""
    from tool_runner import make_demo_data
    return make_demo_data(str(tmp_path_factory.mktemp('demo_data')))


@pytest.fixture(scope='module')
def fresh_process() -> Iterator[None]:
    """A file's tools run in fresh interpreters, not as forks of the warm
    tool server (tests/tool_server.py): ``pytestmark =
    pytest.mark.usefixtures('fresh_process')``."""
    from tool_runner import fresh_interpreters
    with fresh_interpreters():
        yield


# Files that take longest run first, so that the xdist workers (``-n 2
# --dist loadfile --no-loadscope-reorder``, see tools/run_tests.sh) end
# together instead of one of them starting the longest file last; then the
# other files with end-to-end runs (marked slow), then the rest, each group
# in collection order. A file's tests stay together.
LONGEST_FIRST = (
    'test_tools/test_distributed.py',
    'test_models/test_fused_equivalence.py',  # torch.compile, cold cache
    'test_models/test_bf16_training.py',  # skipped without bf16 hardware
    'test_engine/test_resume_and_crash.py',
    'test_tools/test_video_tools.py',
    'test_benchmarks/test_model_benchmark.py',
    'test_tools/test_gpu_benchmark.py',
    'test_engine/test_kill_and_resume.py',
    'test_pose/test_mediapipe_pose.py',
    'test_tools/test_train_test_tools.py',
)


def pytest_collection_modifyitems(session, config, items) -> None:
    tests_dir = osp.dirname(osp.abspath(__file__))

    def file_of(item) -> str:
        return osp.relpath(str(item.path), tests_dir)

    slow_files = {file_of(item) for item in items
                  if item.get_closest_marker('slow')}

    def rank(item) -> tuple:
        name = file_of(item)
        if name in LONGEST_FIRST:
            return (0, LONGEST_FIRST.index(name))
        return (1 if name in slow_files else 2, 0)

    items.sort(key=rank)  # stable: the order within a group stays


def pytest_collection_finish(session) -> None:
    # everything imported so far (torch, mmengine, the test modules) stays:
    # leave it out of later collections. mmengine's BaseDataset calls
    # gc.collect() for every dataset built, 0.2 s each over that heap.
    gc.collect()
    gc.freeze()
