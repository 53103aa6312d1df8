"""Map MMAction2's skeleton dataloaders, pipelines and metrics onto ours.

``PoseDataset`` becomes :class:`PoseAnnotationDataset` (same pickles);
the dataset wrappers (``RepeatDataset``, ...) are mmengine's in both. In
a pipeline, ``PoseDecode``, ``FormatGCNInput`` and ``PackActionInputs``
are what our feeder does itself, so they are dropped and
``FormatGCNInput(num_person=N)`` becomes the feeder's ``max_persons``;
every other transform is kept as written, which needs ours of that name
to take its arguments (``PreNormalize3D``, ``GenSkeFeat``,
``UniformSampleFrames``, ...). ``AccMetric`` becomes our ``Accuracy``.
"""
from typing import Any, Dict, List, Optional, Tuple

from stgcn_reg.compat.mmaction_parts import (
    Conversion,
    build_ours,
    call_text,
    check_types,
    take,
)

LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
WRAPPERS = dict(RepeatDataset='dataset', ClassBalancedDataset='dataset',
                ConcatDataset='datasets')
# PoseDataset's own arguments and MMAction2's defaults (pose_dataset.py,
# datasets/base.py, mmengine's BaseDataset)
POSE_DATASET = dict(split=None, valid_ratio=None, box_thr=0.5,
                    data_prefix=dict(prefix=''), test_mode=False,
                    multi_class=False, num_classes=None, start_index=0,
                    data_root=None, indices=None, lazy_init=False,
                    serialize_data=True, max_refetch=1000, filter_cfg=None,
                    metainfo=None)
# what our feeder does: read the pose, keep max_persons, stack the clips
FEEDER_STEPS = ('PoseDecode', 'FormatGCNInput', 'PackActionInputs')
ACC_METRICS = ('top_k_accuracy', 'mean_class_accuracy')


def convert_pipeline(conv: Conversion, pipeline: Any, key: str
                     ) -> Tuple[List[Dict[str, Any]], int]:
    """Our pipeline of an MMAction2 one, and its ``num_person``."""
    if not isinstance(pipeline, (list, tuple)):
        raise conv.error(key, 'a list of transforms', pipeline)
    from stgcn_reg.registry import TRANSFORMS
    ours, persons = [], None
    for index, step in enumerate(pipeline):
        step = conv.component(step, f'{key}.{index}')
        args = dict(step)
        kind = args.pop('type').replace('mmaction.', '', 1)
        if kind == 'FormatGCNInput':
            persons = args.pop('num_person', 2)
            if args.pop('mode', 'zero') != 'zero' or args:
                conv.lack(f'transform {call_text(kind, step)}')
        elif kind == 'PoseDecode' and args:
            conv.lack(f'transform {call_text(kind, args)}')
        elif kind not in FEEDER_STEPS:
            try:
                build_ours(TRANSFORMS, dict(args, type=kind))
            except KeyError:
                conv.lack(f'transform {kind}')
                continue
            except (TypeError, ValueError) as error:
                conv.lack(f'transform {call_text(kind, args)} ({error})')
            ours.append(dict(type=kind, **args))
    if persons is None:
        conv.note(f'{key} has no FormatGCNInput: our feeder keeps 2 '
                  'persons')
    return ours, 2 if persons is None else persons


def convert_feeder(conv: Conversion, cfg: Dict[str, Any], key: str,
                   model: Dict[str, Any]) -> Dict[str, Any]:
    """Our ``PoseAnnotationDataset`` config of a ``PoseDataset``."""
    args = dict(cfg)
    args.pop('type')
    if 'ann_file' not in args:
        raise conv.error(key, 'an ann_file', cfg)
    ann_file = args.pop('ann_file')
    pipeline, persons = convert_pipeline(conv, args.pop('pipeline', []),
                                         f'{key}.pipeline')
    given = take(args, POSE_DATASET)
    head = model.get('cls_head', {})
    num_classes = head.get('num_classes', given['num_classes'])
    if given['num_classes'] not in (None, num_classes):
        raise conv.error(f'{key}.num_classes', f'{num_classes} (the '
                         'head\'s)', given['num_classes'])
    for name in ('valid_ratio', 'multi_class', 'metainfo', 'filter_cfg'):
        if given[name]:
            conv.lack(f'PoseDataset({name}={given[name]!r}) ({key})')
    if set(given['data_prefix'] or {}) - {'prefix'}:
        conv.lack(f"PoseDataset(data_prefix={given['data_prefix']!r})")
    if args:
        conv.lack(f'{call_text("PoseDataset", args)} ({key})')
    graph = model.get('backbone', {}).get('graph_cfg', {})
    feeder = dict(type='PoseAnnotationDataset', ann_file=ann_file,
                  num_classes=num_classes, layout=graph.get('layout'),
                  max_persons=persons, split=given['split'],
                  pipeline=pipeline)
    for name in ('test_mode', 'data_root', 'indices', 'lazy_init'):
        if given[name]:
            feeder[name] = given[name]
    return feeder


def convert_dataset(conv: Conversion, cfg: Any, key: str,
                    model: Dict[str, Any]) -> Dict[str, Any]:
    """Our dataset config: mmengine's wrappers around our feeder."""
    cfg = conv.component(cfg, key)
    kind = cfg['type'].replace('mmaction.', '', 1)
    if kind == 'PoseDataset':
        return convert_feeder(conv, cfg, key, model)
    inner = WRAPPERS.get(kind)
    if inner is None:
        conv.lack(f'dataset {kind} ({key})')
        return dict(cfg)
    ours = dict(cfg, type=kind)
    if inner == 'datasets':
        ours[inner] = [
            convert_dataset(conv, item, f'{key}.{inner}.{index}', model)
            for index, item in enumerate(cfg.get(inner) or [])]
    else:
        ours[inner] = convert_dataset(conv, cfg.get(inner), f'{key}.{inner}',
                                      model)
    return ours


def convert_loader(conv: Conversion, cfg: Any, key: str,
                   model: Dict[str, Any]) -> Dict[str, Any]:
    """Our dataloader config: MMAction2's settings, our collate."""
    if not isinstance(cfg, dict) or 'dataset' not in cfg:
        raise conv.error(key, "a dict with a 'dataset'", cfg)
    from stgcn_reg.registry import DATA_SAMPLERS
    check_types(conv, DATA_SAMPLERS, [(f'{key}.{name}', cfg.get(name))
                                      for name in ('sampler', 'batch_sampler')
                                      ], 'sampler')
    if cfg.get('collate_fn') is not None:
        conv.note(f'{key}.collate_fn {cfg["collate_fn"]!r} became our '
                  'default_collate')
    ours = {k: v for k, v in cfg.items() if k not in ('dataset', 'collate_fn')}
    ours.setdefault('num_workers', 0)  # mmengine's default
    ours['collate_fn'] = dict(type='default_collate')
    ours['dataset'] = convert_dataset(conv, cfg['dataset'], f'{key}.dataset',
                                      model)
    return ours


def convert_metric(conv: Conversion, cfg: Any, key: str
                   ) -> Optional[Dict[str, Any]]:
    """Our ``Accuracy`` config of an ``AccMetric``."""
    cfg = conv.component(cfg, key)
    args = dict(cfg)
    if args.pop('type').replace('mmaction.', '', 1) != 'AccMetric':
        conv.lack(f"metric {cfg['type']} ({key})")
        return None
    metrics = args.pop('metric_list', ACC_METRICS)
    metrics = (metrics, ) if isinstance(metrics, str) else tuple(metrics)
    options = args.pop('metric_options', None) or {}
    topk = (options.get('top_k_accuracy') or {}).get('topk', (1, 5))
    if set(metrics) - set(ACC_METRICS) or set(options) - {'top_k_accuracy'}:
        conv.lack(f'{call_text("AccMetric", cfg)} ({key})')
    ours = dict(type='Accuracy',
                topk=tuple(topk) if isinstance(topk, (list, tuple)) else topk)
    ours.update(take(args, dict(collect_device='cpu', prefix=None)))
    ours = {k: v for k, v in ours.items() if k != 'prefix' or v is not None}
    if args:
        conv.lack(f'{call_text("AccMetric", args)} ({key})')
    conv.note('metrics: ours are in percent (MMAction2: fractions), every '
              'top-k and the mean class accuracy (acc/mean_class_accuracy, '
              'MMAction2 acc/mean1) always, and acc/mean_loss')
    if ours['collect_device'] == 'cpu':
        del ours['collect_device']
    return ours


def convert_evaluator(conv: Conversion, cfg: Any, key: str) -> Any:
    """Our evaluator: one metric as a dict, several as a list."""
    items = cfg if isinstance(cfg, (list, tuple)) else [cfg]
    ours = [convert_metric(conv, item, f'{key}.{index}' if isinstance(
        cfg, (list, tuple)) else key) for index, item in enumerate(items)]
    ours = [metric for metric in ours if metric is not None]
    return ours[0] if len(ours) == 1 else ours


def convert_data(conv: Conversion, src: Dict[str, Any],
                 model: Dict[str, Any]) -> Dict[str, Any]:
    """Our dataloaders and evaluators of an MMAction2 config."""
    want: Dict[str, Any] = {}
    for key in LOADERS:
        if src.get(key) is not None:
            want[key] = convert_loader(conv, src[key], key, model)
    for key in ('val_evaluator', 'test_evaluator'):
        if src.get(key) is not None:
            want[key] = convert_evaluator(conv, src[key], key)
    return want

