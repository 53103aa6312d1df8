"""DataLoader settings from the machine fill only what a config leaves open."""
from pathlib import Path

import pytest
from mmengine.config import Config

from stgcn_reg.cli.loader_defaults import (
    fill_loader_defaults,
    machine_loader_settings,
)


@pytest.mark.parametrize('cpus,device,processes,workers', [
    (2, 'cpu', 1, 0), (8, 'cpu', 1, 2), (4, 'cpu', 1, 1), (64, 'cpu', 1, 2),
    (16, 'cpu', 8, 0), (16, 'cuda', 1, 8), (16, 'cuda', 4, 3),
    (1, 'cuda', 1, 1)])
def test_machine_settings(cpus, device, processes, workers):
    settings = machine_loader_settings(cpus, device, processes)
    assert settings['num_workers'] == workers
    assert settings['pin_memory'] == (device == 'cuda')
    assert settings['persistent_workers'] == (workers > 0)
    assert ('prefetch_factor' in settings) == (workers > 0)


def _cfg(**train) -> Config:
    return Config(dict(train_dataloader=dict(batch_size=2, **train),
                       val_dataloader=dict(batch_size=2, num_workers=0,
                                           persistent_workers=False)))


def test_missing_and_auto_keys_are_filled_set_keys_kept():
    cfg = _cfg(num_workers='auto')
    notes = fill_loader_defaults(cfg, 'cuda', cpus=6)
    train = cfg.train_dataloader
    assert train.num_workers == 5 and train.pin_memory is True
    assert train.persistent_workers is True and train.prefetch_factor == 4
    assert 'train_dataloader.num_workers=5' in notes
    # the validation loader's own values stay; pin_memory was open
    assert cfg.val_dataloader.num_workers == 0
    assert cfg.val_dataloader.pin_memory is True
    assert 'prefetch_factor' not in cfg.val_dataloader


def test_explicit_workers_drive_the_dependent_keys():
    cfg = _cfg(num_workers=3, pin_memory=False)
    fill_loader_defaults(cfg, 'cpu', cpus=2)
    train = cfg.train_dataloader
    assert train.num_workers == 3 and train.pin_memory is False
    assert train.persistent_workers is True and train.prefetch_factor == 2
    cfg = _cfg(prefetch_factor='auto')
    fill_loader_defaults(cfg, 'cpu', cpus=2)
    assert cfg.train_dataloader.num_workers == 0
    assert 'prefetch_factor' not in cfg.train_dataloader
    assert cfg.train_dataloader.persistent_workers is False


def test_test_tool_setup_fills_the_shipped_auto_workers(tmp_path, capsys,
                                                        monkeypatch):
    """build_runner (tools/train.py and tools/test.py) resolves the
    shipped configs' ``num_workers='auto'`` before checking the config."""
    from stgcn_reg.cli import load_config
    from stgcn_reg.cli.tool_setup import build_runner
    monkeypatch.setattr('stgcn_reg.cli.loader_defaults.usable_cpus',
                        lambda: 2)
    root = Path(__file__).resolve().parents[2]
    cfg = load_config(str(root / 'configs' / 'stgcn_ntu_xsub.py'))
    assert cfg.test_dataloader.num_workers == 'auto'
    cfg.work_dir = str(tmp_path)
    for key in ('data_path', 'label_path'):  # the tool refuses missing files
        (tmp_path / key).touch()
        cfg.test_dataloader.dataset[key] = str(tmp_path / key)
    runner = build_runner(lambda: cfg, 'cpu', 'none', False, training=False)
    assert runner.cfg.test_dataloader.num_workers == 0
    assert runner.cfg.test_dataloader.persistent_workers is False
    assert 'test_dataloader.num_workers=0' in capsys.readouterr().out


def test_config_check_takes_auto_and_refuses_other_words():
    from stgcn_reg.cli.config_checks import config_problems
    assert not list(config_problems(_cfg(num_workers='auto'), True))
    problems = list(config_problems(_cfg(num_workers='many'), True))
    assert problems == ["train_dataloader.num_workers is 'many' (str); "
                        "expected an integer >= 0 or 'auto'"]
