"""Convert the Kinetics-skeleton release into .npy + label pickles.

Reads ``kinetics_{split}/*.json`` and ``kinetics_{split}_label.json`` under
``--data-path`` and writes ``{split}_data.npy`` (N, 3, 300, 18, 2),
``{split}_label.pkl`` and ``{split}_gendata_summary.json`` (every skipped
video with its reason) to ``--out-folder``.

Examples:
    python tools/kinetics_gendata.py \
        --data-path data/Kinetics/kinetics-skeleton \
        --out-folder data/Kinetics/kinetics-skeleton
    # OpenPose demo output numbers frames from 0
    python tools/kinetics_gendata.py --data-path my_videos \
        --out-folder my_data --splits val --frame-index-base 0
"""

import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

DEFAULT_FOLDER = 'data/Kinetics/kinetics-skeleton'


def parse_args() -> argparse.Namespace:
    """Command line of the converter."""
    from stgcn_reg.datasets.converters import gendata_cli
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    gendata_cli.add_data_path(
        parser,
        'folder holding kinetics_{split}/ and kinetics_{split}_label.json',
        DEFAULT_FOLDER,
    )
    gendata_cli.add_out_folder(parser, DEFAULT_FOLDER)
    parser.add_argument(
        '--splits',
        nargs='+',
        default=['train', 'val'],
        help='splits to convert (default: train val)',
    )
    gendata_cli.add_workers(parser)
    parser.add_argument(
        '--frame-index-base',
        type=int,
        choices=[0, 1],
        default=1,
        help='number of the first frame: 1 in the official release, 0 in '
        'the OpenPose demo output (default: 1)',
    )
    gendata_cli.add_run_options(parser)
    return parser.parse_args()


def check_paths(args: argparse.Namespace) -> None:
    """Exit before any work when an output would replace an input."""
    from stgcn_reg.datasets.converters.gendata_cli import split_outputs
    from stgcn_reg.utils import exit_if_overwriting_inputs
    from stgcn_reg.utils.output_guard import files_in

    inputs = {}
    for split in args.splits:
        label = f'kinetics_{split}_label.json'
        inputs[label] = osp.join(args.data_path, label)
        inputs.update(
            files_in(
                osp.join(args.data_path, f'kinetics_{split}'),
                ('.json',),
                f'kinetics_{split}',
            )
        )
    exit_if_overwriting_inputs(
        split_outputs(args.out_folder, args.splits), inputs)


def main() -> None:
    """Convert the splits, then print their summaries."""
    args = parse_args()
    check_paths(args)
    from stgcn_reg.datasets.converters import gendata_cli, kinetics_summary
    from stgcn_reg.datasets.converters.kinetics_gendata import (
        generate_kinetics,
    )
    from stgcn_reg.datasets.readers import SkeletonFormatError

    summaries = gendata_cli.generated_or_exit(
        generate_kinetics,
        args,
        errors=(FileNotFoundError, SkeletonFormatError),
        splits=args.splits,
        frame_index_base=args.frame_index_base,
    )
    for summary in summaries.values():
        print(kinetics_summary.format_kinetics_summary(summary))


if __name__ == '__main__':
    main()
