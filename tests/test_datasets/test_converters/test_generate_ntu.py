"""``generate_ntu``: benchmark splits of a raw folder, skips reported."""
import json
import pickle

import numpy as np
import pytest
from ntu_raw import one_body_frames, write

from stgcn_reg.datasets.converters.ntu_gendata import generate_ntu


def test_generate_ntu_skips_reports_and_ignores(tmp_path):
    raw = tmp_path / 'raw'
    raw.mkdir()
    write(raw, 'S001C002P003R001A002.skeleton', one_body_frames(2))
    write(raw, 'S001C001P001R001A001.skeleton', one_body_frames(3))
    write(raw, 'S001C001P004R001A004.skeleton', one_body_frames(3))
    write(raw, 'S018C001P001R001A061.skeleton', one_body_frames(3))
    bad = raw / 'S001C003P002R001A003.skeleton'
    bad.write_text('3\n1\n')
    write(raw, 'notes.skeleton', one_body_frames(1))
    out = tmp_path / 'out'
    summaries = generate_ntu(
        str(raw),
        str(out),
        benchmarks=['xsub'],
        ignore_list=['S001C001P004R001A004'],
        workers=1,
        max_frames=4,
        progress=False,
    )
    assert sorted(summaries) == ['xsub/train', 'xsub/val']
    train, val = summaries['xsub/train'], summaries['xsub/val']
    assert train.written == 1 and val.written == 1
    assert [name for name, _ in train.skipped] == [bad.name]
    assert 'truncated' in train.skipped[0][1]
    data = np.load(out / 'xsub' / 'train_data.npy')
    assert data.shape == (1, 3, 4, 25, 2)
    names, labels = pickle.loads((out / 'xsub' / 'val_label.pkl').read_bytes())
    assert names == ['S001C002P003R001A002.skeleton'] and labels == [1]
    report = json.loads((out / 'xsub' / 'gendata_summary.json').read_text())
    assert report['ignored'] == 1 and report['outside_benchmark'] == 1
    assert report['bad_names'][0]['name'] == 'notes.skeleton'
    assert report['splits']['train']['skipped'][0]['name'] == bad.name
    # NTU-120 benchmarks keep the S018 file
    summaries = generate_ntu(
        str(raw), str(out), benchmarks=['xset120'], workers=1, progress=False
    )
    assert summaries['xset120/train'].written == 1
    assert summaries['xset120/val'].written == 3


def test_generate_ntu_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match='not a folder'):
        generate_ntu(str(tmp_path / 'missing'), str(tmp_path / 'out'))
    with pytest.raises(FileNotFoundError, match='no .skeleton files'):
        generate_ntu(str(tmp_path), str(tmp_path / 'out'))
    with pytest.raises(ValueError, match='unknown NTU benchmark'):
        generate_ntu(str(tmp_path), str(tmp_path / 'out'), benchmarks=['x'])
