"""Load a config and check its settings before the Runner starts.

A wrong type in a config or ``--cfg-options`` (``max_epochs='ten'``,
``channels=5``) otherwise fails deep inside mmengine or the model with a
message that names neither the file nor the key; a syntax error in the
config file itself is reported by mmengine without the file's name, and
a binary file as a UnicodeDecodeError. A misspelt top-level key is
ignored by mmengine (see :mod:`.config_keys`) and a misspelt hook
argument fails only once the hook uses it (see :mod:`.hook_args`).
"""
import ast
import os.path as osp
from numbers import Real
from typing import Any, Callable, Iterator, List, Tuple

from mmengine.config import Config

from stgcn_reg.cli.config_keys import misspelt_key_problems
from stgcn_reg.cli.data_file_checks import (
    data_file_problems,
    missing_file_problems,
)
from stgcn_reg.cli.hook_args import hook_argument_problems
from stgcn_reg.utils.config_reading import read_config_text

_MISSING = object()

Check = Tuple[str, Callable[[Any], bool], str]


def _is_int(value: Any, low: int) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)
            and value >= low)


def _positive_int(value: Any) -> bool:
    return _is_int(value, 1)


def _non_negative_int(value: Any) -> bool:
    return _is_int(value, 0)


def _workers(value: Any) -> bool:
    # 'auto': chosen from the machine by engine/loader_defaults.py
    return value == 'auto' or _non_negative_int(value)


def _non_negative_number(value: Any) -> bool:
    return (isinstance(value, Real) and not isinstance(value, bool)
            and value >= 0)


def _positive_ints(value: Any) -> bool:
    return (isinstance(value, (list, tuple)) and len(value) > 0
            and all(map(_positive_int, value)))


POSITIVE_INT = 'a positive integer'
INT_LIST = 'a non-empty list of positive integers'
WORKERS = "an integer >= 0 or 'auto'"

# what every dataloader is checked for: (key in the loader, test, what)
LOADER_CHECKS: List[Check] = [
    ('batch_size', _positive_int, POSITIVE_INT),
    ('num_workers', _workers, WORKERS),
]


def _loader_checks(*loaders: str) -> List[Check]:
    """:data:`LOADER_CHECKS` of each of the dataloaders."""
    return [(f'{loader}.{key}', test, what) for loader in loaders
            for key, test, what in LOADER_CHECKS]


# (key, test, what is expected); a key the config does not set is skipped
TRAINING_CHECKS: List[Check] = [
    ('train_cfg.max_epochs', _positive_int, POSITIVE_INT),
    ('train_cfg.max_iters', _positive_int, POSITIVE_INT),
    ('train_cfg.val_interval', _positive_int, POSITIVE_INT),
    *_loader_checks('train_dataloader'),
    ('optim_wrapper.optimizer.lr', _non_negative_number,
     'a number >= 0'),
]
COMMON_CHECKS: List[Check] = [
    ('model.backbone.in_channels', _positive_int, POSITIVE_INT),
    ('model.backbone.channels', _positive_ints, INT_LIST),
    ('model.backbone.strides', _positive_ints, INT_LIST),
    ('model.cls_head.num_classes', _positive_int, POSITIVE_INT),
    ('model.cls_head.in_channels', _positive_int, POSITIVE_INT),
    *_loader_checks('val_dataloader', 'test_dataloader'),
]


def load_config(filename: str) -> Config:
    """``Config.fromfile`` with errors that name the file.

    Args:
        filename (str): The config file.

    Returns:
        Config: The config.
    """
    if not osp.isfile(filename):
        raise FileNotFoundError(f'config file {filename!r} not found')
    source = read_config_text(filename)
    if filename.endswith('.py'):
        try:
            ast.parse(source, filename)
        except SyntaxError as error:
            raise SyntaxError(
                f'config file {filename!r}, line {error.lineno}: '
                f'{error.msg}') from error
    return Config.fromfile(filename)


def _lookup(cfg: Any, key: str) -> Any:
    """``cfg['a']['b']`` for ``key='a.b'``, or ``_MISSING``."""
    value = cfg
    for part in key.split('.'):
        if not hasattr(value, 'get'):
            return _MISSING
        value = value.get(part, _MISSING)
        if value is _MISSING:
            return _MISSING
    return value


def config_problems(cfg: Config, training: bool = True) -> Iterator[str]:
    """Yield one message per setting of ``cfg`` with a wrong type or value.

    Args:
        cfg (Config): The config, after command-line overrides.
        training (bool): Also check the training-only settings (loop,
            optimizer, train dataloader). Defaults to True.
    """
    checks = (TRAINING_CHECKS if training else []) + COMMON_CHECKS
    for key, test, what in checks:
        value = _lookup(cfg, key)
        if value is not _MISSING and not test(value):
            yield (f'{key} is {value!r} ({type(value).__name__}); expected '
                   f'{what}')


def check_config(cfg: Config, training: bool = True,
                 data_files: bool = True) -> None:
    """Raise ``ValueError`` naming the config file and every bad setting,
    misspelt top-level key, unknown hook argument, missing dataset file or
    unusable ``.npy``.

    Args:
        cfg (Config): The config, after command-line overrides.
        training (bool): Also check the training-only settings and files.
            Defaults to True.
        data_files (bool): Check that the used dataloaders' files exist
            and the headers of their ``.npy`` files (see
            :mod:`.data_file_checks`). Defaults to True.
    """
    problems = list(config_problems(cfg, training))
    if problems:
        raise ValueError(
            f'config {cfg.filename!r} (including --cfg-options) has '
            'settings of the wrong type or value:\n  - ' +
            '\n  - '.join(problems))
    problems = [*misspelt_key_problems(cfg), *hook_argument_problems(cfg)]
    if data_files:
        problems += missing_file_problems(cfg, training)
        problems += data_file_problems(cfg, training)
    if problems:
        raise ValueError(f'config {cfg.filename!r} (including '
                         '--cfg-options): ' + '; '.join(problems))
