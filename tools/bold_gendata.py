"""Convert the BOLD body-language release into .npy + label pickles.

Reads ``annotations/{train,val,test_meta}.csv`` and ``joints/**/*.npy``
under ``--data-path`` and writes ``{split}_data.npy`` (N, 3, T, 18, 1),
``{split}_label.pkl`` (names, 26 category scores, 3 dimensions) and
``{split}_gendata_summary.json`` (every skipped row with its reason) to
``--out-folder``.

Examples:
    python tools/bold_gendata.py --data_path BOLD_public \
        --out_folder data/BOLD
    python tools/bold_gendata.py --data-path BOLD_public \
        --out-folder data/BOLD --splits train val test --num-frames 150
"""
import argparse
import os
import os.path as osp
import sys
from typing import Dict

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

DEFAULT_FOLDER = 'data/BOLD'


def parse_args() -> argparse.Namespace:
    """Command line of the converter."""
    from stgcn_reg.datasets.converters import gendata_cli
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    gendata_cli.add_data_path(
        parser, 'BOLD release root holding annotations/ and joints/')
    gendata_cli.add_out_folder(parser, DEFAULT_FOLDER)
    parser.add_argument(
        '--splits', nargs='+', default=['train', 'val'],
        choices=['train', 'val', 'test'],
        help='splits to convert; test reads test_meta.csv and has no '
        'targets (default: train val)')
    parser.add_argument(
        '--num-frames', '--num_frames', type=int, default=300,
        help='frames T per sample: longer clips are sampled evenly, '
        'shorter ones zero padded (default: 300)')
    parser.add_argument(
        '--frame-range', '--frame_range', choices=['annotation', 'all'],
        default='annotation',
        help='annotation: frames min_frame..max_frame of the CSV row; all: '
        'every frame of the person in the joint file (default: annotation)')
    gendata_cli.add_workers(parser)
    gendata_cli.add_run_options(parser)
    return parser.parse_args()


def joint_files(data_path: str) -> Dict[str, str]:
    """The .npy joint files under ``data_path/joints``, numbered."""
    paths = [osp.join(folder, name)
             for folder, _, names in os.walk(osp.join(data_path, 'joints'))
             for name in names if name.endswith('.npy')]
    return {f'joint file #{i}': path for i, path in enumerate(paths, 1)}


def check_paths(args: argparse.Namespace) -> None:
    """Exit before any work when an output would replace an input."""
    from stgcn_reg.datasets.converters.bold_gendata import SPLIT_FILES
    from stgcn_reg.datasets.converters.gendata_cli import split_outputs
    from stgcn_reg.utils import exit_if_overwriting_inputs

    inputs = joint_files(args.data_path)
    for split in args.splits:
        csv = osp.join('annotations', SPLIT_FILES[split][0])
        inputs[csv] = osp.join(args.data_path, csv)
    exit_if_overwriting_inputs(
        split_outputs(args.out_folder, args.splits), inputs)


def main() -> None:
    """Convert the splits, then print their summaries."""
    args = parse_args()
    check_paths(args)
    from stgcn_reg.datasets.converters import bold_gendata, gendata_cli

    summaries = gendata_cli.generated_or_exit(
        bold_gendata.generate_bold, args, splits=args.splits,
        num_frames=args.num_frames, frame_range=args.frame_range)
    for summary in summaries.values():
        print(bold_gendata.format_bold_summary(summary))


if __name__ == '__main__':
    main()
