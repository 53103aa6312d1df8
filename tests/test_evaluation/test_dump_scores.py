"""Per-sample score dumps for ensembling."""
import pickle

import pytest
import torch

from stgcn_reg.evaluation import DumpScores


def test_dump_is_in_dataset_order(tmp_path):
    out_file = tmp_path / 'scores.pkl'
    metric = DumpScores(str(out_file))
    metric.process(None, [
        dict(index=1, sample_name='b', scores=torch.tensor([0.1, 0.9]),
             label=1),
        dict(index=0, sample_name='a', scores=torch.tensor([0.8, 0.2]),
             label=0),
    ])
    assert metric.evaluate(2) == {}
    with open(out_file, 'rb') as file:
        dumped = pickle.load(file)
    assert dumped['sample_names'] == ['a', 'b']
    assert dumped['scores'].shape == (2, 2)
    assert dumped['scores'][0, 0] == pytest.approx(0.8)
    assert dumped['labels'].tolist() == [0, 1]
    assert not list(tmp_path.glob('.*tmp*'))


def test_out_file_must_be_a_pickle(tmp_path):
    with pytest.raises(ValueError, match='.pkl'):
        DumpScores(str(tmp_path / 'scores.txt'))
