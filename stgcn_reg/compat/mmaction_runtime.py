"""Map MMAction2's schedule and runtime settings onto ours.

The schedule (``train_cfg``, ``optim_wrapper``, ``param_scheduler``,
``auto_scale_lr``, the loops) is mmengine's in both and kept as written.
``default_hooks`` keep their values on our hooks: ``CheckpointHook``
becomes our crash-safe ``SafeCheckpointHook`` (``save_best='auto'``
is top-1 accuracy, MMAction2's first metric), ``SyncBuffersHook`` our
``SyncNormStatsHook`` (both average the BatchNorm statistics over ranks
after each epoch) and ``RuntimeInfoHook`` is dropped (mmengine's Runner
adds it). Our own checks (``custom_hooks``) stay.
"""
import inspect
from typing import Any, Dict

from stgcn_reg.compat.mmaction_parts import (
    Conversion,
    check_types,
    find_type,
)

# kept as written, their types checked against the registry named
COPIED = dict(train_cfg='LOOPS', val_cfg='LOOPS', test_cfg='LOOPS',
              auto_scale_lr=None, param_scheduler='PARAM_SCHEDULERS',
              env_cfg=None, randomness=None, log_level=None, load_from=None,
              resume=None, launcher=None, work_dir=None,
              experiment_name=None, sync_bn=None)
# the other Runner settings read here; any further one is not converted
CONVERTED = ('model', 'train_dataloader', 'val_dataloader',
             'test_dataloader', 'val_evaluator', 'test_evaluator',
             'optim_wrapper', 'default_hooks', 'custom_hooks', 'visualizer',
             'log_processor', 'custom_imports', 'default_scope')
BEST_METRIC = dict(save_best='acc/top1', rule='greater')


def hook_defaults(cls: Any) -> Dict[str, Any]:
    """The keyword defaults of a hook class's ``__init__``."""
    return {name: param.default
            for name, param in inspect.signature(cls).parameters.items()
            if param.default is not inspect.Parameter.empty}


def convert_checkpoint(cfg: Dict[str, Any], base: Dict[str, Any]
                       ) -> Dict[str, Any]:
    """Our ``SafeCheckpointHook`` with a ``CheckpointHook``'s values."""
    from mmengine.hooks import CheckpointHook
    ours = dict(cfg, type='SafeCheckpointHook')
    defaults = hook_defaults(CheckpointHook)
    for key in base:  # what our base sets, at MMAction2's default
        ours.setdefault(key, defaults.get(key))
    if ours.get('save_best') == 'auto':
        ours.update(save_best=BEST_METRIC['save_best'],
                    rule=cfg.get('rule') or BEST_METRIC['rule'])
    return ours


def convert_hook(conv: Conversion, name: str, cfg: Any,
                 base: Dict[str, Any]) -> Dict[str, Any]:
    """``{name: our hook}`` of one of MMAction2's default hooks."""
    from stgcn_reg.registry import HOOKS
    if cfg is None:  # a default hook switched off
        return {'sync_norm_stats' if name == 'sync_buffers' else name: None}
    cfg = conv.component(cfg, f'default_hooks.{name}')
    kind = cfg['type']
    if kind == 'RuntimeInfoHook':
        return {}
    if kind == 'SyncBuffersHook':
        return dict(sync_norm_stats=dict(type='SyncNormStatsHook'))
    base_hook = base.get(name) or {}
    if kind == 'CheckpointHook':
        return {name: convert_checkpoint(cfg, base_hook)}
    cls = find_type(HOOKS, kind)
    if cls is None:
        conv.lack(f'hook {kind} (default_hooks.{name})')
        return {}
    ours = dict(cfg)
    if base_hook.get('type') == kind:
        defaults = hook_defaults(cls)
        for key in base_hook:
            ours.setdefault(key, defaults.get(key))
    return {name: ours}


def convert_hooks(conv: Conversion, src: Dict[str, Any],
                  base: Dict[str, Any]) -> Dict[str, Any]:
    """Our ``default_hooks`` and ``custom_hooks``."""
    want: Dict[str, Any] = {}
    hooks = src.get('default_hooks')
    if hooks is not None:
        if not isinstance(hooks, dict):
            raise conv.error('default_hooks', 'a dict of hooks', hooks)
        want['default_hooks'] = {}
        for name, cfg in hooks.items():
            want['default_hooks'].update(convert_hook(
                conv, name, cfg, base.get('default_hooks', {})))
    custom = src.get('custom_hooks')
    if custom:
        from stgcn_reg.registry import HOOKS
        check_types(conv, HOOKS, [(f'custom_hooks.{index}', hook)
                                  for index, hook in enumerate(custom)],
                    'hook')
        want['custom_hooks'] = list(base.get('custom_hooks', [])) + list(
            custom)
    return want


def convert_visualizer(conv: Conversion, src: Dict[str, Any],
                       base: Dict[str, Any]) -> Dict[str, Any]:
    """Our ``visualizer`` (mmengine's, figure made on first drawing) and
    ``log_processor``."""
    from stgcn_reg import registry
    want: Dict[str, Any] = {}
    visualizer = src.get('visualizer')
    if visualizer is not None:
        visualizer = conv.component(visualizer, 'visualizer')
        if visualizer['type'] not in ('Visualizer', 'LazyFigureVisualizer'):
            conv.note(f"visualizer: MMAction2's {visualizer['type']} became "
                      "mmengine's Visualizer (the same logging of scalars, "
                      'no drawing of videos)')
        check_types(conv, registry.VISBACKENDS, [
            (f'visualizer.vis_backends.{index}', backend) for index, backend
            in enumerate(visualizer.get('vis_backends') or [])], 'backend')
        want['visualizer'] = dict(visualizer, type='LazyFigureVisualizer')
    processor = src.get('log_processor')
    if processor is not None:
        processor = conv.component(processor, 'log_processor')
        check_types(conv, registry.LOG_PROCESSORS, [
            ('log_processor', processor)], 'log processor')
        want['log_processor'] = dict(base.get('log_processor', {}),
                                     **processor)
    return want


def convert_schedule(conv: Conversion, src: Dict[str, Any]
                     ) -> Dict[str, Any]:
    """The schedule and run settings, kept as written (types checked)."""
    from stgcn_reg import registry
    want: Dict[str, Any] = {}
    for key, node in COPIED.items():
        if key not in src:
            continue
        want[key] = src[key]
        if node is not None:
            items = want[key] if isinstance(want[key], list) else [want[key]]
            check_types(conv, getattr(registry, node),
                        [(key, item) for item in items], key)
    train = want.get('train_cfg')
    if isinstance(train, dict) and train.get('val_begin') == 1:
        want['train_cfg'] = {k: v for k, v in train.items()
                             if k != 'val_begin'}  # mmengine's default
    if src.get('optim_wrapper') is not None:
        wrapper = dict(src['optim_wrapper'])
        wrapper.setdefault('type', 'OptimWrapper')  # mmengine's default
        check_types(conv, registry.OPTIM_WRAPPERS,
                    [('optim_wrapper', wrapper)], 'optim wrapper')
        check_types(conv, registry.OPTIMIZERS, [
            ('optim_wrapper.optimizer', wrapper.get('optimizer'))],
            'optimizer')
        if wrapper.get('constructor') is not None:
            check_types(conv, registry.OPTIM_WRAPPER_CONSTRUCTORS, [
                ('optim_wrapper.constructor', dict(
                    type=wrapper['constructor']))], 'constructor')
        want['optim_wrapper'] = wrapper
    return want


def convert_runtime(conv: Conversion, src: Dict[str, Any],
                    base: Dict[str, Any]) -> Dict[str, Any]:
    """Our schedule, hooks and runtime settings of an MMAction2 config."""
    want = convert_schedule(conv, src)
    want.update(convert_hooks(conv, src, base))
    want.update(convert_visualizer(conv, src, base))
    from stgcn_reg.cli.config_keys import runner_keys
    for key in sorted(runner_keys() - set(COPIED) - set(CONVERTED)):
        if src.get(key) is not None:
            conv.note(f'{key} {src[key]!r} is not converted')
    if src.get('custom_imports'):
        conv.lack(f"custom_imports {src['custom_imports']!r}")
    return want
