"""Convert an original ST-GCN state dict (.pt) into a stgcn_reg checkpoint.

The config names the target model (layout, strategy, channels, classes;
a two-stream file needs a TwoStreamRecognizer config). Every key and shape
is checked; a file that does not fit is refused and nothing is written.

Examples:
    python tools/convert_stgcn_checkpoint.py st_gcn.kinetics.pt \
        stgcn_kinetics.pth --config configs/stgcn_kinetics.py
    python tools/convert_stgcn_checkpoint.py st_gcn.ntu-xsub.pt \
        stgcn_ntu_xsub.pth --config configs/stgcn_ntu_xsub.py
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args() -> argparse.Namespace:
    """Command line of the converter."""
    from stgcn_reg.cli import common_args as common
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('input', help='original ST-GCN state dict (.pt)')
    parser.add_argument('output', help='checkpoint to write (.pth)')
    parser.add_argument('--config', required=True,
                        help='config of the target model (.py)')
    common.add_cfg_options(parser, 'model.cls_head.num_classes=60')
    common.add_trust_checkpoint(parser, common.TRUST_INPUT)
    return parser.parse_args()


def main() -> None:
    """Convert, save, print a summary."""
    args = parse_args()
    from stgcn_reg.utils import exit_if_overwriting_inputs
    exit_if_overwriting_inputs(
        {'OUTPUT': args.output},
        {'INPUT': args.input, '--config': args.config})
    from mmengine.config import Config

    from stgcn_reg.checkpoints import UnsafeCheckpointError
    from stgcn_reg.checkpoints.formats import ORIGINAL_STGCN, read_state_dict

    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    try:
        state_dict = read_state_dict(args.input, ORIGINAL_STGCN,
                                     args.trust_checkpoint)
        if state_dict is None:
            raise ValueError(
                f'{args.input!r} is not an original ST-GCN state dict (no '
                'st_gcn_networks.* or origin_stream.* keys)')
        checkpoint = ORIGINAL_STGCN.save_as_ours(state_dict, args.input,
                                                 args.output, cfg.model)
    # a mismatch with the model is a ValueError naming every key
    except (OSError, ValueError, UnsafeCheckpointError) as error:
        sys.exit(f'error: {error}')
    meta = checkpoint['meta']
    print(f'Converted {len(state_dict)} tensors of {args.input} into a '
          f'{meta["model_type"]} checkpoint with '
          f'{len(checkpoint["state_dict"])} tensors: {args.output}')


if __name__ == '__main__':
    main()
