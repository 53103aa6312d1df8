"""Convert ST-GCN checkpoints between MMAction2 1.x / PYSKL and stgcn_reg.

MMAction2 -> stgcn_reg (default): the model is read from the file's
shapes (or given by --config) and the graph buffer in the file is checked
against the layout (--layout, or detected). An ST-GCN++ (MMAction2's
STGCN with gcn_adaptive='init', gcn_with_res=True, tcn_type='mstcn')
becomes an STGCNPP; its learned graphs are kept as they are, the layout
is the one whose joints they join (and whose start is nearest).
stgcn_reg -> MMAction2 (--reverse; --format pyskl for PYSKL's
cls_head.fc_cls), STGCN or STGCNPP. Every key and shape is checked; a
file that does not fit is refused, nothing is written.

Examples:
    python tools/convert_mmaction_checkpoint.py mmaction_stgcn.pth \
        stgcn_ntu.pth --layout nturgb+d
    python tools/convert_mmaction_checkpoint.py \
        work_dirs/stgcn_ntu_xsub/epoch_80.pth for_mmaction.pth --reverse
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args() -> argparse.Namespace:
    """Command line of the converter."""
    from stgcn_reg.cli import common_args as common
    from stgcn_reg.graphs import LAYOUTS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('input', help='checkpoint to convert')
    parser.add_argument('output', help='checkpoint to write (.pth)')
    parser.add_argument('--reverse', action='store_true',
                        help='stgcn_reg -> MMAction2/PYSKL')
    parser.add_argument('--format', default='mmaction',
                        choices=['mmaction', 'pyskl'],
                        help='head naming written by --reverse: cls_head.fc '
                        '(mmaction) or cls_head.fc_cls (pyskl); read '
                        'automatically otherwise')
    parser.add_argument('--layout', choices=sorted(LAYOUTS),
                        help='layout the weights were trained on; the graph '
                        'in the file must match it (default: detected). '
                        "MMAction2's NTU graph is 'nturgb+d'")
    parser.add_argument('--config',
                        help='MMAction2 -> stgcn_reg: config of the target '
                        'model (default: read from the file; strides '
                        'assumed 2 where a block has a residual conv)')
    common.add_cfg_options(parser, text='override keys of --config')
    common.add_trust_checkpoint(parser, common.TRUST_INPUT)
    return parser.parse_args()


def _model_summary(model_cfg: dict) -> str:
    """One line naming the converted model: backbone, graph, shapes."""
    from stgcn_reg.models.backbones.st_gcn import (
        DEFAULT_CHANNELS,
        DEFAULT_STRIDES,
    )
    backbone, head = model_cfg['backbone'], model_cfg['cls_head']
    graph = backbone['graph_cfg']
    choice = (f"mode={graph['mode']!r}" if graph.get('mode') else
              f"strategy={graph.get('strategy', 'spatial')!r}")
    return (f"{backbone['type']}, layout={graph['layout']!r}, {choice}, "
            f"in_channels={backbone.get('in_channels', 3)}, "
            f"channels={list(backbone.get('channels', DEFAULT_CHANNELS))}, "
            f"strides={list(backbone.get('strides', DEFAULT_STRIDES))}, "
            f"num_classes={head['num_classes']}")


def to_ours(args: argparse.Namespace) -> None:
    """MMAction2/PYSKL -> stgcn_reg."""
    from mmengine.config import Config

    from stgcn_reg.checkpoints.formats import MMACTION, read_state_dict
    from stgcn_reg.checkpoints.formats.mmaction_files import (
        convert_mmaction_checkpoint,
    )
    model_cfg = None
    if args.config:
        cfg = Config.fromfile(args.config)
        if args.cfg_options:
            cfg.merge_from_dict(args.cfg_options)
        model_cfg = cfg.model
    state_dict = read_state_dict(args.input, MMACTION, args.trust_checkpoint)
    if state_dict is None:
        raise ValueError(
            f'{args.input!r} is not an MMAction2/PYSKL ST-GCN checkpoint '
            '(no backbone.gcn.{i}.gcn.conv.weight keys)')
    checkpoint = convert_mmaction_checkpoint(
        state_dict, args.input, args.output, model_cfg, args.layout)
    meta = checkpoint['meta']
    print(f'Converted {len(state_dict)} tensors of {args.input} '
          f'({meta["source_format"]}, layout {meta["layout"]!r}) into a '
          f'{meta["model_type"]} checkpoint with '
          f'{len(checkpoint["state_dict"])} tensors: {args.output}')
    print(f'Its model: {_model_summary(meta["model_cfg"])}')
    print('Use it with a config of that model, e.g. '
          f'--cfg-options model.backbone.graph_cfg.layout={meta["layout"]}')


def to_mmaction(args: argparse.Namespace) -> None:
    """stgcn_reg -> MMAction2/PYSKL."""
    from stgcn_reg.checkpoints import load_checkpoint_file
    from stgcn_reg.checkpoints.formats.mmaction_files import (
        export_mmaction_checkpoint,
    )
    checkpoint = load_checkpoint_file(args.input, map_location='cpu',
                                      trusted=args.trust_checkpoint)
    result = export_mmaction_checkpoint(checkpoint, args.input, args.output,
                                        args.layout, args.format)
    name = dict(mmaction='MMAction2', pyskl='PYSKL')[args.format]
    meta = result['meta']
    print(f'Wrote {len(result["state_dict"])} tensors for {name} (layout '
          f'{meta["layout"]!r}): {args.output}')
    how = ('strides from the checkpoint\'s config' if meta['strides_known']
           else 'strides assumed 2 where a block has a residual conv')
    print(f'{name} model ({how}): {meta["model_cfg"]}')


def main() -> None:
    """Convert in the chosen direction; print a summary."""
    args = parse_args()
    from stgcn_reg.checkpoints import UnsafeCheckpointError
    from stgcn_reg.utils import exit_if_overwriting_inputs
    exit_if_overwriting_inputs(
        {'OUTPUT': args.output},
        {'INPUT': args.input, '--config': args.config})
    try:
        (to_mmaction if args.reverse else to_ours)(args)
    # a mismatch is a ValueError naming every key
    except (OSError, ValueError, UnsafeCheckpointError) as error:
        sys.exit(f'error: {error}')


if __name__ == '__main__':
    main()
