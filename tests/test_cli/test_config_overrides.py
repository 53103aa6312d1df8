"""Command-line knobs applied to configs."""
import pytest
from mmengine.config import Config

from stgcn_reg.cli import config_overrides as overrides


def base_config() -> Config:
    loader = dict(batch_size=8, num_workers=4, persistent_workers=True)
    return Config(dict(
        train_dataloader=dict(loader), val_dataloader=dict(loader),
        test_dataloader=dict(loader),
        optim_wrapper=dict(type='OptimWrapper', optimizer=dict(lr=0.1)),
        test_evaluator=dict(type='Accuracy')))


def test_work_dir_priority():
    cfg = base_config()
    overrides.set_work_dir(cfg, None, 'configs/stgcn_demo.py')
    assert cfg.work_dir == 'work_dirs/stgcn_demo'
    overrides.set_work_dir(cfg, 'mine', 'configs/stgcn_demo.py')
    assert cfg.work_dir == 'mine'


def test_total_batch_size_is_split_over_processes():
    cfg = base_config()
    overrides.set_batch_size(cfg, 64, world_size=4)
    assert cfg.train_dataloader.batch_size == 16
    with pytest.raises(ValueError, match='multiple of the number'):
        overrides.set_batch_size(cfg, 10, world_size=4)


def test_zero_workers_disables_persistent_workers():
    cfg = base_config()
    overrides.set_num_workers(cfg, 0)
    assert cfg.val_dataloader.num_workers == 0
    assert cfg.val_dataloader.persistent_workers is False


@pytest.mark.parametrize('device,wrapper', [('cpu', 'CPUAmpOptimWrapper'),
                                            ('cuda', 'AmpOptimWrapper')])
def test_amp_picks_the_device_wrapper(device, wrapper):
    cfg = base_config()
    overrides.enable_amp(cfg, device)
    assert cfg.optim_wrapper.type == wrapper


def test_resume_auto_and_path():
    cfg = base_config()
    overrides.set_resume(cfg, 'auto')
    assert cfg.resume is True and cfg.load_from is None
    overrides.set_resume(cfg, 'w/epoch_3.pth')
    assert cfg.load_from == 'w/epoch_3.pth'


def test_score_dump_is_added_to_the_test_evaluator():
    cfg = base_config()
    overrides.add_score_dump(cfg, 'scores.pkl')
    assert [m['type'] for m in cfg.test_evaluator] == ['Accuracy',
                                                       'DumpScores']


def cfg_options_parser():
    import argparse
    parser = argparse.ArgumentParser(prog='train.py')
    parser.add_argument('--cfg-options', nargs='+',
                        action=overrides.StrictDictAction)
    return parser


@pytest.mark.parametrize('item, problem', [
    ('=5', 'the key before "=" is empty'),
    ('a', 'no "=" in it'),
    ('a..b=1', "key 'a..b' has an empty part between dots"),
    ('.a=1', "key '.a' has an empty part between dots"),
    ('a=[1,2', 'Imbalanced brackets exist in [1,2'),
])
def test_malformed_cfg_options_end_with_one_line(capsys, item, problem):
    with pytest.raises(SystemExit) as exit_info:
        cfg_options_parser().parse_args(
            ['--cfg-options', 'train_cfg.max_epochs=2', item])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err == (f'error: --cfg-options {item!r}: {problem}; expected '
                   'KEY=VALUE, e.g. train_cfg.max_epochs=10\n')


def test_well_formed_cfg_options_parse_as_mmengine_does():
    args = cfg_options_parser().parse_args([
        '--cfg-options', 'model.backbone.channels=[8,8,16]', 'a=x=y', 'b=',
        'c=1,2'
    ])
    assert args.cfg_options == {
        'model.backbone.channels': [8, 8, 16], 'a': 'x=y', 'b': '',
        'c': [1, 2]
    }
