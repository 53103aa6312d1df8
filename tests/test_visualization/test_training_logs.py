"""Per-epoch curves from mmengine's JSON scalar logs, and their plot."""
import csv
import json
import os

import cv2
import pytest

from stgcn_reg.visualization import (
    epoch_curves,
    find_scalar_logs,
    load_run,
    plot_training_curves,
    read_scalar_log,
)

# as mmengine writes them: training lines with epoch/iter, validation
# lines with step = epoch
FIRST_RUN = [
    dict(lr=0.1, loss=2.0, epoch=1, iter=1, step=1),
    dict(lr=0.1, loss=1.0, epoch=1, iter=2, step=2),
    {'acc/top1': 40.0, 'acc/top5': 90.0, 'acc/mean_loss': 1.5, 'step': 1},
    dict(lr=0.05, loss=0.9, epoch=2, iter=3, step=3),
    dict(lr=0.05, loss=0.7, epoch=2, iter=4, step=4),
]
# a resume that repeats epoch 2 and goes on to epoch 3
SECOND_RUN = [
    dict(lr=0.05, loss=0.6, epoch=2, iter=3, step=3),
    {'acc/top1': 60.0, 'acc/top5': 95.0, 'acc/mean_loss': 1.1, 'step': 2},
    dict(lr=0.01, loss=0.5, epoch=3, iter=5, step=5),
    {'acc/top1': 70.0, 'acc/top5': 100.0, 'acc/mean_loss': 0.9, 'step': 3},
]


def write_run(work_dir, stamp: str, lines, name: str = 'scalars.json'):
    vis_data = work_dir / stamp / 'vis_data'
    vis_data.mkdir(parents=True)
    (vis_data / name).write_text(''.join(json.dumps(line) + '\n'
                                         for line in lines))
    return str(vis_data / name)


def test_curves_of_one_log():
    curves = epoch_curves(FIRST_RUN)
    assert curves['loss'] == {1: 1.5, 2: pytest.approx(0.8)}
    assert curves['lr'] == {1: 0.1, 2: 0.05}
    assert curves['top1'] == {1: 40.0}
    assert curves['top5'] == {1: 90.0}
    assert curves['val_loss'] == {1: 1.5}


def test_work_dir_runs_are_joined_later_run_wins(tmp_path):
    first = write_run(tmp_path, '20240101_000000', FIRST_RUN)
    (tmp_path / '20240101_120000' / 'vis_data').mkdir(parents=True)  # test
    second = write_run(tmp_path, '20240102_000000', SECOND_RUN,
                       name='20240102_000000.json')
    assert find_scalar_logs(str(tmp_path)) == [first, second]
    run = load_run(str(tmp_path), 'demo')
    assert run.name == 'demo' and run.sources == [first, second]
    assert run.curves['loss'] == {1: 1.5, 2: 0.6, 3: 0.5}
    assert run.curves['top1'] == {1: 40.0, 2: 60.0, 3: 70.0}
    assert run.curves['lr'] == {1: 0.1, 2: 0.05, 3: 0.01}
    # a run folder or a log file alone
    assert load_run(first).curves['top1'] == {1: 40.0}
    assert find_scalar_logs(str(tmp_path / '20240102_000000')) == [second]


def test_missing_and_broken_logs_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='no JSON scalar log'):
        find_scalar_logs(str(tmp_path))
    with pytest.raises(FileNotFoundError, match='no such work dir'):
        find_scalar_logs(str(tmp_path / 'nope'))
    log = tmp_path / 'scalars.json'
    log.write_text('{"loss": 1.0, "epoch": 1}\n\n{"loss": \n')
    with pytest.raises(ValueError, match=r'scalars.json, line 3'):
        read_scalar_log(str(log))


def test_plot_and_its_data_hold_the_logged_numbers(tmp_path):
    write_run(tmp_path / 'a', '20240101_000000', FIRST_RUN)
    write_run(tmp_path / 'b', '20240101_000000', SECOND_RUN)
    runs = [load_run(str(tmp_path / 'a')), load_run(str(tmp_path / 'b'))]
    out = str(tmp_path / 'plots' / 'curves.png')
    paths = plot_training_curves(runs, out, title='compare')
    assert paths == [out, out[:-4] + '.json', out[:-4] + '.csv']
    image = cv2.imread(out)
    assert image is not None and image.shape[1] > image.shape[0] > 100
    data = json.load(open(paths[1]))
    assert data['a']['curves']['loss'] == dict(epochs=[1, 2],
                                               values=[1.5, 0.8])
    assert data['b']['curves']['top5'] == dict(epochs=[2, 3],
                                               values=[95.0, 100.0])
    rows = list(csv.DictReader(open(paths[2])))
    assert dict(run='b', curve='val_loss', epoch='3', value='0.9') in rows
    assert len(rows) == sum(len(series) for run in runs
                            for series in run.curves.values())
    assert not [name for name in os.listdir(tmp_path / 'plots')
                if name.startswith('.')]
