"""BoldDataset: npy + BOLD label file to model inputs and targets."""
import pickle

import numpy as np
import pytest
import torch
from mmengine.dataset import default_collate

from stgcn_reg.datasets import BoldDataset
from stgcn_reg.datasets.readers.bold_labels import write_bold_labels
from stgcn_reg.registry import DATASETS


def write(tmp_path, num=3, joints=18, labelled=True, num_labels=None):
    rng = np.random.default_rng(0)
    data = rng.normal(size=(num, 3, 8, joints, 1)).astype(np.float32)
    data_path, label_path = tmp_path / 'd.npy', tmp_path / 'l.pkl'
    np.save(data_path, data)
    count = num if num_labels is None else num_labels
    targets = {}
    if labelled:
        targets = dict(
            categories=rng.uniform(0, 1, (count, 26)),
            dimensions=rng.uniform(1, 10, (count, 3)))
    write_bold_labels(str(label_path), [f's{i}' for i in range(count)],
                      **targets)
    return str(data_path), str(label_path), data, targets


def test_items_carry_inputs_and_targets(tmp_path, default_scope):
    data_path, label_path, data, targets = write(tmp_path)
    dataset = DATASETS.build(dict(
        type='BoldDataset', data_path=data_path, label_path=label_path,
        pipeline=[dict(type='AutoPad', window_size=10)]))
    item = dataset[2]
    assert item['inputs'].shape == (3, 10, 18, 1)
    assert torch.equal(item['inputs'][:, :8], torch.from_numpy(data[2]))
    samples = item['data_samples']
    assert samples['index'] == 2 and samples['sample_name'] == 's2'
    assert samples['categories'].dtype == torch.float32
    np.testing.assert_allclose(samples['categories'],
                               targets['categories'][2], rtol=1e-6)
    np.testing.assert_allclose(samples['dimensions'],
                               targets['dimensions'][2], rtol=1e-6)
    assert dataset.metainfo['category_names'][0] == 'Peace'
    batch = default_collate([dataset[0], dataset[1]])
    assert batch['data_samples']['categories'].shape == (2, 26)
    assert batch['data_samples']['dimensions'].shape == (2, 3)


def test_unlabelled_split_has_no_targets(tmp_path):
    data_path, label_path, _, _ = write(tmp_path, labelled=False)
    samples = BoldDataset(data_path, label_path,
                          test_mode=True)[0]['data_samples']
    assert set(samples) == {'index', 'sample_name'}


def test_survives_pickling_for_workers(tmp_path):
    data_path, label_path, data, _ = write(tmp_path)
    dataset = BoldDataset(data_path, label_path)
    clone = pickle.loads(pickle.dumps(dataset))
    assert torch.equal(clone[1]['inputs'], torch.from_numpy(data[1]))


def test_count_and_layout_mismatches_name_the_files(tmp_path):
    data_path, label_path, _, _ = write(tmp_path, num_labels=2)
    with pytest.raises(ValueError, match=r"l.pkl' has 2 samples but "
                       r"data_path .*d.npy' has 3"):
        BoldDataset(data_path, label_path)
    data_path, label_path, _, _ = write(tmp_path, joints=25)
    with pytest.raises(ValueError, match="graph layout 'openpose' has 18"):
        BoldDataset(data_path, label_path)
