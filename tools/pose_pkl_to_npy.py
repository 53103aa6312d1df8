"""Convert one split of an MMAction2 / PYSKL pose pickle to .npy + .pkl.

The output is the original ST-GCN format that ``SkeletonDataset`` reads:
a float32 (N, 3, T, V, M) array and a (sample_names, labels) pickle.
``PoseAnnotationDataset`` reads the pickle directly, without converting.

Examples:
    python tools/pose_pkl_to_npy.py data/skeleton/ntu60_3danno.pkl \
        --split xsub_train --out-data data/ntu60_3d/train_data.npy \
        --out-label data/ntu60_3d/train_label.pkl
"""

import argparse
import os.path as osp
import pickle
import sys
from typing import List, Optional

try:
    import stgcn_reg  # noqa: F401  (installed)
except ModuleNotFoundError:  # run from a checkout, not installed
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from stgcn_reg.cli import common_args as common
from stgcn_reg.datasets.converters.pose_annotations_to_npy import (
    convert_pose_annotations,
)
from stgcn_reg.utils import exit_if_overwriting_inputs


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Command line of the converter."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('ann_file', help='MMAction2 / PYSKL .pkl')
    parser.add_argument(
        '--split',
        help='split name, e.g. xsub_train (default: every annotation)',
    )
    parser.add_argument('--out-data', required=True, help='output .npy array')
    parser.add_argument('--out-label', required=True, help='output label .pkl')
    common.add_number(
        parser,
        '--num-frames',
        300,
        'frames per sample, cropped or zero-padded',
    )
    common.add_number(parser, '--max-persons', 2, 'persons per sample')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    """Convert and print what was written."""
    args = parse_args(argv)
    exit_if_overwriting_inputs(
        {'--out-data': args.out_data, '--out-label': args.out_label},
        {'ANN_FILE': args.ann_file})
    try:
        shape = convert_pose_annotations(
            args.ann_file,
            args.split,
            args.out_data,
            args.out_label,
            num_frames=args.num_frames,
            max_persons=args.max_persons,
        )
    except KeyError as error:  # unknown split; str() would add quotes
        sys.exit(f'error: {error.args[0]}')
    except (OSError, ValueError, pickle.UnpicklingError) as error:
        sys.exit(f'error: {error}')
    print(f'{args.out_data}: float32 {shape}')
    print(f'{args.out_label}: {shape[0]} (names, labels)')


if __name__ == '__main__':
    main()
