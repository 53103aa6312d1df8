"""Atomic writes leave either the old file or the new one."""
import pickle

import pytest

from stgcn_reg.utils import atomic_path, write_pickle_atomic


def test_write_replaces_the_file(tmp_path):
    target = tmp_path / 'out.pkl'
    write_pickle_atomic({'a': 1}, str(target))
    write_pickle_atomic({'a': 2}, str(target))
    assert pickle.loads(target.read_bytes()) == {'a': 2}
    assert [p.name for p in tmp_path.iterdir()] == ['out.pkl']


def test_failure_keeps_the_previous_file(tmp_path):
    target = tmp_path / 'out.bin'
    target.write_bytes(b'old')
    with pytest.raises(RuntimeError):
        with atomic_path(str(target)) as temp:
            with open(temp, 'wb') as file:
                file.write(b'half')
            raise RuntimeError('killed during the write')
    assert target.read_bytes() == b'old'
    assert [p.name for p in tmp_path.iterdir()] == ['out.bin']
