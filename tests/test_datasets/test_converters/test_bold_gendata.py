"""BOLD conversion: every row read or reported, labels follow the data."""
import json
import os
import os.path as osp

import numpy as np
import pytest

from stgcn_reg.datasets.converters.bold_gendata import (
    format_bold_summary,
    generate_bold,
)
from stgcn_reg.datasets.converters.gendata_outputs import OutputRefusedError
from stgcn_reg.datasets.readers.bold import read_bold_csv
from stgcn_reg.datasets.readers.bold_labels import load_bold_labels
from stgcn_reg.datasets.synthetic_bold import write_bold_fixture


@pytest.fixture(scope='module')
def release(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('bold') / 'raw')
    info = write_bold_fixture(root, num_train=12, num_val=6, num_test=3,
                              num_frames=10, seed=3, defects=True)
    return root, info


def test_converts_splits_and_reports_bad_rows(release, tmp_path):
    root, info = release
    out = str(tmp_path / 'out')
    summaries = generate_bold(root, out, splits=('train', 'val', 'test'),
                              num_frames=12, workers=2, progress=False)
    train = summaries['train']
    assert (train['rows'], train['written']) == (16, 12)
    reasons = {skip['name']: skip['reason'] for skip in train['skipped']}
    bad = [f'annotations/train.csv, line {line}'
           for line in info['defect_lines'][2:]]
    assert '3 columns' in reasons[bad[0]]
    assert "Peace (column 5) 'abc'" in reasons[bad[1]]
    missing = [r for n, r in reasons.items() if 'missing.mp4' in n]
    assert len(missing) == 1 and missing[0].endswith(
        osp.join('missing.mp4', '0001.npy') + ': joint file not found')
    absent = [r for n, r in reasons.items() if '#7:' in n]
    assert len(absent) == 1 and 'person_id 7 not in the file' in absent[0]
    assert {skip['stage'] for skip in train['skipped']} == {'csv', 'read'}

    data = np.load(osp.join(out, 'train_data.npy'))
    assert data.shape == (12, 3, 12, 18, 1) and data.dtype == np.float32
    assert np.abs(data[:, :2]).max() <= 0.5 + 1e-6
    labels = load_bold_labels(osp.join(out, 'train_label.pkl'))
    rows, _ = read_bold_csv(osp.join(root, 'annotations', 'train.csv'))
    by_name = {row.name: row for row in rows}
    assert len(labels['sample_names']) == 12
    for i, name in enumerate(labels['sample_names']):
        np.testing.assert_array_equal(labels['categories'][i],
                                      by_name[name].categories)
        np.testing.assert_array_equal(labels['dimensions'][i],
                                      by_name[name].dimensions)
    assert 0 < train['positive_rate']['Peace'] <= 1

    assert summaries['val']['written'] == 6 and not \
        summaries['val']['skipped']
    test = load_bold_labels(osp.join(out, 'test_label.pkl'))
    assert len(test['sample_names']) == 3 and 'categories' not in test
    assert 'positive_rate' not in summaries['test']
    with open(osp.join(out, 'train_gendata_summary.json')) as file:
        saved = json.load(file)
    assert saved['skipped'] == train['skipped']
    assert saved['settings'] == dict(num_frames=12, frame_range='annotation')
    assert not [name for name in os.listdir(out) if name.startswith('.')]
    text = format_bold_summary(train)
    assert 'train: 12 of 16 rows written' in text and 'skipped 4:' in text


def test_one_worker_writes_the_same(release, tmp_path):
    root, _ = release
    arrays = []
    for workers in (1, 2):
        out = str(tmp_path / f'w{workers}')
        generate_bold(root, out, splits=('val',), num_frames=8,
                      workers=workers, progress=False)
        arrays.append(np.load(osp.join(out, 'val_data.npy')))
    np.testing.assert_array_equal(*arrays)


def test_missing_annotations_fail_before_writing(release, tmp_path):
    root, _ = release
    partial = tmp_path / 'partial'
    (partial / 'annotations').mkdir(parents=True)
    (partial / 'annotations' / 'train.csv').write_text(
        open(osp.join(root, 'annotations', 'train.csv')).read())
    out = tmp_path / 'out'
    with pytest.raises(FileNotFoundError, match='test_meta.csv'):
        generate_bold(str(partial), str(out), splits=('train', 'test'),
                      progress=False)
    assert not out.exists()
    with pytest.raises(ValueError, match='num_frames'):
        generate_bold(root, str(out), num_frames=0, progress=False)
    with pytest.raises(ValueError, match='unknown split'):
        generate_bold(root, str(out), splits=('dev',), progress=False)


def test_a_run_without_good_rows_writes_nothing(tmp_path):
    (tmp_path / 'raw' / 'annotations').mkdir(parents=True)
    (tmp_path / 'raw' / 'annotations' / 'val.csv').write_text('x,1\n')
    out = tmp_path / 'out'
    with pytest.raises(OutputRefusedError, match='no sample of') as error:
        generate_bold(str(tmp_path / 'raw'), str(out), splits=('val',),
                      num_frames=5, progress=False)
    assert error.value.skipped[0][0] == 'annotations/val.csv, line 1'
    assert not out.exists()


def test_a_split_without_good_rows_writes_empty_files(release, tmp_path):
    root, _ = release
    raw = tmp_path / 'raw'
    (raw / 'annotations').mkdir(parents=True)
    (raw / 'joints').symlink_to(osp.join(root, 'joints'))
    for name in ('train.csv', 'val.csv'):
        text = open(osp.join(root, 'annotations', name)).read()
        (raw / 'annotations' / name).write_text(
            text if name == 'train.csv' else 'x,1\n')
    out = str(tmp_path / 'out')
    summary = generate_bold(str(raw), out, num_frames=5,
                            progress=False)['val']
    assert (summary['rows'], summary['written']) == (1, 0)
    assert np.load(osp.join(out, 'val_data.npy')).shape == (0, 3, 5, 18, 1)
    labels = load_bold_labels(osp.join(out, 'val_label.pkl'))
    assert labels['categories'].shape == (0, 26)


def test_fewer_samples_replace_only_with_overwrite(release, tmp_path):
    root, _ = release
    out = tmp_path / 'out'
    generate_bold(root, str(out), splits=('val',), num_frames=5,
                  progress=False)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    smaller = str(tmp_path / 'smaller')
    write_bold_fixture(smaller, num_train=2, num_val=2, num_test=1,
                       num_frames=10, seed=3)
    with pytest.raises(OutputRefusedError) as error:
        generate_bold(smaller, str(out), splits=('val',), num_frames=5,
                      progress=False)
    assert (f'{out / "val_data.npy"} holds 6 samples, this run has 2'
            in str(error.value)) and '--overwrite' in str(error.value)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    generate_bold(smaller, str(out), splits=('val',), num_frames=5,
                  progress=False, overwrite=True)
    assert len(load_bold_labels(str(out / 'val_label.pkl'))[
        'sample_names']) == 2
