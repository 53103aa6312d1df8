"""A gendata run puts its outputs in place only when that loses nothing."""
import os

import numpy as np
import pytest

from stgcn_reg.datasets.converters import SampleToConvert
from stgcn_reg.datasets.converters.conversion import read_samples
from stgcn_reg.datasets.converters.gendata_outputs import (
    OutputRefusedError,
    commit_outputs,
    staged_outputs,
    stored_samples,
)
from stgcn_reg.datasets.readers import SkeletonFormatError

SHAPE = (3, 4, 5, 1)


def read_value(path: str) -> np.ndarray:
    """Test reader: the file holds one number; 'bad' is a format error."""
    text = open(path).read().strip()
    if text == 'bad':
        raise SkeletonFormatError(path, 'expected a number', 1)
    return np.full(SHAPE, float(text), np.float32)


def run(tmp_path, values, out, overwrite=False):
    """One split of ``values`` files into ``out``, through the checks."""
    samples = []
    for i, text in enumerate(values):
        path = tmp_path / f'in{i}.txt'
        path.write_text(text)
        samples.append(SampleToConvert(str(path), f's{i}', i))
    with staged_outputs() as pending:
        pending.append(read_samples(samples, read_value, SHAPE,
                                    str(out / 'd.npy'), str(out / 'l.pkl'),
                                    workers=1, progress=False))
        commit_outputs(pending, str(tmp_path), overwrite)
    return pending[0].summary


def snapshot(folder) -> dict:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_nothing_readable_writes_nothing(tmp_path):
    out = tmp_path / 'out' / 'xsub'
    with pytest.raises(OutputRefusedError, match='no sample of') as error:
        run(tmp_path, ['bad', 'bad'], out)
    assert '(2 skipped)' in str(error.value)
    assert [name for name, _ in error.value.skipped] == ['s0', 's1']
    assert 'expected a number' in error.value.details()[0]
    assert not (tmp_path / 'out').exists()  # folders it made are gone


def test_fewer_samples_need_overwrite(tmp_path):
    out = tmp_path / 'out'
    run(tmp_path, ['1', '2', '3'], out)
    before = snapshot(out)
    with pytest.raises(OutputRefusedError) as error:
        run(tmp_path, ['1', 'bad', 'bad'], out)
    message = str(error.value)
    assert f'{out / "d.npy"} holds 3 samples, this run has 1' in message
    assert '--overwrite' in message and '\n' not in message
    assert snapshot(out) == before
    summary = run(tmp_path, ['1', 'bad', 'bad'], out, overwrite=True)
    assert summary.written == 1 and stored_samples(str(out / 'd.npy')) == 1


def test_as_many_samples_replace_without_overwrite(tmp_path):
    out = tmp_path / 'out'
    run(tmp_path, ['1', 'bad'], out)
    run(tmp_path, ['5', '6'], out)
    assert np.load(out / 'd.npy')[:, 0, 0, 0, 0].tolist() == [5, 6]
    assert sorted(os.listdir(out)) == ['d.npy', 'l.pkl']


def test_non_finite_arrays_are_skipped_and_named(tmp_path):
    summary = run(tmp_path, ['1', 'nan', 'inf'], tmp_path / 'out')
    assert summary.written == 1
    reasons = dict(summary.skipped)
    assert sorted(reasons) == ['s1', 's2']
    assert reasons['s1'].endswith('in1.txt: holds NaN or infinite values')


def test_stored_samples_reads_the_header(tmp_path):
    assert stored_samples(str(tmp_path / 'missing.npy')) is None
    (tmp_path / 'junk.npy').write_bytes(b'not an array')
    assert stored_samples(str(tmp_path / 'junk.npy')) is None
    np.save(tmp_path / 'd.npy', np.zeros((7, 2), np.float32))
    assert stored_samples(str(tmp_path / 'd.npy')) == 7
