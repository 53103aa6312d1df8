"""The BOLD label file: written as plain data, checked when loaded."""
import pickle

import numpy as np
import pytest

from stgcn_reg.datasets.readers.bold_labels import (
    load_bold_labels,
    positive_rates,
    write_bold_labels,
)
from stgcn_reg.utils import safe_load_pickle


def test_round_trip_through_the_safe_loader(tmp_path):
    path = str(tmp_path / 'l.pkl')
    categories = np.linspace(0, 1, 52).reshape(2, 26)
    write_bold_labels(path, ['a', 'b'], categories, [[1, 5, 10], [2, 2, 2]])
    raw = safe_load_pickle(path)  # plain data only
    assert raw['sample_names'] == ['a', 'b']
    assert raw['categories'].dtype == np.float32
    labels = load_bold_labels(path)
    assert labels['dimensions'].tolist() == [[1, 5, 10], [2, 2, 2]]
    assert labels['category_names'][0] == 'Peace'
    assert labels['dimension_names'] == ['Valence', 'Arousal', 'Dominance']


def test_names_only_is_an_unlabelled_split(tmp_path):
    path = str(tmp_path / 'l.pkl')
    write_bold_labels(path, ['a'])
    assert 'categories' not in load_bold_labels(path)


@pytest.mark.parametrize('content,message', [
    ((['a'], [0]), 'expected a dict with sample_names'),
    (dict(sample_names=['a'], categories=np.zeros((1, 25))),
     r'categories has shape \(1, 25\), expected \(1, 26\)'),
    (dict(sample_names=['a'], dimensions=np.array([[0.5, 5, 5]])),
     r'dimensions\[0, 0\] \(Valence\) is 0.5, expected a number in '
     r'\[1, 10\]'),
    (dict(sample_names=['a'], categories=np.full((1, 26), np.nan)),
     r'categories\[0, 0\] \(Peace\) is nan'),
])
def test_bad_label_files_name_file_and_field(tmp_path, content, message):
    path = tmp_path / 'bad.pkl'
    path.write_bytes(pickle.dumps(content))
    with pytest.raises(ValueError, match=message) as info:
        load_bold_labels(str(path))
    assert 'bad.pkl' in str(info.value)


def test_missing_label_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.pkl'):
        load_bold_labels(str(tmp_path / 'nope.pkl'))


def test_positive_rates_use_the_threshold():
    scores = np.array([[0.5, 0.4], [0.6, 0.0], [0.2, 1.0], [0.1, 0.49]])
    assert positive_rates(scores).tolist() == [0.5, 0.25]
    assert positive_rates(scores, 0.3).tolist() == [0.5, 0.75]
    assert positive_rates(np.zeros((0, 2))).tolist() == [0, 0]
