"""What the keys of an original ST-GCN YAML config mean in this package.

:func:`read_yaml` loads the file; :func:`wanted_values` says which config
values it asks for (nested dicts, as in a Python config), and
:func:`report_runtime` what it says about how to run. Keys the YAML leaves
out take the original tool's defaults; every key that cannot be mapped is
reported, none is dropped silently.
"""
import os.path as osp
from typing import Any, Callable, Dict, List, Tuple

import yaml

from stgcn_reg.utils.config_reading import read_config_text

# What the original processor used when the YAML does not set a key.
ORIGINAL_DEFAULTS: Dict[str, Any] = dict(
    base_lr=0.01, step=[], num_epoch=80, batch_size=256, test_batch_size=256,
    weight_decay=1e-4, optimizer='SGD', nesterov=True, num_worker=4,
    save_interval=10, eval_interval=5, use_gpu=True, device=0, phase='train',
    debug=False)
# The original model's defaults (its Graph: OpenPose layout, uniform).
MODEL_DEFAULTS = dict(dropout=0.0, layout='openpose', strategy='uniform')
MODEL_TYPES = {'net.st_gcn.Model': 'SkeletonRecognizer',
               'net.st_gcn_twostream.Model': 'TwoStreamRecognizer'}
# Original keys with no counterpart in a config, and what to do instead.
NOT_CONVERTED = dict(
    save_log='the text log is always saved in the work dir',
    print_log='the log is always printed',
    pavi_log='PAVI is not supported; scalars go to vis_data/scalars.json',
    ignore_weights='drop those weights from the checkpoint instead',
    start_epoch='continue a run with tools/train.py --resume',
    save_result='use tools/test.py --dump scores.pkl',
    config='the YAML file itself is converted')
KNOWN_KEYS = set(ORIGINAL_DEFAULTS) | set(NOT_CONVERTED) | {
    'work_dir', 'feeder', 'train_feeder_args', 'test_feeder_args', 'model',
    'model_args', 'weights', 'log_interval', 'show_topk'}
FEEDER_KEYS = {'data_path', 'label_path', 'random_choose', 'random_move',
               'random_shift', 'window_size', 'normalization', 'debug', 'mmap'}
MODEL_KEYS = {'in_channels', 'num_class', 'dropout', 'graph_args',
              'edge_importance_weighting'}
GRAPH_KEYS = ('layout', 'strategy', 'max_hop', 'dilation')
INT_KEYS = ('batch_size', 'test_batch_size', 'num_epoch', 'num_worker',
            'save_interval', 'eval_interval', 'log_interval')


def clean_path(path: Any) -> Any:
    """``./data/x.npy`` -> ``data/x.npy``; still relative to the cwd."""
    return path[2:] if str(path).startswith('./') else path


def weights_path(src: dict) -> Any:
    """The YAML's ``weights`` (None when unset)."""
    weights = src.get('weights')
    return None if weights in (None, '', 'None') else clean_path(weights)


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _short(value: Any) -> str:
    text = repr(value).replace('\n', ' ')
    return text if len(text) <= 60 else text[:57] + '...'


def _pipeline(args: dict, where: str, report: List[str]) -> List[dict]:
    """Feeder flags to transforms, in the original feeder's order."""
    window = args.get('window_size', -1)
    if type(window) is not int:
        report.append(f'{where}.window_size {window!r} is not an integer; '
                      'ignored')
        window = -1
    pipeline = [dict(type='RandomShift')] if args.get('random_shift') else []
    if args.get('random_choose') and window > 0:
        pipeline.append(dict(type='RandomChoose', window_size=window))
    elif args.get('random_choose'):
        report.append(f'{where}.random_choose needs a window_size > 0; '
                      'not converted')
    elif window > 0:
        pipeline.append(dict(type='AutoPad', window_size=window))
        report.append(f'{where}.window_size {window} without random_choose '
                      '-> AutoPad, which also cuts longer clips to '
                      f'{window} frames (the original left them whole)')
    if args.get('random_move'):
        pipeline.append(dict(type='RandomMove'))
    if args.get('normalization'):
        report.append(f'{where}.normalization is not converted: add '
                      "dict(type='Normalize', mean=..., std=...) with your "
                      "data's per-channel statistics to the pipeline")
    return pipeline


def _check_keys(args: Any, known: Any, where: str,
                report: List[str]) -> dict:
    if args is None:
        return {}
    if not isinstance(args, dict):
        report.append(f'{where} is not a mapping ({_short(args)}); ignored')
        return {}
    for key in sorted(set(args) - set(known), key=str):
        report.append(f'unknown key {where}.{key} (value '
                      f'{_short(args[key])}) was not converted')
    return args


def _getter(src: dict) -> Callable[[str], Any]:
    """``src[key]``, else the original default; for a test config None,
    so that the bases' training values stay."""
    train = src['phase'] == 'train'

    def get(key: str) -> Any:
        return src.get(key, ORIGINAL_DEFAULTS[key] if train else None)

    return get


def _model_values(src: dict, report: List[str]) -> dict:
    """``model``: the recognizer, its backbone and graph, its head."""
    margs = _check_keys(src.get('model_args'), MODEL_KEYS, 'model_args',
                        report)
    gargs = _check_keys(margs.get('graph_args'), GRAPH_KEYS,
                        'model_args.graph_args', report)
    graph = {k: gargs.get(k, MODEL_DEFAULTS.get(k)) for k in GRAPH_KEYS}
    backbone = dict(graph_cfg=graph,
                    dropout=margs.get('dropout', MODEL_DEFAULTS['dropout']))
    for key in ('in_channels', 'edge_importance_weighting'):
        if key in margs:
            backbone[key] = margs[key]
    head = {'num_classes': margs['num_class']} if 'num_class' in margs else {}
    model_type = MODEL_TYPES.get(src.get('model'), 'SkeletonRecognizer')
    if 'model' not in src:
        report.append('no model in the YAML; the base ST-GCN is used')
    elif src['model'] not in MODEL_TYPES:
        report.append(f"model {src.get('model')!r} is not a model of the "
                      'original ST-GCN code; converted as ST-GCN')
    return dict(type=model_type, backbone=backbone, cls_head=head)


def _loader_values(src: dict, report: List[str], get: Callable[[str], Any],
                   model: dict) -> Tuple[dict, Dict[str, str]]:
    """The train and val pipelines and dataloaders; comments on the
    batch sizes split over GPUs."""
    want: Dict[str, Any] = {}
    comments: Dict[str, str] = {}
    cpu = not src.get('use_gpu', True)
    gpus = 1 if cpu else len(_as_list(src.get('device', 0)))
    for loader, split in (('train', 'train_feeder_args'),
                          ('val', 'test_feeder_args')):
        fargs = _check_keys(src.get(split), FEEDER_KEYS, split, report)
        dataset = {k: clean_path(fargs[k])
                   for k in ('data_path', 'label_path') if k in fargs}
        dataset.update(num_classes=model['cls_head'].get('num_classes'),
                       layout=model['backbone']['graph_cfg']['layout'])
        if fargs.get('debug', src.get('debug')):
            dataset['indices'] = 100  # the original debug mode's subset
        if 'mmap' in fargs:
            dataset['mmap'] = bool(fargs['mmap'])
        if split in src:
            want[f'{loader}_pipeline'] = _pipeline(fargs, split, report)
        total = get('batch_size' if loader == 'train' else 'test_batch_size')
        batch = None if total is None else max(total // gpus, 1)
        want[f'{loader}_dataloader'] = dict(batch_size=batch, dataset=dataset)
        if total is not None and gpus > 1:
            comments[f'{loader}_dataloader'] = (
                f'batch per process: the YAML total {total} over {gpus} GPUs'
                + (', rounded down' if total % gpus else ''))
    workers = src.get('num_worker')
    if workers is not None:
        for loader in ('train', 'val'):
            want[f'{loader}_dataloader'].update(
                num_workers=workers, persistent_workers=workers > 0)
    return want, comments


def _schedule_values(report: List[str], get: Callable[[str], Any]) -> dict:
    """``optim_wrapper``, ``param_scheduler`` and ``train_cfg``."""
    want: Dict[str, Any] = {}
    if get('base_lr') is not None:
        optimizer = dict(type='SGD', lr=get('base_lr'), momentum=0.9,
                         nesterov=bool(get('nesterov')),
                         weight_decay=get('weight_decay'))
        if get('optimizer') == 'Adam':
            optimizer = dict(_delete_=True, type='Adam', lr=get('base_lr'),
                             weight_decay=get('weight_decay'))
        elif get('optimizer') != 'SGD':
            report.append(f"optimizer {get('optimizer')!r} is not supported "
                          '(the original knew SGD and Adam); SGD is used')
        want['optim_wrapper'] = dict(optimizer=optimizer)
    if get('step') is not None:
        want['param_scheduler'] = [
            dict(type='MultiStepLR', by_epoch=True, gamma=0.1,
                 milestones=[int(s) for s in _as_list(get('step'))])
        ]
    want['train_cfg'] = dict(max_epochs=get('num_epoch'),
                             val_interval=get('eval_interval'))
    return want


def wanted_values(src: dict,
                  report: List[str]) -> Tuple[dict, Dict[str, str]]:
    """The config values the YAML asks for, and comments on some of them."""
    get = _getter(src)
    want: Dict[str, Any] = dict(model=_model_values(src, report))
    loaders, comments = _loader_values(src, report, get, want['model'])
    want.update(loaders)
    if 'show_topk' in src:
        want['val_evaluator'] = dict(topk=_as_list(src['show_topk']))
    want.update(_schedule_values(report, get))
    if src['phase'] == 'train':
        # the reference lr goes with the YAML's total batch
        want['auto_scale_lr'] = dict(base_batch_size=get('batch_size'))
    want['default_hooks'] = dict(
        checkpoint=dict(interval=get('save_interval')),
        logger=dict(interval=src.get('log_interval')))
    if weights_path(src) is not None:
        want['load_from'] = weights_path(src)
    if src.get('work_dir'):
        want['work_dir'] = clean_path(src['work_dir'])
    return want, comments


def report_runtime(src: dict, report: List[str]) -> None:
    """Notes on keys that concern how to run, not the config itself."""
    feeder = src.get('feeder', 'feeder.feeder.Feeder')
    if feeder == 'feeder.feeder_kinetics.Feeder_kinetics':
        report.append('feeder Feeder_kinetics reads the raw JSON files: '
                      'convert them with tools/kinetics_gendata.py and set '
                      'data_path/label_path to its .npy/.pkl')
    elif feeder not in ('feeder.feeder.Feeder', 'feeder.feeder'):
        report.append(f'feeder {feeder!r} is not known; converted as '
                      'SkeletonDataset (.npy + .pkl)')
    if not src.get('use_gpu', True):
        report.append('use_gpu: False -> runs on CPU (the tools apply '
                      '--device cpu)')
    elif len(_as_list(src.get('device', 0))) > 1:
        gpus = len(_as_list(src['device']))
        report.append(f"device {src['device']}: the original split each "
                      f'batch over {gpus} GPUs; the batch sizes are now per '
                      f'process (total / {gpus}): run bash '
                      f'tools/dist_train.sh CONFIG {gpus} for the same total')
    if src['phase'] == 'test':
        report.append('phase: test -> evaluate with tools/test.py (the '
                      'weights become load_from)')
    elif src['phase'] != 'train':
        report.append(f"phase {src['phase']!r} is not train or test")
    for key in sorted(set(src) & set(NOT_CONVERTED)):
        report.append(f'{key} is not converted: {NOT_CONVERTED[key]}')
    for key in sorted(set(src) - KNOWN_KEYS, key=str):
        report.append(f'unknown key {key!r} (value {_short(src[key])}) was '
                      'not converted')


def choose_bases(want: dict) -> List[str]:
    """The base configs closest to what the YAML asks for."""
    layout = want['model']['backbone']['graph_cfg']['layout']
    num_classes = want['model']['cls_head'].get('num_classes')
    paths = ' '.join(
        str(want[f'{loader}_dataloader']['dataset'].get('data_path', ''))
        for loader in ('train', 'val')).lower()
    if layout == 'openpose':
        dataset = 'kinetics'
    elif layout == 'ntu-rgb+d' and num_classes == 120:
        dataset = 'ntu120_xset120' if 'xset' in paths else 'ntu120_xsub120'
    elif layout == 'ntu-rgb+d' and 'xview' in paths:
        dataset = 'ntu_xview'
    else:
        dataset = 'ntu_xsub'
    num_epoch = want['train_cfg']['max_epochs']
    schedule = 'sgd_50e' if num_epoch == 50 or (
        num_epoch is None and dataset == 'kinetics') else 'sgd_80e'
    return ['models/stgcn.py', f'datasets/{dataset}.py',
            f'schedules/{schedule}.py', 'default_runtime.py']


def read_yaml(path: str) -> dict:
    """The YAML's options, with ``phase`` filled in."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'YAML config {path!r} not found')
    text = read_config_text(path, 'YAML config')
    try:
        src = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise ValueError(f'{path} is not valid YAML: {error}') from None
    if not isinstance(src, dict):
        raise ValueError(f'{path}: expected a mapping of options, got '
                         f'{type(src).__name__}')
    for key in INT_KEYS:
        if key in src and type(src[key]) is not int:
            raise ValueError(f'{path}: {key} must be an integer, got '
                             f'{src[key]!r}')
    src.setdefault('phase', 'train')
    return src
