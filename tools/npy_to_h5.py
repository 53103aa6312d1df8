"""Convert an ST-GCN .npy + label .pkl pair into one HDF5 file.

The HDF5 file is what ``H5SkeletonDataset`` reads (see
``configs/_base_/datasets/ntu_xsub_h5.py``).

Examples:
    python tools/npy_to_h5.py data/NTU-RGB-D/xsub/train_data.npy \
        data/NTU-RGB-D/xsub/train_label.pkl data/NTU-RGB-D/xsub/train.h5
    python tools/npy_to_h5.py val_data.npy val_label.pkl val.h5 \
        --compression gzip
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
from stgcn_reg.datasets.converters.npy_to_h5 import convert_npy_to_h5
from stgcn_reg.utils import exit_if_overwriting_inputs


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Command line of the converter."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('data', help='input (N, C, T, V, M) .npy array')
    parser.add_argument('label', help='input (sample_names, labels) .pkl')
    parser.add_argument('out', help='output .h5 file')
    parser.add_argument(
        '--compression',
        choices=('gzip', 'lzf'),
        help='compress the skeletons (default: none, fastest to read)',
    )
    common.add_number(
        parser, '--chunk-samples', 256, 'samples copied per step'
    )
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    """Convert and print what was written."""
    args = parse_args(argv)
    exit_if_overwriting_inputs({'OUT': args.out},
                               {'DATA': args.data, 'LABEL': args.label})
    try:
        shape = convert_npy_to_h5(
            args.data,
            args.label,
            args.out,
            compression=args.compression,
            chunk_samples=args.chunk_samples,
        )
    except (OSError, ValueError, pickle.UnpicklingError) as error:
        sys.exit(f'error: {error}')
    compression = args.compression or 'no'
    print(f'{args.out}: float32 {shape}, {compression} compression')


if __name__ == '__main__':
    main()
