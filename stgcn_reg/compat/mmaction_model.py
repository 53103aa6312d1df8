"""Map MMAction2's ``RecognizerGCN`` (``STGCN``, ``GCNHead``) onto ours.

``RecognizerGCN`` becomes :class:`SkeletonRecognizer`, ``GCNHead``
:class:`ClsHead`, and MMAction2's ``STGCN`` our :class:`STGCNPP` with
ST-GCN++'s block (``gcn_adaptive='init'``, ``gcn_with_res=True``,
``tcn_type='mstcn'``) or our :class:`STGCN` with the plain one. The
stage arguments (``base_channels``, ``ch_ratio``, ``num_stages``,
``inflate_stages``, ``down_stages``) become per-block ``channels`` and
``strides``, computed as MMAction2 builds its blocks.
"""
import inspect
from typing import Any, Dict, List, Tuple

from stgcn_reg.compat.config_text import same
from stgcn_reg.compat.mmaction_parts import (
    Conversion,
    build_ours,
    call_text,
    find_type,
    take,
)

# MMAction2 1.2.0's STGCN defaults (mmaction/models/backbones/stgcn.py)
STGCN_DEFAULTS = dict(in_channels=3, base_channels=64, data_bn_type='VC',
                      ch_ratio=2, num_person=2, num_stages=10,
                      inflate_stages=[5, 8], down_stages=[5, 8],
                      init_cfg=None)
# block arguments and MMAction2's defaults (unit_gcn, unit_tcn, mstcn)
BLOCK_DEFAULTS = dict(gcn_adaptive='importance', gcn_with_res=False,
                      tcn_type='unit_tcn', tcn_dropout=0, gcn_conv_pos='pre',
                      gcn_norm='BN', gcn_act='ReLU', tcn_norm='BN')
PLUS_PLUS = dict(gcn_adaptive='init', gcn_with_res=True, tcn_type='mstcn')
# our backbones' defaults: what a converted backbone need not state
DEFAULT_CHANNELS = [64, 64, 64, 64, 128, 128, 128, 256, 256, 256]
DEFAULT_STRIDES = [1, 1, 1, 1, 2, 1, 1, 2, 1, 1]
EPS = 1e-4  # as MMAction2 rounds inflated channel counts
INIT_NOTES = dict(
    STGCN='weight init: ours is the reference ST-GCN init (convs N(0, '
    '0.02), BatchNorm weights N(1, 0.02)); MMAction2 inits its temporal '
    'convs (unit_tcn) Kaiming-normal (fan_out) and keeps PyTorch defaults '
    'elsewhere',
    STGCNPP='weight init: ours keeps PyTorch defaults (as PYSKL); MMAction2 '
    'inits the temporal convs (unit_tcn) Kaiming-normal (fan_out)')


def stage_shapes(conv: Conversion, stages: Dict[str, Any]
                 ) -> Tuple[List[int], List[int]]:
    """Per-block output channels and strides of MMAction2's stages."""
    base = stages['base_channels']
    if stages['in_channels'] == base:
        conv.lack('STGCN with in_channels == base_channels (no input '
                  'block without residual)')
    channels, strides, inflated = [base], [1], 0
    for stage in range(2, stages['num_stages'] + 1):
        inflated += stage in stages['inflate_stages']
        channels.append(int(base * stages['ch_ratio']**inflated + EPS))
        strides.append(1 + (stage in stages['down_stages']))
    return channels, strides


def convert_graph(conv: Conversion, graph_cfg: Any) -> Dict[str, Any]:
    """Our ``Graph`` config of MMAction2's ``graph_cfg``; checks it builds.

    ``mode='stgcn_spatial'`` is our ``strategy='spatial'`` (the same
    adjacency); other modes are passed on as ``mode``.
    """
    key = 'model.backbone.graph_cfg'
    if not isinstance(graph_cfg, dict) or 'layout' not in graph_cfg:
        raise conv.error(key, "a dict with a 'layout'", graph_cfg)
    args = dict(graph_cfg)
    args.pop('type', None)
    mode = args.pop('mode', 'spatial')  # MMAction2's Graph default
    ours = dict(type='Graph', layout=args.pop('layout'))
    if mode == 'stgcn_spatial':
        ours['strategy'] = 'spatial'
    else:
        ours['mode'] = mode
    ours.update(args)
    from stgcn_reg.registry import GRAPHS
    try:
        build_ours(GRAPHS, ours)
    except (KeyError, TypeError, ValueError) as error:
        conv.lack(f'graph {call_text("Graph", graph_cfg)} ({error})')
    return ours


def convert_backbone(conv: Conversion, cfg: Dict[str, Any]
                     ) -> Dict[str, Any]:
    """Our ``STGCN``/``STGCNPP`` config of MMAction2's ``STGCN``."""
    args = dict(cfg)
    args.pop('type')
    graph = convert_graph(conv, args.pop('graph_cfg', None))
    stages = take(args, STGCN_DEFAULTS)
    block = take(args, BLOCK_DEFAULTS)
    per_stage = {k: v for k, v in block.items() if isinstance(v, list)}
    if args or per_stage:  # per-stage values: a list per argument
        conv.lack(call_text('STGCN', dict(args, **per_stage)))
        block.update((key, BLOCK_DEFAULTS[key]) for key in per_stage)
    if stages['data_bn_type'] != 'VC':
        conv.lack(f"STGCN(data_bn_type={stages['data_bn_type']!r})")
    if stages['init_cfg'] is not None:
        conv.note(f"model.backbone.init_cfg {stages['init_cfg']!r} is not "
                  'converted')
    shape = {key: block[key] for key in PLUS_PLUS}
    if shape == PLUS_PLUS:
        ours = dict(type='STGCNPP')
    elif shape['gcn_adaptive'] in ('importance', None) and shape[
            'tcn_type'] == 'unit_tcn' and not shape['gcn_with_res']:
        ours = dict(type='STGCN', edge_importance_weighting=(
            shape['gcn_adaptive'] == 'importance'))
    else:
        ours = dict(type='STGCN')
        conv.lack(f'STGCN block {call_text("", shape)[1:-1]}')
    for key in ('gcn_conv_pos', 'gcn_norm', 'gcn_act', 'tcn_norm'):
        if block[key] != BLOCK_DEFAULTS[key]:
            conv.lack(f'STGCN({key}={block[key]!r})')
    ours.update(in_channels=stages['in_channels'], graph_cfg=graph)
    if block['tcn_dropout'] or ours['type'] == 'STGCN':
        ours['dropout'] = float(block['tcn_dropout'])
    channels, strides = stage_shapes(conv, stages)
    if channels != DEFAULT_CHANNELS or strides != DEFAULT_STRIDES:
        ours.update(channels=channels, strides=strides)
    conv.note(INIT_NOTES[ours['type']])
    return ours


def convert_head(conv: Conversion, cfg: Dict[str, Any]
                 ) -> Tuple[Dict[str, Any], str]:
    """Our ``ClsHead`` config of ``GCNHead``, and its ``average_clips``."""
    args = dict(cfg)
    args.pop('type')
    if 'num_classes' not in args or 'in_channels' not in args:
        raise conv.error('model.cls_head', 'num_classes and in_channels',
                         cfg)
    loss = dict(args.pop('loss_cls', None) or dict(type='CrossEntropyLoss'))
    init = args.pop('init_cfg', dict(type='Normal', layer='Linear',
                                     std=0.01))
    head = dict(type='ClsHead', num_classes=args.pop('num_classes'),
                in_channels=args.pop('in_channels'))
    dropout = args.pop('dropout', 0.0)
    if dropout:
        head['dropout'] = dropout
    if loss.pop('type') != 'CrossEntropyLoss' or set(loss) - {'loss_weight'}:
        conv.lack(f'GCNHead loss {call_text("", cfg.get("loss_cls"))[1:-1]}')
    if loss.get('loss_weight', 1.0) != 1.0:
        head['loss_weight'] = loss['loss_weight']
    if isinstance(init, dict) and init.get('type') == 'Normal' and set(
            init) <= {'type', 'layer', 'std', 'mean', 'bias'} and init.get(
                'mean', 0) == 0 and init.get('bias', 0) == 0:
        head['init_std'] = init.get('std', 1.0)
    else:
        conv.note(f'model.cls_head.init_cfg {init!r} is not converted')
    average = args.pop('average_clips', 'prob')
    if average not in ('prob', 'score'):
        conv.lack(f'GCNHead(average_clips={average!r})')
    if args.pop('multi_class', False):
        conv.lack('GCNHead(multi_class=True)')
    args.pop('label_smooth_eps', None)  # used by multi_class only
    args.pop('topk', None)
    conv.note('training logs: MMAction2 logs top1_acc/top5_acc of every '
              'training batch; ours logs the loss only')
    if args:
        conv.lack(call_text('GCNHead', args))
    return head, average


def convert_model(conv: Conversion, cfg: Any) -> Dict[str, Any]:
    """Our ``SkeletonRecognizer`` config of MMAction2's ``model``."""
    model = conv.component(cfg, 'model')
    if model['type'] != 'RecognizerGCN':
        parts = [f"{key} {model[key].get('type')}" for key in (
            'backbone', 'cls_head') if isinstance(model.get(key), dict)]
        conv.lack(f"model {model['type']}" + (
            f" ({', '.join(parts)})" if parts else ''))
        return {}
    backbone = conv.component(model.get('backbone'), 'model.backbone')
    head = conv.component(model.get('cls_head'), 'model.cls_head')
    ours = dict(type='SkeletonRecognizer')
    from stgcn_reg.registry import MODELS
    recognizer = find_type(MODELS, 'SkeletonRecognizer')
    if 'train_clips' in inspect.signature(recognizer).parameters:
        # MMAction2's RecognizerGCN fails on several training clips too
        ours['train_clips'] = 'single'
    if backbone['type'] == 'STGCN':
        ours['backbone'] = convert_backbone(conv, backbone)
    else:
        conv.lack(f"model.backbone {backbone['type']}")
    if head['type'] == 'GCNHead':
        ours['cls_head'], average = convert_head(conv, head)
        if average != 'prob':
            ours['average_clips'] = average
    else:
        conv.lack(f"model.cls_head {head['type']}")
    if model.get('neck') is not None:
        conv.lack(f"model.neck {model['neck'].get('type')}")
    preprocessor = model.get('data_preprocessor')
    if preprocessor is not None and not same(
            preprocessor, dict(type='ActionDataPreprocessor')):
        conv.note(f'model.data_preprocessor {preprocessor!r} is not '
                  'converted')
    for key in ('train_cfg', 'test_cfg', 'init_cfg'):
        if model.get(key) is not None:
            conv.note(f'model.{key} {model[key]!r} is not converted')
    return ours
