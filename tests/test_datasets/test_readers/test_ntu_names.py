"""NTU RGB+D sample names, benchmark splits and ignore lists."""
import os.path as osp

import pytest
from ntu_raw import REAL_SAMPLES, real_ntu_files

from stgcn_reg.datasets.readers.ntu_names import (
    NTU60_XSUB_TRAIN_SUBJECTS,
    NTU120_XSUB_TRAIN_SUBJECTS,
    NTUName,
    parse_ntu_name,
    read_ignore_list,
    split_of,
)


def test_real_labels_and_splits(shared_data):
    ntu_files = real_ntu_files(shared_data)
    for name, (label, xsub, xview) in REAL_SAMPLES.items():
        fields = parse_ntu_name(osp.basename(ntu_files[name]))
        assert fields.label == label
        assert split_of(name, 'xsub') == xsub
        assert split_of(fields, 'xview') == xview


def test_official_ignore_list(shared_data):
    path = osp.join(shared_data, 'ntu', 'samples_with_missing_skeletons.txt')
    names = read_ignore_list(path)
    assert len(names) == 302 and 'S001C002P005R002A008' in names


def test_parse_names_and_benchmarks():
    assert parse_ntu_name('dir/S032C003P106R002A120.skeleton') == NTUName(
        32, 3, 106, 2, 120
    )
    assert parse_ntu_name('S001C002P003R004A005').subject == 3
    for bad in (
        'S001C001P001R001.skeleton',
        'x.skeleton',
        'S000C001P001R001A001',
        's001c001p001r001a001',
    ):
        with pytest.raises(ValueError, match='not an NTU RGB'):
            parse_ntu_name(bad)
    assert len(NTU120_XSUB_TRAIN_SUBJECTS) == 53
    assert set(NTU60_XSUB_TRAIN_SUBJECTS) < set(NTU120_XSUB_TRAIN_SUBJECTS)
    assert split_of('S020C001P045R001A100', 'xsub120') == 'train'
    assert split_of('S020C001P044R001A100', 'xsub120') == 'val'
    assert split_of('S020C001P044R001A100', 'xset120') == 'train'
    assert split_of('S021C001P045R001A100', 'xset120') == 'val'
    assert split_of('S001C003P002R001A001', 'xview') == 'train'
    with pytest.raises(ValueError, match='unknown NTU benchmark'):
        split_of('S001C001P001R001A001', 'xsetup')


def test_ignore_list_file(tmp_path):
    path = tmp_path / 'ignore.txt'
    path.write_bytes(
        b'S001C001P001R001A001\r\n\n  \nS002C001P001R001A001.skeleton\n'
    )
    assert read_ignore_list(str(path)) == {
        'S001C001P001R001A001',
        'S002C001P001R001A001',
    }
