"""Confusion matrix and most-confused class pairs of a score dump.

Reads the pickle of ``tools/test.py --dump`` (loaded without running code
from it), counts true class against top-1 prediction, draws the
row-normalised matrix as a PNG heat map, writes the counts as CSV and
prints the most-confused pairs (also saved as text).

Examples:
    python tools/test.py configs/stgcn_demo.py \
        work_dirs/stgcn_demo/epoch_15.pth --dump scores.pkl
    python tools/confusion_matrix.py scores.pkl --out confusion.png
    python tools/confusion_matrix.py ntu_scores.pkl \
        --label-names label_map.txt --top 20
"""
import argparse
import os.path as osp
import pickle
import sys

import numpy as np

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args() -> argparse.Namespace:
    """Command line of the confusion matrix tool."""
    from stgcn_reg.cli import common_args as common
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('dump', metavar='SCORES.pkl',
                        help='score dump written by tools/test.py --dump')
    parser.add_argument('--out', default='confusion_matrix.png',
                        help='PNG heat map; the counts go to the same '
                        'stem with .csv, the pairs to _pairs.txt')
    parser.add_argument('--label-names', metavar='FILE',
                        help='class names, one a line (line i = class i)')
    common.add_number(parser, '--top', 10, 'most-confused pairs listed')
    parser.add_argument('--title', default='', help='figure title')
    return parser.parse_args()


def main() -> None:
    """Count, plot, print the pairs."""
    args = parse_args()
    from stgcn_reg.utils import exit_if_overwriting_inputs
    stem = osp.splitext(args.out)[0]
    exit_if_overwriting_inputs(
        {'--out': args.out, '--out (counts)': f'{stem}.csv',
         '--out (pairs)': f'{stem}_pairs.txt'},
        {'SCORES.pkl': args.dump, '--label-names': args.label_names})
    from stgcn_reg.apis import check_label_names, load_label_names
    from stgcn_reg.evaluation import load_score_dump
    from stgcn_reg.utils import atomic_path
    from stgcn_reg.visualization import (
        dump_confusion_matrix,
        format_pairs,
        most_confused_pairs,
        plot_confusion_matrix,
    )
    try:
        dump = load_score_dump(args.dump)
        names = None
        if args.label_names:
            names = load_label_names(args.label_names)
            check_label_names(names, dump['scores'].shape[1],
                              args.label_names)
    except (OSError, ValueError, pickle.UnpicklingError) as error:
        sys.exit(f'error: {error}')
    matrix = dump_confusion_matrix(dump)
    total = int(matrix.sum())
    if total == 0:
        sys.exit(f'error: {args.dump} has no sample with a known label')
    pairs = most_confused_pairs(matrix, args.top)
    plot_confusion_matrix(matrix, args.out, names, args.title)
    with atomic_path(f'{stem}.csv') as temp:
        np.savetxt(temp, matrix, fmt='%d', delimiter=',')
    text = format_pairs(pairs, names)
    with atomic_path(f'{stem}_pairs.txt') as temp, open(temp, 'w') as file:
        file.write(text + '\n')
    correct = int(np.trace(matrix))
    print(f'{total} samples, top-1 {100 * correct / total:.2f}% '
          f'({correct} correct)')
    print(f'most-confused pairs (true -> predicted):\n{text}')
    print(f'written: {args.out}, {stem}.csv, {stem}_pairs.txt')


if __name__ == '__main__':
    main()
