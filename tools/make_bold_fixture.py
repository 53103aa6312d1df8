"""Write a small synthetic BOLD-format release (CSVs + joint files).

The labels follow the motion, so a model trained on it beats chance; see
stgcn_reg/datasets/synthetic_bold.py.

Examples:
    python tools/make_bold_fixture.py --out-dir data/bold_fixture
    python tools/make_bold_fixture.py --out-dir /tmp/bold --num-train 32 \
        --with-defects
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args() -> argparse.Namespace:
    """Command line of the generator."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out-dir', default='data/bold_fixture',
                        help='release root to write (default: '
                        'data/bold_fixture)')
    parser.add_argument('--num-train', type=int, default=96,
                        help='annotated train rows (default: 96)')
    parser.add_argument('--num-val', type=int, default=48,
                        help='annotated val rows (default: 48)')
    parser.add_argument('--num-test', type=int, default=8,
                        help='test_meta.csv rows (default: 8)')
    parser.add_argument('--num-frames', type=int, default=48,
                        help='longest annotated clip in frames (default: 48)')
    parser.add_argument('--seed', type=int, default=0,
                        help='random seed (default: 0)')
    parser.add_argument('--with-defects', action='store_true',
                        help='append 4 bad rows to train.csv that the '
                        'converter reports and skips')
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    from stgcn_reg.datasets.synthetic_bold import write_bold_fixture
    try:
        info = write_bold_fixture(
            args.out_dir, args.num_train, args.num_val, args.num_test,
            args.num_frames, args.seed, defects=args.with_defects)
    except ValueError as error:
        print(f'error: {error}', file=sys.stderr)
        return 1
    rows = ', '.join(f'{split} {count}'
                     for split, count in info['rows'].items())
    print(f'{args.out_dir}: BOLD-format release with {rows} rows')
    if info['defect_lines']:
        print('  bad rows in annotations/train.csv at lines '
              + ', '.join(map(str, info['defect_lines'])))
    return 0


if __name__ == '__main__':
    sys.exit(main())
