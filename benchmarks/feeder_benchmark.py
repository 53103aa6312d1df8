"""Samples/s and peak memory of the skeleton feeders on Kinetics-shaped
data with the Kinetics training augmentations (the peaks:
:mod:`.processes`)."""

import os
import os.path as osp
import shutil
import time
from typing import Any, Dict

import numpy as np

from stgcn_reg.datasets.converters.npy_to_h5 import convert_npy_to_h5
from stgcn_reg.utils import write_pickle_atomic

from .processes import _with_peaks, run_in_fresh_process

# the Kinetics training augmentations (configs/_base_/datasets/kinetics.py)
KINETICS_TRAIN_PIPELINE = (
    dict(type='RandomChoose', window_size=150),
    dict(type='RandomMove'),
)


def write_kinetics_like(num_samples: int, folder: str) -> Dict[str, str]:
    """Random Kinetics-shaped data as ``.npy`` + pkl, HDF5 and annotations.

    Each sample has 30-300 valid frames of 1-2 persons with (x, y, score)
    for 18 joints, then zero padding: ``(N, 3, 300, 18, 2)`` float32, 400
    classes. Returns the paths under ``npy``, ``label``, ``h5``, ``ann``.
    """
    rng = np.random.default_rng(0)
    os.makedirs(folder, exist_ok=True)
    paths = dict(npy='train_data.npy', label='train_label.pkl',
                 h5='train.h5', ann='train_anno.pkl')
    paths = {key: osp.join(folder, name) for key, name in paths.items()}
    data = np.lib.format.open_memmap(paths['npy'], 'w+', np.float32,
                                     (num_samples, 3, 300, 18, 2))
    names = [f'clip{index:06d}' for index in range(num_samples)]
    labels = rng.integers(0, 400, num_samples).tolist()
    annotations = []
    for index, (name, label) in enumerate(zip(names, labels)):
        frames, persons = int(rng.integers(30, 301)), int(rng.integers(1, 3))
        sample = rng.uniform(0.05, 1, (3, frames, 18, persons))
        sample[:2] -= 0.525  # x, y in [-0.475, 0.475), score in [0.05, 1)
        sample = sample.astype(np.float32)
        data[index, :, :frames, :, :persons] = sample
        annotations.append(dict(
            frame_dir=name, label=label, total_frames=frames,
            keypoint=sample[:2].transpose(3, 1, 2, 0).copy(),
            keypoint_score=sample[2].transpose(2, 0, 1).copy()))
    data.flush()
    del data
    write_pickle_atomic((names, labels), paths['label'])
    convert_npy_to_h5(paths['npy'], paths['label'], paths['h5'])
    write_pickle_atomic(dict(split=dict(train=names), annotations=annotations),
                        paths['ann'])
    return paths


def _measure_feeder(config: dict, batch_size: int, num_workers: int) -> dict:
    from mmengine.dataset import default_collate
    from mmengine.registry import init_default_scope
    from torch.utils.data import DataLoader

    from stgcn_reg.registry import DATASETS

    init_default_scope('stgcn_reg')
    np.random.seed(0)

    def work() -> dict:
        start = time.perf_counter()
        dataset = DATASETS.build(config)
        init_s = time.perf_counter() - start
        start = time.perf_counter()
        for index in np.random.permutation(len(dataset)):
            dataset[int(index)]
        single_s = time.perf_counter() - start
        # fork, as training does (mp_start_method in default_runtime.py);
        # a process from the forkserver would otherwise use that for them
        loader = DataLoader(dataset, batch_size, shuffle=True,
                            num_workers=num_workers,
                            collate_fn=default_collate,
                            multiprocessing_context='fork')
        start = time.perf_counter()
        first_batch_s, seen = 0.0, 0
        for batch in loader:
            first_batch_s = first_batch_s or time.perf_counter() - start
            seen += len(batch['inputs'])
        loader_s = time.perf_counter() - start
        if seen != len(dataset):
            raise RuntimeError(f'{seen} of {len(dataset)} samples loaded')
        return dict(
            samples=len(dataset), init_s=round(init_s, 3),
            single_samples_per_s=round(len(dataset) / single_s, 1),
            loader_samples_per_s=round(len(dataset) / loader_s, 1),
            loader_first_batch_s=round(first_batch_s, 3))

    return _with_peaks(work)


def bench_feeders(num_samples: int, tmp_dir: str, batch_size: int = 32,
                  num_workers: int = 2) -> Dict[str, Any]:
    """Samples/s and peak memory of each feeder with Kinetics augmentations.

    The same random Kinetics-shaped data (:func:`write_kinetics_like`) is
    read by ``SkeletonDataset`` (memory-mapped ``.npy``),
    ``H5SkeletonDataset`` and ``PoseAnnotationDataset``, each through
    :data:`KINETICS_TRAIN_PIPELINE`, once item by item in one process and
    once through a shuffling DataLoader; each feeder in a fresh process.

    Args:
        num_samples (int): Samples N of the dataset.
        tmp_dir (str): Scratch folder for the data files.
        batch_size (int): DataLoader batch size. Defaults to 32.
        num_workers (int): DataLoader workers. Defaults to 2.

    Returns:
        dict: Feeder class name -> ``samples``, ``init_s``,
        ``single_samples_per_s``, ``loader_samples_per_s``,
        ``loader_first_batch_s`` and the peaks (MiB).
    """
    folder = osp.join(tmp_dir, 'kinetics')
    paths = write_kinetics_like(num_samples, folder)
    own = dict(
        SkeletonDataset=dict(data_path=paths['npy'], mmap=True,
                             label_path=paths['label']),
        H5SkeletonDataset=dict(data_path=paths['h5']),
        PoseAnnotationDataset=dict(ann_file=paths['ann'], split='train',
                                   num_frames=300))
    results = {}
    for name, options in own.items():
        config = dict(type=name, num_classes=400, layout='openpose',
                      pipeline=list(KINETICS_TRAIN_PIPELINE), **options)
        results[name] = run_in_fresh_process(_measure_feeder, config,
                                             batch_size, num_workers)
    shutil.rmtree(folder)
    return results
