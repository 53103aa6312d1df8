"""Clips for calibration come from the config's test data, spread out."""
import numpy as np
import pytest
from conftest import REPO_ROOT, write_skeleton_files
from mmengine.config import Config

from stgcn_reg.apis.calibration import dataset_clips
from stgcn_reg.registry import DATASETS


def demo_config(folder: str) -> Config:
    cfg = Config.fromfile(f'{REPO_ROOT}/configs/stgcn_demo.py')
    cfg.test_dataloader.dataset.update(
        data_path=f'{folder}/val_data.npy',
        label_path=f'{folder}/val_label.pkl', data_root=None)
    return cfg


def test_clips_are_spread_over_the_dataset(default_scope, tmp_path):
    data = np.random.default_rng(0).normal(
        size=(10, 3, 12, 25, 2)).astype(np.float32)
    write_skeleton_files(str(tmp_path), 'val', data, [0] * 10)
    cfg = demo_config(str(tmp_path))
    clips = dataset_clips(cfg, 4)
    assert len(clips) == 4 and clips[0].shape == (3, 12, 25, 2)
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    for clip, index in zip(clips, (0, 3, 6, 9)):  # after the pipeline
        np.testing.assert_array_equal(clip, dataset[index]['inputs'])
    assert len(dataset_clips(demo_config(str(tmp_path)), 100)) == 10


def test_a_config_without_test_data_is_one_error(default_scope, tmp_path):
    cfg = demo_config(str(tmp_path))
    with pytest.raises(ValueError, match='not found'):
        dataset_clips(cfg, 4)
    cfg.test_dataloader = dict()
    with pytest.raises(ValueError, match='test_dataloader.dataset: not in '
                       'the config'):
        dataset_clips(cfg, 4)
