"""Prepare NTU RGB+D skeletons: raw .skeleton files to .npy + label .pkl.

Examples:
    python tools/ntu_gendata.py --data_path data/NTU-RGB-D/nturgb+d_skeletons \
        --out_folder data/NTU-RGB-D \
        --ignore_sample_path samples_with_missing_skeletons.txt
    python tools/ntu_gendata.py --data-path nturgb+d_skeletons_120 \
        --out-folder data/NTU-RGB-D-120 --benchmark xsub120 xset120
"""

import argparse
import json
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args() -> argparse.Namespace:
    """Command line of the NTU preparation tool."""
    from stgcn_reg.datasets.converters import gendata_cli
    from stgcn_reg.datasets.readers.ntu_names import NTU_BENCHMARKS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--data_path',
        '--data-path',
        required=True,
        help='folder of raw NTU .skeleton files',
    )
    parser.add_argument(
        '--out_folder',
        '--out-folder',
        required=True,
        help='output root; one sub-folder per benchmark',
    )
    parser.add_argument(
        '--ignore_sample_path',
        '--ignore-list',
        dest='ignore_list',
        metavar='FILE',
        help='sample names to leave out, one a line (e.g. '
        'samples_with_missing_skeletons.txt)',
    )
    parser.add_argument(
        '--benchmark',
        nargs='+',
        choices=tuple(NTU_BENCHMARKS),
        default=['xsub', 'xview'],
        help='splits to write (NTU-120: xsub120 xset120)',
    )
    gendata_cli.add_workers(parser)
    parser.add_argument(
        '--max-frames', type=int, default=300, help='frames per sample'
    )
    parser.add_argument(
        '--max-bodies', type=int, default=2, help='bodies per sample'
    )
    gendata_cli.add_run_options(parser, progress_help='no progress bars')
    return parser.parse_args()


def check_paths(args: argparse.Namespace) -> None:
    """Exit before any work when an output would replace an input."""
    from stgcn_reg.datasets.converters.ntu_gendata import output_files
    from stgcn_reg.utils import exit_if_overwriting_inputs
    from stgcn_reg.utils.output_guard import files_in

    outputs = output_files(args.out_folder, args.benchmark)
    exit_if_overwriting_inputs(
        {f'--out-folder ({what})': path for what, path in outputs.items()},
        {
            '--ignore-list': args.ignore_list,
            **files_in(args.data_path, ('.skeleton',), '--data-path'),
        },
    )


def main() -> None:
    """Convert the benchmarks, then print what each wrote and skipped."""
    args = parse_args()
    check_paths(args)
    from stgcn_reg.datasets.converters import gendata_cli
    from stgcn_reg.datasets.converters.ntu_gendata import generate_ntu

    summaries = gendata_cli.generated_or_exit(
        generate_ntu,
        args,
        benchmarks=args.benchmark,
        ignore_list=args.ignore_list,
        max_frames=args.max_frames,
        max_bodies=args.max_bodies,
    )
    for summary in summaries.values():
        print(summary.format())
    for benchmark in args.benchmark:
        path = osp.join(args.out_folder, benchmark, 'gendata_summary.json')
        with open(path) as file:
            report = json.load(file)
        for bad in report['bad_names']:
            print(f'  skipped {bad["name"]}: {bad["reason"]}')
        print(
            f'{benchmark}: {report["ignored"]} files ignored (listed), '
            f'{len(report["bad_names"])} with bad names, '
            f'{report["outside_benchmark"]} outside the benchmark; '
            f'details in {path}'
        )


if __name__ == '__main__':
    main()
