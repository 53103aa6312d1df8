"""Command line of ``tools/benchmark.py``: one subcommand per benchmark,
each with its options (run by :mod:`.cli_commands`)."""

import argparse
import os
import os.path as osp
from typing import List, Optional

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
# the real NTU samples beside the project (see ../shared/README.md)
SHARED_NTU = osp.join(osp.dirname(REPO_ROOT), 'shared', 'data', 'ntu')
# tiny sizes of --quick: seconds, for tests
QUICK = dict(copies=2, workers=2, feeder_samples=64)


def parse_args(description: str,
               argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Command line: one subcommand per benchmark."""
    parser = argparse.ArgumentParser(description=description)
    commands = parser.add_subparsers(dest='command', required=True)
    add_data_parser(commands)
    add_model_parser(commands)
    add_augment_parser(commands)
    add_pose_parser(commands)
    add_goals_parser(commands)
    return parser.parse_args(argv)


def add_data_parser(commands: argparse._SubParsersAction) -> None:
    """Options of ``benchmark.py data``."""
    data = commands.add_parser(
        'data',
        help='ntu_gendata files/s and feeder samples/s, with peak memory',
    )
    data.add_argument(
        '--copies',
        type=int,
        default=200,
        help='copies of each NTU sample file; gendata runs on this many '
        'and on 4x as many (default: 200)',
    )
    data.add_argument(
        '--workers',
        type=int,
        default=len(os.sched_getaffinity(0))
        if hasattr(os, 'sched_getaffinity')
        else os.cpu_count(),
        help='gendata reader processes (default: all usable CPUs)',
    )
    data.add_argument(
        '--feeder-samples',
        type=int,
        default=512,
        help='samples of the Kinetics-shaped feeder data (default: 512)',
    )
    data.add_argument(
        '--ntu-dir',
        default=SHARED_NTU,
        help='raw .skeleton files to copy; synthetic ones when missing '
        '(default: ../shared/data/ntu)',
    )
    data.add_argument(
        '--tmp-dir', help='scratch folder (default: the system temp)'
    )
    data.add_argument(
        '--out',
        default=osp.join('work_dirs', 'benchmark', 'data.json'),
        help='JSON results file (default: work_dirs/benchmark/data.json)',
    )
    data.add_argument(
        '--quick',
        action='store_true',
        help=f'tiny sizes for tests: {QUICK}',
    )


def add_model_parser(commands: argparse._SubParsersAction) -> None:
    """Options of ``benchmark.py model``."""
    from benchmarks.model_variants import PRESETS, VARIANTS
    model = commands.add_parser(
        'model', help='train/inference samples/s, MFU and peak memory of '
        'ST-GCN variants (ours, plain, MMAction2), interleaved')
    model.add_argument('--preset', default='ntu', choices=sorted(PRESETS),
                       help='model and input shape (default: ntu)')
    model.add_argument('--variants', default='ours,plain,mmaction2',
                       help=f'comma list of {",".join(VARIANTS)} '
                       '(default: ours,plain,mmaction2)')
    model.add_argument('--batch', type=int,
                       help='batch size N (default: the preset\'s)')
    model.add_argument('--frames', type=int,
                       help='frames T (default: the preset\'s)')
    model.add_argument('--repeats', type=int, default=5,
                       help='timed repeats per variant (default: 5)')
    model.add_argument('--warmup', type=int, default=1,
                       help='untimed steps first (default: 1)')
    model.add_argument('--threads', type=int,
                       help='torch threads (default: torch\'s, all cores)')
    model.add_argument('--clock', default='wall', choices=['wall', 'cpu'],
                       help='wall: elapsed time; cpu: process CPU time, '
                       'steadier on a shared machine with --threads 1')
    model.add_argument('--amp', default='none',
                       choices=['none', 'auto', 'bf16', 'fp16'],
                       help='autocast dtype for every variant; auto: as '
                       'train.py --amp picks it (default: none, fp32)')
    model.add_argument('--device', default='cpu', choices=['cpu', 'cuda'])
    model.add_argument('--inference-only', action='store_true',
                       help='time inference only (no training steps, no '
                       'memory runs); the onnxruntime variants always are')
    model.add_argument('--no-memory', action='store_true',
                       help='skip the peak-memory runs')
    model.add_argument('--no-flops-check', action='store_true',
                       help='skip the torch.utils.flop_counter cross-check')
    model.add_argument('--out', help='JSON results; a .md report is '
                       'written beside it (default: '
                       'work_dirs/benchmark/model_<preset>.json)')


def add_augment_parser(commands: argparse._SubParsersAction) -> None:
    """Options of ``benchmark.py augment``."""
    augment = commands.add_parser(
        'augment', help='RandomChoose + RandomMove: vectorised vs a '
        'per-frame loop, alone and in the npy feeder (one process)')
    augment.add_argument('--samples', type=int, default=256,
                         help='Kinetics-shaped samples (default: 256)')
    augment.add_argument('--repeats', type=int, default=5,
                         help='timed passes over the samples (default: 5)')
    augment.add_argument('--tmp-dir', help='scratch folder for the feeder '
                         'data (default: the system temp)')
    augment.add_argument('--out', default=osp.join(
        'work_dirs', 'benchmark', 'augment.json'),
        help='JSON results; a .md report is written beside it')


def add_pose_parser(commands: argparse._SubParsersAction) -> None:
    """Options of ``benchmark.py pose``."""
    pose = commands.add_parser(
        'pose', help='MediaPipePose extraction (one and two people) and the '
        'live video demo loop, on a real clip')
    pose.add_argument('--video', default=osp.join(
        osp.dirname(REPO_ROOT), 'shared', 'data', 'video',
        'clean_and_jerk.mp4'))
    pose.add_argument('--config', default=osp.join(
        REPO_ROOT, 'configs', 'stgcn_kinetics.py'),
        help='model of the live demo (default: the Kinetics ST-GCN)')
    pose.add_argument('--repeats', type=int, default=3)
    pose.add_argument('--out', default=osp.join(
        'work_dirs', 'benchmark', 'pose.json'),
        help='JSON results; a .md report is written beside it')


def add_goals_parser(commands: argparse._SubParsersAction) -> None:
    """Options of ``benchmark.py goals``."""
    from benchmarks.goals_benchmark import RUN_NAMES
    goals = commands.add_parser(
        'goals', help='every CPU speed goal (fp32 and bf16 at the NTU '
        'shape, Kinetics and demo shapes, inference paths at batch 1 and '
        '8): one model run each, one table')
    goals.add_argument('--runs', default=','.join(RUN_NAMES),
                       help=f'comma list of {",".join(RUN_NAMES)} '
                       '(default: all)')
    goals.add_argument('--quick', action='store_true',
                       help='tiny sizes, for testing the command')
    goals.add_argument('--out', help='the table (.md); each run\'s JSON '
                       'and report beside it (default: '
                       'benchmarks/goals_<cpu>.md)')
