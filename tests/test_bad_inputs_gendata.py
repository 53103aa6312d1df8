"""Malformed raw data through the gendata tools and ``generate_ntu``: a bad
file is skipped and reported, a folder without data is a one-line error;
the raw data is byte-for-byte unchanged afterwards."""
import pickle

import numpy as np
import pytest
from bad_input_helpers import left_unchanged
from tool_runner import run_tool, tool

from stgcn_reg.datasets.converters.ntu_gendata import generate_ntu

pytestmark = pytest.mark.slow


# ------------------------------------------------ gendata on bad raw data


def ntu_skeleton_text(num_frames: int) -> str:
    """A valid raw NTU file: one body, 25 joints per frame."""
    lines = [str(num_frames)]
    for frame in range(num_frames):
        lines += ['1', '72057594037931101 0 1 1 1 1 0 0.03 0.05 2', '25']
        lines += [
            f'{0.1 * frame:.3f} {0.01 * joint:.3f} 3.0 277.4 191.8 1036.2 '
            '519.2 -0.21 0.05 0.97 -0.12 2' for joint in range(25)
        ]
    return '\r\n'.join(lines) + '\r\n'


def test_truncated_skeleton_file_is_skipped_and_reported(tmp_path):
    raw = tmp_path / 'raw'
    raw.mkdir()
    good = ['S001C001P001R001A001', 'S001C001P001R001A002']
    for name in good:
        (raw / f'{name}.skeleton').write_text(ntu_skeleton_text(4))
    text = ntu_skeleton_text(4)
    truncated = raw / 'S001C001P001R001A003.skeleton'
    truncated.write_text(text[:len(text) // 2])
    out = tmp_path / 'out'
    with left_unchanged(str(raw)):
        summaries = generate_ntu(str(raw), str(out), benchmarks=['xsub'],
                                 workers=1, progress=False)
    skipped = dict(summaries['xsub/train'].skipped)
    assert list(skipped) == [truncated.name]
    assert str(truncated) in skipped[truncated.name]
    assert summaries['xsub/train'].written == 2
    with open(out / 'xsub' / 'train_label.pkl', 'rb') as file:
        names, labels = pickle.load(file)
    assert names == [f'{name}.skeleton' for name in good]
    assert labels == [0, 1]
    assert np.load(out / 'xsub' / 'train_data.npy').shape[0] == 2


def test_ntu_gendata_on_an_empty_folder(tmp_path):
    raw = tmp_path / 'raw'
    raw.mkdir()
    (raw / 'readme.txt').write_text('no skeletons here')
    out = tmp_path / 'out'
    with left_unchanged(str(raw)):
        output = run_tool(tool('ntu_gendata.py'), '--data-path', str(raw),
                          '--out-folder', str(out), cwd=str(tmp_path),
                          expect_rc=1)
    assert (f"error: data_path '{raw}' has no .skeleton files" in output)
    assert 'Traceback' not in output
    assert not out.exists()


def test_kinetics_gendata_on_a_missing_folder(tmp_path):
    missing = tmp_path / 'no_such_release'
    output = run_tool(tool('kinetics_gendata.py'), '--data-path',
                      str(missing), '--out-folder', str(tmp_path / 'out'),
                      cwd=str(tmp_path), expect_rc=1)
    assert (f"error: split 'train': folder '{missing}/kinetics_train' not "
            'found' in output)
    assert 'Traceback' not in output
    assert not (tmp_path / 'out').exists()
