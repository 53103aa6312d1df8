"""End to end through tools/ntu_gendata.py (subprocess, 2 workers)."""

import glob
import json
import os
import os.path as osp
import pickle
import subprocess

import numpy as np
import pytest
from conftest import REPO_ROOT, SHARED_DATA
from tool_runner import run_python

from stgcn_reg.datasets import SkeletonDataset
from stgcn_reg.datasets.converters.gendata_outputs import OutputRefusedError
from stgcn_reg.datasets.converters.ntu_gendata import generate_ntu

TOOL = osp.join(REPO_ROOT, 'tools', 'ntu_gendata.py')


def skeleton_text(num_frames: int, num_bodies: int = 1) -> str:
    """A valid raw file: body ``b`` of ``1..num_bodies`` moves ``b / 10``
    along x per frame."""
    lines = [str(num_frames)]
    for frame in range(num_frames):
        lines.append(str(num_bodies))
        for body_id in range(1, num_bodies + 1):
            lines += [f'{body_id} 0 1 1 1 1 0 0.03 0.05 2', '25']
            lines += [
                f'{body_id * (1 + 0.1 * frame):.4f} {0.01 * joint:.4f} 3.0 '
                '277.4 191.8 1036.2 519.2 -0.21 0.05 0.97 -0.12 2'
                for joint in range(25)
            ]
    return '\r\n'.join(lines) + '\r\n'


# name -> (label, xsub split, xview split) of the synthetic files
SYNTHETIC = {
    'S001C001P001R001A005': (4, 'train', 'val'),
    'S001C002P003R001A060': (59, 'val', 'train'),
    'S003C003P007R002A010': (9, 'val', 'train'),
}
REAL = {
    'S001C001P001R001A001': (0, 'train', 'val'),
    'S001C001P001R001A011': (10, 'train', 'val'),
    'S002C001P003R001A003': (2, 'val', 'val'),
    'S004C002P003R001A017': (16, 'val', 'train'),
}


def run_tool(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, OMP_NUM_THREADS='1', CUDA_VISIBLE_DEVICES='')
    return run_python([TOOL, *args], cwd=REPO_ROOT, env=env, timeout=120)


def test_tool_writes_benchmarks(tmp_path):
    raw = tmp_path / 'raw'
    raw.mkdir()
    expected = dict(SYNTHETIC)
    for i, name in enumerate(SYNTHETIC):
        (raw / f'{name}.skeleton').write_text(skeleton_text(4 + i, i + 1))
    (raw / 'S001C001P002R001A001.skeleton').write_text('5\n1\n')  # broken
    (raw / 'S001C001P008R001A002.skeleton').write_text(skeleton_text(2))
    ignore = tmp_path / 'ignore.txt'
    ignore.write_text('S001C001P008R001A002\n')
    real = sorted(glob.glob(osp.join(SHARED_DATA, 'ntu', '*.skeleton')))
    for path in real:  # linked, never copied (licence)
        os.symlink(path, raw / osp.basename(path))
        expected[osp.basename(path)[: -len('.skeleton')]] = REAL[
            osp.basename(path)[: -len('.skeleton')]
        ]
    out = tmp_path / 'out'
    proc = run_tool(
        '--data_path',
        str(raw),
        '--out-folder',
        str(out),
        '--ignore-list',
        str(ignore),
        '--workers',
        '2',
        '--no-progress',
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert 'S001C001P002R001A001.skeleton' in proc.stdout  # reported skip
    for column, benchmark in ((1, 'xsub'), (2, 'xview')):
        folder = out / benchmark
        for split in ('train', 'val'):
            data_path = folder / f'{split}_data.npy'
            label_path = folder / f'{split}_label.pkl'
            names, labels = pickle.loads(label_path.read_bytes())
            want = sorted(n for n, v in expected.items() if v[column] == split)
            assert names == [f'{n}.skeleton' for n in want]
            assert labels == [expected[n][0] for n in want]
            data = np.load(data_path, mmap_mode='r')
            assert data.shape == (len(want), 3, 300, 25, 2)
            assert data.dtype == np.float32
            dataset = SkeletonDataset(
                str(data_path),
                str(label_path),
                layout='ntu-rgb+d',
                num_classes=60,
            )
            assert len(dataset) == len(want)
        report = json.loads((folder / 'gendata_summary.json').read_text())
        assert report['ignored'] == 1
    names, _ = pickle.loads((out / 'xsub' / 'train_label.pkl').read_bytes())
    data = np.load(out / 'xsub' / 'train_data.npy')
    sample = data[names.index('S001C001P001R001A005.skeleton')]
    np.testing.assert_allclose(sample[0, :5, 0, 0], [1, 1.1, 1.2, 1.3, 0])
    names, _ = pickle.loads((out / 'xsub' / 'val_label.pkl').read_bytes())
    data = np.load(out / 'xsub' / 'val_data.npy')
    sample = data[names.index('S003C003P007R002A010.skeleton')]
    # three bodies: the two most active are kept, most active first
    assert sample[0, 0, 0].tolist() == [3.0, 2.0]


@pytest.mark.parametrize('case', ['missing', 'empty'])
def test_tool_fails_clearly_without_files(tmp_path, case):
    data_path = tmp_path / 'missing' if case == 'missing' else tmp_path
    proc = run_tool(
        '--data-path', str(data_path), '--out_folder', str(tmp_path / 'out')
    )
    assert proc.returncode != 0
    message = 'not a folder' if case == 'missing' else 'no .skeleton files'
    assert message in proc.stderr and str(data_path) in proc.stderr


def prepare(tmp_path, names, broken=()):
    """Raw files for ``names`` (``broken`` ones truncated) in a new folder."""
    raw = tmp_path / f'raw{len(list(tmp_path.glob("raw*")))}'
    raw.mkdir()
    for i, name in enumerate(names):
        text = '5\n1\n' if name in broken else skeleton_text(3 + i)
        (raw / f'{name}.skeleton').write_text(text)
    return raw


def outputs(folder) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob('*')) if p.is_file()}


def test_rerun_never_destroys_a_prepared_dataset(tmp_path):
    out = tmp_path / 'out'
    generate_ntu(str(prepare(tmp_path, SYNTHETIC)), str(out), workers=1,
                 progress=False)
    before = outputs(out)
    # every file bad: nothing readable, nothing written
    proc = run_tool('--data-path',
                    str(prepare(tmp_path, SYNTHETIC, broken=SYNTHETIC)),
                    '--out-folder', str(out), '--workers', '1',
                    '--no-progress')
    assert proc.returncode != 0
    assert proc.stderr.strip().splitlines() == [
        f"error: no sample of '{tmp_path / 'raw1'}' could be read (3 "
        'skipped); nothing was written and earlier outputs are kept']
    for name in SYNTHETIC:
        assert f'skipped {name}.skeleton: ' in proc.stdout
    assert outputs(out) == before
    # fewer samples: refused without --overwrite, replaced with it
    fewer = prepare(tmp_path, SYNTHETIC, broken=['S001C002P003R001A060'])
    with pytest.raises(OutputRefusedError) as error:
        generate_ntu(str(fewer), str(out), workers=1, progress=False)
    assert (f'{out / "xsub" / "val_data.npy"} holds 2 samples, this run has '
            '1' in str(error.value)) and '--overwrite' in str(error.value)
    assert outputs(out) == before
    proc = run_tool('--data-path', str(fewer), '--out-folder', str(out),
                    '--workers', '1', '--no-progress', '--overwrite')
    assert proc.returncode == 0, proc.stderr
    assert np.load(out / 'xsub' / 'val_data.npy').shape == (1, 3, 300, 25, 2)


@pytest.mark.parametrize('source', ['synthetic', 'real'])
def test_non_finite_coordinate_is_skipped_and_named(tmp_path, request,
                                                    source):
    raw = prepare(tmp_path, ['S001C001P001R001A005'])
    name = 'S001C001P001R001A001.skeleton'
    if source == 'real':  # a real file with one value changed, in tmp_path
        shared = request.getfixturevalue('shared_data')
        lines = open(osp.join(shared, 'ntu', name), newline='').read()
        lines = lines.splitlines(keepends=True)
    else:
        lines = skeleton_text(4).splitlines(keepends=True)
    line = 9  # 1-based: joint 4 of frame 0 of the first body
    fields = lines[line - 1].split(' ')
    lines[line - 1] = ' '.join(['nan'] + fields[1:])
    (raw / name).write_text(''.join(lines), newline='')
    summaries = generate_ntu(str(raw), str(tmp_path / 'out'), ['xsub'],
                             workers=1, progress=False)
    train = summaries['xsub/train']
    assert train.written == 1
    reasons = dict(train.skipped)
    assert list(reasons) == [name]
    assert reasons[name] == (f'{raw / name}, line {line}: x of joint 4 of '
                             'frame 0 is nan, not a finite coordinate')
