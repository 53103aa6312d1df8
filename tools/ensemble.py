"""Fuse the class scores of several models (e.g. joint + bone streams).

Reads the ``tools/test.py --dump`` pickles, checks that they cover the
same samples in the same order, sums their weighted scores and prints
each input's top-1 and the fused top-k and mean class accuracy.

Examples:
    python tools/test.py configs/stgcn_ntu_xsub_joint.py joint.pth \
        --dump joint.pkl
    python tools/test.py configs/stgcn_ntu_xsub_bone.py bone.pth \
        --dump bone.pkl
    python tools/ensemble.py joint.pkl bone.pkl --weights 1 1
"""

import argparse
import os.path as osp
import pickle
import sys
from typing import List, NoReturn, Optional

import numpy as np

try:
    import stgcn_reg  # noqa: F401  (installed)
except ModuleNotFoundError:  # run from a checkout, not installed
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from stgcn_reg.evaluation import (
    fuse_scores,
    fusion_accuracy,
    load_score_dump,
)
from stgcn_reg.utils import (
    exit_if_overwriting_inputs,
    write_pickle_atomic,
)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Command line of the score fusion."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        'dumps',
        nargs='+',
        metavar='SCORES.pkl',
        help='score dumps written by tools/test.py --dump',
    )
    parser.add_argument(
        '--weights',
        nargs='+',
        type=float,
        metavar='W',
        help='one weight per dump (default: all 1)',
    )
    parser.add_argument(
        '--topk',
        nargs='+',
        type=int,
        default=[1, 5],
        metavar='K',
        help='k of the fused top-k accuracy (default: 1 5)',
    )
    parser.add_argument(
        '--normalize',
        choices=('none', 'softmax'),
        default='none',
        help='none: sum the raw scores (default); softmax: sum each '
        "model's class probabilities",
    )
    parser.add_argument(
        '--out',
        metavar='FUSED.pkl',
        help='also write the fused scores in the same dump format',
    )
    return parser.parse_args(argv)


def fail(message: str) -> NoReturn:
    """Print ``error: message`` and exit with status 2."""
    print(f'error: {message}', file=sys.stderr)
    sys.exit(2)


def main(argv: Optional[List[str]] = None) -> None:
    """Load, check, fuse, print and optionally write the fused scores."""
    args = parse_args(argv)
    if args.out and not args.out.endswith(('.pkl', '.pickle')):
        fail(f'--out must end with .pkl, got {args.out!r}')
    exit_if_overwriting_inputs(
        {'--out': args.out},
        {f'SCORES.pkl #{i}': path for i, path in enumerate(args.dumps, 1)})
    try:
        dumps = [load_score_dump(path) for path in args.dumps]
        scores, labels, names = fuse_scores(
            dumps, args.weights, args.normalize, sources=args.dumps
        )
        labeled = bool(np.all(labels >= 0))
        fused, singles = {}, []
        if labeled:
            fused = fusion_accuracy(scores, labels, args.topk)
            singles = [
                fusion_accuracy(dump['scores'], labels, (1,))['top1']
                for dump in dumps
            ]
    except (OSError, ValueError, pickle.UnpicklingError) as error:
        fail(str(error))
    weights = args.weights or [1.0] * len(dumps)
    print(
        f'{len(names)} samples, {scores.shape[1]} classes, '
        f'normalize={args.normalize}'
    )
    if labeled:
        for path, weight, top1 in zip(args.dumps, weights, singles):
            print(f'{path} (weight {weight:g}): top1 {top1:.2f}')
        print('Fused:')
        for name, value in fused.items():
            print(f'{name:>28}: {value:.2f}')
    else:
        print('Some samples have no ground-truth label (-1): accuracy skipped')
    if args.out:
        try:
            write_pickle_atomic(
                dict(sample_names=names, scores=scores, labels=labels),
                args.out,
            )
        except OSError as error:
            fail(str(error))
        print(f'Fused scores written to {args.out}')


if __name__ == '__main__':
    main()
