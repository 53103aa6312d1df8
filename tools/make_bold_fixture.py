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

# the sizes of the release and its seed: flag, default, help
COUNTS = (
    ('--num-train', 96, 'annotated train rows'),
    ('--num-val', 48, 'annotated val rows'),
    ('--num-test', 8, 'test_meta.csv rows'),
    ('--num-frames', 48, 'longest annotated clip in frames'),
    ('--seed', 0, 'random seed'),
)


def parse_args() -> argparse.Namespace:
    """Command line of the generator."""
    from stgcn_reg.cli import common_args as common
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out-dir', default='data/bold_fixture',
                        help='release root to write (default: '
                        'data/bold_fixture)')
    for flag, default, text in COUNTS:
        common.add_number(parser, flag, default, text)
    parser.add_argument('--with-defects', action='store_true',
                        help='append 4 bad rows to train.csv that the '
                        'converter reports and skips')
    return parser.parse_args()


def main() -> int:
    """Write the release and print its rows; 1 on a bad size."""
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
