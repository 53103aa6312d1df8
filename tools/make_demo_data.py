"""Write the small synthetic NTU-format demo dataset for the README demo.

Examples:
    python tools/make_demo_data.py
    python tools/make_demo_data.py --out-dir data/demo --num-train 600
"""

import argparse
import os.path as osp
import sys

try:
    from stgcn_reg.datasets.synthetic_actions import write_demo_dataset
except ModuleNotFoundError as error:  # run from a checkout, not installed
    if error.name != 'stgcn_reg':
        raise
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
    from stgcn_reg.datasets.synthetic_actions import write_demo_dataset


def parse_args() -> argparse.Namespace:
    """Command line of the generator."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--out-dir',
        default='data/demo',
        help='output folder (default: data/demo)',
    )
    parser.add_argument(
        '--num-train',
        type=int,
        default=600,
        help='training clips (default: 600)',
    )
    parser.add_argument(
        '--num-val',
        type=int,
        default=200,
        help='validation clips (default: 200)',
    )
    parser.add_argument(
        '--num-frames',
        type=int,
        default=64,
        help='frames per clip (default: 64)',
    )
    parser.add_argument(
        '--seed', type=int, default=0, help='random seed (default: 0)'
    )
    return parser.parse_args()


def main() -> None:
    """Generate the dataset and print one line per written file."""
    args = parse_args()
    for name in ('num_train', 'num_val', 'num_frames'):
        if getattr(args, name) < 1:
            sys.exit(f'--{name.replace("_", "-")} must be >= 1')
    info = write_demo_dataset(
        args.out_dir, args.num_train, args.num_val, args.num_frames, args.seed
    )
    for split in ('train', 'val'):
        count = info[f'num_{split}']
        shape = (count, 3, info['num_frames'], 25, 2)
        print(f'{info[f"{split}_data"]}: {count} clips, float32 {shape}')
        print(
            f'{info[f"{split}_label"]}: {count} (names, labels), '
            f'{info["num_classes"]} classes'
        )


if __name__ == '__main__':
    main()
