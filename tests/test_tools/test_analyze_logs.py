"""tools/analyze_logs.py on hand-written and real training logs, and the
TensorBoard backend switched on by one config line."""
import glob
import json
import os.path as osp
import textwrap

import pytest
from conftest import REPO_ROOT
from tool_runner import (
    TINY_MODEL,
    data_options,
    make_demo_data,
    run_tool,
    tool,
)

TENSORBOARD_LINE = ("visualizer = dict(vis_backends=[dict(type='LocalVisBacken"
                    "d'), dict(type='TensorboardVisBackend')])")


def write_log(folder, lines) -> None:
    vis_data = folder / '20240101_000000' / 'vis_data'
    vis_data.mkdir(parents=True)
    (vis_data / 'scalars.json').write_text(
        ''.join(json.dumps(line) + '\n' for line in lines))


def test_two_runs_compared(tmp_path):
    write_log(tmp_path / 'joint', [
        dict(lr=0.1, loss=2.0, epoch=1, iter=1, step=1),
        {'acc/top1': 50.0, 'acc/top5': 90.0, 'step': 1},
    ])
    write_log(tmp_path / 'bone', [
        dict(lr=0.1, loss=3.0, epoch=1, iter=1, step=1),
        dict(lr=0.1, loss=1.0, epoch=1, iter=2, step=2),
        {'acc/top1': 30.0, 'acc/top5': 80.0, 'step': 1},
    ])
    output = run_tool(tool('analyze_logs.py'), 'joint', 'bone', '--names',
                      'J', 'B', '--out', 'cmp.png', cwd=str(tmp_path))
    assert 'J: 1 epochs, loss 2.0000 at epoch 1, best top-1 50.00' in output
    assert 'B: 1 epochs, loss 2.0000 at epoch 1, best top-1 30.00' in output
    data = json.load(open(tmp_path / 'cmp.json'))
    assert data['B']['curves']['loss'] == dict(epochs=[1], values=[2.0])
    assert data['J']['curves']['top5'] == dict(epochs=[1], values=[90.0])
    assert osp.isfile(tmp_path / 'cmp.png') and osp.isfile(tmp_path /
                                                           'cmp.csv')
    output = run_tool(tool('analyze_logs.py'), 'nowhere', cwd=str(tmp_path),
                      expect_rc=1)
    assert "error: 'nowhere': no such work dir" in output


@pytest.mark.slow
def test_real_training_log_and_tensorboard(tmp_path):
    pytest.importorskip('tensorboard',
                        reason='tensorboard is in the tests extra')
    from tensorboard.backend.event_processing.event_accumulator import (
        EventAccumulator,
    )
    (tmp_path / 'data').mkdir()
    data = make_demo_data(str(tmp_path / 'data'), num_train=16, num_val=8)
    config = tmp_path / 'with_tensorboard.py'
    config.write_text(textwrap.dedent(f'''
        _base_ = ['{REPO_ROOT}/configs/stgcn_demo.py']
        {TENSORBOARD_LINE}
    '''))
    work_dir = str(tmp_path / 'work')
    run_tool(tool('train.py'), str(config), '--work-dir', work_dir,
             '--device', 'cpu', '--epochs', '2', '--batch-size', '8',
             '--eval-interval', '1', '--cfg-options', *TINY_MODEL,
             'default_hooks.logger.interval=1', *data_options(data),
             cwd=str(tmp_path))
    [log] = glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))
    lines = [json.loads(line) for line in open(log)]
    train = [line for line in lines if 'epoch' in line]
    val = [line for line in lines if 'acc/top1' in line]
    assert len(train) == 4 and len(val) == 2  # 2 iterations per epoch

    run_tool(tool('analyze_logs.py'), work_dir, '--out', 'curves.png',
             cwd=str(tmp_path))
    curves = json.load(open(tmp_path / 'curves.json'))['work']['curves']
    for epoch in (1, 2):
        losses = [line['loss'] for line in train if line['epoch'] == epoch]
        index = curves['loss']['epochs'].index(epoch)
        assert curves['loss']['values'][index] == pytest.approx(
            sum(losses) / len(losses))
    assert curves['top1'] == dict(epochs=[1, 2],
                                  values=[line['acc/top1'] for line in val])
    assert curves['top5']['values'] == [line['acc/top5'] for line in val]
    assert curves['lr']['values'] == [
        [line['lr'] for line in train if line['epoch'] == e][-1]
        for e in (1, 2)
    ]

    # the TensorBoard events file holds the same scalars
    [events] = glob.glob(osp.join(work_dir, '*', 'vis_data',
                                  'events.out.tfevents.*'))
    accumulator = EventAccumulator(events)
    accumulator.Reload()
    logged = [event.value for event in accumulator.Scalars('loss')]
    assert logged == pytest.approx([line['loss'] for line in train])
    top1 = [event.value for event in accumulator.Scalars('acc/top1')]
    assert top1 == pytest.approx([line['acc/top1'] for line in val])
