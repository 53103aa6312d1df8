"""Catch misspelt top-level config keys, which mmengine ignores silently.

``Runner.from_cfg`` reads a fixed set of keys; ``train_dataloder = ...``
is skipped without a word and the run trains without the intended
setting. Configs also define helper variables at top level
(``train_pipeline``, ``data_root``, ...), so only a key that is not known
and lies close (``difflib``, ratio >= 0.8) to a key the Runner reads is
refused, with the key it probably means. Keys starting with ``_`` are
never flagged.
"""
import difflib
import inspect
from typing import FrozenSet, Iterator, Mapping

from mmengine.runner import Runner

# read from the config by the Runner outside its constructor's arguments
# (wrap_model, _maybe_compile, ...), and by mmengine's Config loader
_RUNNER_CONFIG_KEYS = ('model_wrapper_cfg', 'sync_bn',
                       'find_unused_parameters', 'activation_checkpointing',
                       'efficient_conv_bn_eval', 'compile', 'custom_imports')
# helper variables of the shipped configs: known, never suggested
HELPER_KEYS = frozenset((
    'train_pipeline', 'val_pipeline', 'test_pipeline', 'dataset_type',
    'data_root', 'num_classes', 'ann_file', 'feature_transforms',
    'vis_backends',
    # the pipeline slots and shared feeder of configs/_base_/datasets/
    'normalize', 'features', 'train_sample', 'val_sample', 'test_sample',
    'augment', 'feeder', 'full_rate', 'class_names'))
CUTOFF = 0.8


def runner_keys() -> FrozenSet[str]:
    """Top-level keys mmengine's Runner (and so the tools) read."""
    arguments = inspect.signature(Runner.__init__).parameters
    return frozenset(arguments) - {'self', 'cfg'} | frozenset(
        _RUNNER_CONFIG_KEYS)


def misspelt_key_problems(cfg: Mapping) -> Iterator[str]:
    """Yield one message per top-level key that looks like a misspelt
    Runner key, naming the key it probably means."""
    known = runner_keys()
    for key in cfg:
        if key in known or key in HELPER_KEYS or key.startswith('_'):
            continue
        close = difflib.get_close_matches(key, sorted(known), n=1,
                                          cutoff=CUTOFF)
        if close:
            yield (f'unknown top-level key {key!r}, which mmengine would '
                   f'ignore; did you mean {close[0]!r}? (a helper '
                   "variable may be renamed with a leading '_')")
