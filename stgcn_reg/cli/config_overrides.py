"""Apply the tools' command-line knobs to an mmengine Config."""
import argparse
import os.path as osp
from typing import Any, Optional, Sequence, Union

from mmengine.config import Config, DictAction

DATALOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def default_work_dir(config_path: str) -> str:
    """``work_dirs/<config name>``, as the OpenMMLab tools do."""
    name = osp.splitext(osp.basename(config_path))[0]
    return osp.join('work_dirs', name)


def set_work_dir(cfg: Config, work_dir: Optional[str],
                 config_path: str) -> None:
    """Priority: command line, then the config, then the default."""
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = default_work_dir(config_path)


def set_batch_size(cfg: Config, total: int, world_size: int,
                   loader: str = 'train_dataloader') -> None:
    """Split a total batch size (the original tool's meaning) over ranks."""
    if total < 1 or total % world_size:
        raise ValueError(
            f'--batch-size {total} must be a positive multiple of the '
            f'number of processes ({world_size})')
    cfg[loader].batch_size = total // world_size


def set_num_workers(cfg: Config, num_workers: int) -> None:
    """Use ``num_workers`` loader processes for every dataloader."""
    for loader in DATALOADERS:
        if cfg.get(loader) is not None:
            cfg[loader].num_workers = num_workers
            if num_workers == 0:
                cfg[loader].persistent_workers = False


def enable_amp(cfg: Config, device: str) -> None:
    """Mixed precision: CUDA fp16 with loss scaling, or CPU bf16 autocast."""
    current = cfg.optim_wrapper.get('type', 'OptimWrapper')
    if current not in ('OptimWrapper', 'AmpOptimWrapper',
                       'CPUAmpOptimWrapper'):
        raise ValueError(
            f'--amp: optim_wrapper type {current!r} is not a plain '
            'OptimWrapper; set mixed precision in the config instead')
    if device == 'cuda':
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.loss_scale = 'dynamic'
    else:
        cfg.optim_wrapper.type = 'CPUAmpOptimWrapper'
        cfg.optim_wrapper.pop('loss_scale', None)


def set_resume(cfg: Config, resume: Optional[str]) -> None:
    """``auto``: latest checkpoint in the work dir; else the given file."""
    if resume is None:
        return
    cfg.resume = True
    cfg.load_from = None if resume == 'auto' else resume


def set_seed(cfg: Config, seed: int, deterministic: bool = False) -> None:
    """Seed Python, numpy and torch (and the samplers) for the run."""
    cfg.randomness = dict(seed=seed, deterministic=deterministic)


def add_score_dump(cfg: Config, out_file: str) -> None:
    """Also write per-sample test scores to ``out_file`` (``--dump``)."""
    evaluator = cfg.test_evaluator
    metrics = list(evaluator) if isinstance(evaluator, (list, tuple)) else [
        evaluator
    ]
    metrics.append(dict(type='DumpScores', out_file=out_file))
    cfg.test_evaluator = metrics


def option_problem(option: str) -> Optional[str]:
    """Why one ``--cfg-options`` item is not ``KEY=VALUE``, or None."""
    if '=' not in option:
        return 'no "=" in it'
    key = option.split('=', 1)[0]
    if not key:
        return 'the key before "=" is empty'
    if not all(key.split('.')):
        return f'key {key!r} has an empty part between dots'
    if any(char.isspace() for char in key):
        return f'key {key!r} holds whitespace'
    return None


class StrictDictAction(DictAction):
    """mmengine's ``DictAction`` for ``--cfg-options KEY=VALUE ...`` that
    ends the tool with a one-line ``error:`` naming a malformed item
    (``=5``, ``a``, ``a..b=1``, ``a=[1,2``) instead of a traceback."""

    def __call__(self, parser: argparse.ArgumentParser,
                 namespace: argparse.Namespace,
                 values: Union[str, Sequence[Any], None],
                 option_string: Optional[str] = None) -> None:
        name = option_string or '--cfg-options'
        items = [values] if isinstance(values, str) else list(values or [])
        for item in items:
            problem = option_problem(item)
            if problem is None:
                try:
                    self._parse_iterable(item.split('=', 1)[1])
                except AssertionError as error:  # unbalanced brackets
                    problem = str(error)
            if problem:
                parser.exit(2, f'error: {name} {item!r}: {problem}; '
                            'expected KEY=VALUE, e.g. '
                            'train_cfg.max_epochs=10\n')
        super().__call__(parser, namespace, items, option_string)
