"""The shared parallel converter: order, skips, atomic memory-mapped output."""
import os
import pickle

import numpy as np
import pytest

from stgcn_reg.datasets.converters import SampleToConvert, convert_samples
from stgcn_reg.datasets.readers import SkeletonFormatError

SHAPE = (3, 4, 5, 2)


def read_number_file(path: str) -> np.ndarray:
    """Test reader: the file holds one number; 'bad' is a format error."""
    text = open(path).read().strip()
    if text == 'bad':
        raise SkeletonFormatError(path, 'expected a number, got "bad"', 1)
    if text == 'short':
        return np.zeros((3, 4, 5, 1), np.float32)
    return np.full(SHAPE, float(text), np.float32)


def make_samples(tmp_path, contents):
    samples = []
    for i, text in enumerate(contents):
        path = tmp_path / f'f{i}.txt'
        path.write_text(text)
        samples.append(SampleToConvert(str(path), f's{i}', i))
    return samples


@pytest.mark.parametrize('workers', [1, 2])
def test_order_labels_and_values(tmp_path, workers):
    samples = make_samples(tmp_path, [str(i) for i in range(9)])
    out = tmp_path / 'out'
    summary = convert_samples(samples, read_number_file, SHAPE,
                              str(out / 'd.npy'), str(out / 'l.pkl'),
                              workers=workers, progress=False)
    data = np.load(out / 'd.npy')
    assert data.shape == (9, *SHAPE) and data.dtype == np.float32
    assert data[:, 0, 0, 0, 0].tolist() == list(range(9))
    names, labels = pickle.loads((out / 'l.pkl').read_bytes())
    assert names == [f's{i}' for i in range(9)] and labels == list(range(9))
    assert summary.written == 9 and not summary.skipped
    assert sorted(os.listdir(out)) == ['d.npy', 'l.pkl']


def test_bad_files_are_skipped_and_reported(tmp_path):
    samples = make_samples(tmp_path, ['1', 'bad', '3', 'short', '5'])
    summary = convert_samples(samples, read_number_file, SHAPE,
                              str(tmp_path / 'd.npy'),
                              str(tmp_path / 'l.pkl'), workers=2,
                              progress=False)
    assert summary.written == 3
    reasons = dict(summary.skipped)
    assert 'f1.txt, line 1: expected a number' in reasons['s1']
    assert 'shape' in reasons['s3']
    data = np.load(tmp_path / 'd.npy')
    assert data[:, 0, 0, 0, 0].tolist() == [1, 3, 5]
    names, labels = pickle.loads((tmp_path / 'l.pkl').read_bytes())
    assert names == ['s0', 's2', 's4'] and labels == [0, 2, 4]
    assert 'skipped s1' in summary.format()
    assert not [p for p in os.listdir(tmp_path) if 'scratch' in p]


def test_all_files_bad_gives_an_empty_array(tmp_path):
    samples = make_samples(tmp_path, ['bad', 'bad'])
    summary = convert_samples(samples, read_number_file, SHAPE,
                              str(tmp_path / 'd.npy'),
                              str(tmp_path / 'l.pkl'), workers=1,
                              progress=False)
    assert summary.written == 0 and len(summary.skipped) == 2
    assert np.load(tmp_path / 'd.npy').shape == (0, *SHAPE)
