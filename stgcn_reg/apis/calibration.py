"""Real clips from a config's test data, e.g. to calibrate an int8 model."""
from typing import List

import numpy as np
from mmengine.config import Config
from mmengine.registry import DefaultScope

from stgcn_reg.registry import DATASETS


def dataset_clips(cfg: Config, count: int,
                  loader: str = 'test_dataloader') -> List[np.ndarray]:
    """Up to ``count`` clips ``(C, T, V, M)`` of ``loader``'s dataset
    after its pipeline, spread evenly over the dataset (the first clip of
    a multi-clip sample).

    Raises:
        ValueError: The config has no such dataset, or it holds no clip
            (missing files are :class:`SkeletonFileNotFoundError`, a
            ValueError too).
    """
    dataset_cfg = cfg.get(loader, {}).get('dataset')
    if not dataset_cfg:
        raise ValueError(f'{loader}.dataset: not in the config; it gives '
                         'the calibration clips')
    with DefaultScope.overwrite_default_scope('stgcn_reg'):
        dataset = DATASETS.build(dataset_cfg)
    if len(dataset) == 0:
        raise ValueError(f'{loader}.dataset holds no clip')
    picks = np.unique(np.linspace(0, len(dataset) - 1,
                                  min(count, len(dataset))).round())
    clips = []
    for index in picks.astype(int):
        inputs = np.asarray(dataset[int(index)]['inputs'], np.float32)
        clips.append(inputs[0] if inputs.ndim == 5 else inputs)
    return clips
