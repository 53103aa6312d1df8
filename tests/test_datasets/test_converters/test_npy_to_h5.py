"""npy + label pkl -> HDF5: contents, chunking, compression, atomicity."""

import os
import os.path as osp
import runpy

import h5py
import numpy as np
import pytest
from conftest import REPO_ROOT, write_skeleton_files

from stgcn_reg.datasets.converters import npy_to_h5
from stgcn_reg.datasets.converters.npy_to_h5 import convert_npy_to_h5

TOOL = osp.join(REPO_ROOT, 'tools', 'npy_to_h5.py')


@pytest.fixture
def npy_pair(tmp_path):
    rng = np.random.default_rng(0)
    data = rng.normal(size=(5, 3, 6, 25, 2))  # float64: stored as float32
    names = ['a', 'b', 'ü', 'd', 'e']
    return write_skeleton_files(
        str(tmp_path), 'x', data, [0, 1, 2, 0, 1], names
    )


@pytest.mark.parametrize('compression', [None, 'gzip', 'lzf'])
def test_contents_and_layout(tmp_path, npy_pair, compression):
    out = str(tmp_path / 'out' / 'x.h5')
    shape = convert_npy_to_h5(
        *npy_pair, out, compression=compression, chunk_samples=2
    )
    assert shape == (5, 3, 6, 25, 2)
    with h5py.File(out, 'r') as file:
        data = file['data']
        assert data.dtype == np.float32
        assert data.chunks == (1, 3, 6, 25, 2)
        assert data.compression == compression
        np.testing.assert_array_equal(
            data[()], np.load(npy_pair[0]).astype(np.float32)
        )
        assert file['label'][()].tolist() == [0, 1, 2, 0, 1]
        names = file['sample_name'].asstr()[()].tolist()
        assert names == ['a', 'b', 'ü', 'd', 'e']
    assert os.listdir(tmp_path / 'out') == ['x.h5']  # no temp file left


def test_reads_the_array_memory_mapped(tmp_path, npy_pair, monkeypatch):
    calls = []
    original = npy_to_h5.open_skeleton_array

    def spy(path, mmap=True, layout=None):
        calls.append(mmap)
        return original(path, mmap, layout)

    monkeypatch.setattr(npy_to_h5, 'open_skeleton_array', spy)
    convert_npy_to_h5(*npy_pair, str(tmp_path / 'x.h5'))
    assert calls == [True]


def test_failure_leaves_the_old_file(tmp_path, npy_pair, monkeypatch):
    out = tmp_path / 'x.h5'
    out.write_bytes(b'old')

    class BrokenArray:
        """Array whose second chunk cannot be read."""

        def __init__(self, array):
            self.array, self.shape, self.reads = array, array.shape, 0

        def __getitem__(self, key):
            self.reads += 1
            if self.reads > 1:
                raise OSError('disk error')
            return self.array[key]

    monkeypatch.setattr(
        npy_to_h5,
        'open_skeleton_array',
        lambda path, mmap: BrokenArray(np.load(path)),
    )
    with pytest.raises(OSError, match='disk error'):
        convert_npy_to_h5(*npy_pair, str(out), chunk_samples=2)
    assert out.read_bytes() == b'old'
    # and no temp file beside it
    assert sorted(os.listdir(tmp_path)) == [
        'x.h5',
        'x_data.npy',
        'x_label.pkl',
    ]


def test_bad_input_is_reported(tmp_path, npy_pair):
    data_path, label_path = npy_pair
    out = str(tmp_path / 'x.h5')
    with pytest.raises(ValueError, match="compression.*'zip'"):
        convert_npy_to_h5(data_path, label_path, out, compression='zip')
    with pytest.raises(ValueError, match='chunk_samples.*0'):
        convert_npy_to_h5(data_path, label_path, out, chunk_samples=0)
    with pytest.raises(FileNotFoundError, match='label_path.*nope.pkl'):
        convert_npy_to_h5(data_path, str(tmp_path / 'nope.pkl'), out)
    short_data, short_label = write_skeleton_files(
        str(tmp_path), 'short', np.zeros((2, 3, 6, 25, 2)), [0, 1, 2]
    )
    with pytest.raises(ValueError, match='3 labels.*2 samples'):
        convert_npy_to_h5(short_data, short_label, out)
    assert not osp.exists(out)


def test_command_line(tmp_path, npy_pair, monkeypatch, capsys):
    out = str(tmp_path / 'cli.h5')
    monkeypatch.setattr(
        'sys.argv', ['npy_to_h5.py', *npy_pair, out, '--compression', 'gzip']
    )
    runpy.run_path(TOOL, run_name='__main__')
    assert 'cli.h5: float32 (5, 3, 6, 25, 2), gzip compression' in (
        capsys.readouterr().out
    )
    monkeypatch.setattr(
        'sys.argv', ['npy_to_h5.py', 'nope.npy', npy_pair[1], out]
    )
    with pytest.raises(SystemExit, match='error: data_path.*nope.npy'):
        runpy.run_path(TOOL, run_name='__main__')
