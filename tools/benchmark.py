"""Benchmark the package; results go to a JSON file and a table.

Examples:
    python tools/benchmark.py model --preset ntu \
        --variants ours,plain,mmaction2 --out benchmarks/model_ntu.json
    python tools/benchmark.py model --preset demo --threads 1 --clock cpu
    python tools/benchmark.py augment --out benchmarks/augment.json
    python tools/benchmark.py data
    python tools/benchmark.py data --copies 200 --feeder-samples 512 \
        --out benchmarks/data_benchmark_results.json
    python tools/benchmark.py data --quick --out /tmp/data.json
"""

import argparse
import json
import os
import os.path as osp
import sys
from typing import Optional

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, REPO_ROOT)

# the real NTU samples beside the project (see ../shared/README.md)
SHARED_NTU = osp.join(osp.dirname(REPO_ROOT), 'shared', 'data', 'ntu')
# tiny sizes of --quick: seconds, for tests
QUICK = dict(copies=2, workers=2, feeder_samples=64)


def parse_args() -> argparse.Namespace:
    """Command line: one subcommand per benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest='command', required=True)
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
    add_model_parser(commands)
    add_augment_parser(commands)
    add_pose_parser(commands)
    return parser.parse_args()


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


def run_pose(args: argparse.Namespace) -> None:
    """``benchmark.py pose``: time, print and write the report."""
    check_out(args.out, True, {'--video': args.video,
                               '--config': args.config})
    from benchmarks.pose_benchmark import (
        format_pose_report,
        run_pose_benchmark,
    )
    from stgcn_reg.pose import PoseBackendMissing, VideoReadError
    try:
        results = run_pose_benchmark(args.video, args.config, args.repeats)
    except (PoseBackendMissing, VideoReadError) as error:
        sys.exit(f'error: {error}')
    report = format_pose_report(results)
    print(report)
    write_results(results, args.out, report)


def check_out(out: str, report: bool, inputs: Optional[dict] = None) -> None:
    """Exit before any work when ``out`` (or its .md report) is an input or
    both are one file."""
    from stgcn_reg.utils import exit_if_overwriting_inputs
    outputs = {'--out': out}
    if report:
        outputs['--out (report)'] = osp.splitext(out)[0] + '.md'
    exit_if_overwriting_inputs(outputs, inputs or {})


def write_results(results: dict, out: str, report: str = '') -> None:
    """``results`` as JSON at ``out`` and ``report`` as ``out``'s .md."""
    from stgcn_reg.utils import atomic_path
    with atomic_path(out) as temp:
        with open(temp, 'w') as file:
            json.dump(results, file, indent=2)
            file.write('\n')
    print(f'\nresults written to {out}')
    if report:
        markdown = osp.splitext(out)[0] + '.md'
        with atomic_path(markdown) as temp:
            with open(temp, 'w') as file:
                file.write(report)
        print(f'report written to {markdown}')


def run_model(args: argparse.Namespace) -> None:
    """``benchmark.py model``."""
    from benchmarks.model_benchmark import (
        Settings,
        run_model_benchmark,
    )
    from benchmarks.model_report import format_model_report
    from stgcn_reg.cli.amp_policy import choose_amp_dtype

    out = args.out or osp.join('work_dirs', 'benchmark',
                               f'model_{args.preset}.json')
    check_out(out, report=True)
    amp = None if args.amp == 'none' else args.amp
    if amp == 'auto':
        dtype, message = choose_amp_dtype(args.device)
        print(message)
        amp = dict(bfloat16='bf16', float16='fp16').get(dtype or '')
    for name, value in (('--batch', args.batch), ('--frames', args.frames),
                        ('--repeats', args.repeats),
                        ('--threads', args.threads)):
        if value is not None and value < 1:
            sys.exit(f'error: {name} must be >= 1, got {value}')
    settings = Settings(
        preset=args.preset, variants=tuple(
            v.strip() for v in args.variants.split(',') if v.strip()),
        batch=args.batch, frames=args.frames, repeats=args.repeats,
        warmup=args.warmup, threads=args.threads, clock=args.clock,
        amp=amp, device=args.device, memory=not args.no_memory,
        flops_check=not args.no_flops_check)
    try:
        results = run_model_benchmark(settings)
    except ValueError as error:
        sys.exit(f'error: {error}')
    report = format_model_report(results)
    print()
    print(report)
    write_results(results, out, report)


def run_augment(args: argparse.Namespace) -> None:
    """``benchmark.py augment``."""
    from benchmarks.augment_benchmark import (
        format_augment_report,
        run_augment_benchmark,
    )
    if args.samples < 1 or args.repeats < 1:
        sys.exit('error: --samples and --repeats must be >= 1')
    check_out(args.out, report=True)
    results = run_augment_benchmark(args.samples, args.repeats,
                                    tmp_dir=args.tmp_dir)
    report = format_augment_report(results)
    print(report)
    write_results(results, args.out, report)


def format_data_table(results: dict) -> str:
    """The data benchmark's results as a plain-text table."""
    env = results['environment']
    gendata = results['ntu_gendata']
    lines = [
        f'{env["cpu_model"]}, {env["usable_cpus"]} of {env["cpu_count"]} '
        f'CPUs; torch {env["torch"]}, numpy {env["numpy"]}, h5py '
        f'{env["h5py"]}; {env["date"]}',
        '',
        f'ntu_gendata (xsub, {gendata["workers"]} workers, '
        f'{gendata["sample_files"]} {gendata["source"]} files copied)',
        f'{"files":>8} {"files/s":>9} {"wall s":>8} {"cores":>6} '
        f'{"main MiB":>9} {"anon MiB":>9} {"worker MiB":>11}',
    ]
    for run in gendata['runs']:
        lines.append(
            f'{run["files"]:>8} {run["files_per_s"]:>9.1f} '
            f'{run["wall_s"]:>8.2f} {run["busy_cores"]:>6.2f} '
            f'{run["main_peak_rss_mb"]:>9.1f} '
            f'{run["main_peak_anon_mb"] or 0:>9.1f} '
            f'{run["workers_peak_rss_mb"]:>11.1f}'
        )
    settings = results['settings']
    lines += [
        '',
        f'feeders (Kinetics-shaped, {settings["feeder_samples"]} samples, '
        'RandomChoose(150) + RandomMove; DataLoader batch '
        f'{settings["batch_size"]}, {settings["loader_workers"]} workers)',
        f'{"feeder":<22} {"1 proc/s":>9} {"loader/s":>9} {"main MiB":>9} '
        f'{"anon MiB":>9} {"worker MiB":>11}',
    ]
    for name, feeder in results['feeders'].items():
        lines.append(
            f'{name:<22} {feeder["single_samples_per_s"]:>9.1f} '
            f'{feeder["loader_samples_per_s"]:>9.1f} '
            f'{feeder["main_peak_rss_mb"]:>9.1f} '
            f'{feeder["main_peak_anon_mb"] or 0:>9.1f} '
            f'{feeder["workers_peak_rss_mb"]:>11.1f}'
        )
    lines += [
        '',
        'cores: CPU seconds per second of gendata and its workers',
        'main MiB: peak RSS of the measuring process, mapped output pages '
        'included',
        'anon MiB: its peak anonymous memory (RssAnon: heap and arrays)',
        'worker MiB: the largest peak RSS of its worker processes',
    ]
    return '\n'.join(lines)


def main() -> None:
    args = parse_args()
    if args.command == 'model':
        return run_model(args)
    if args.command == 'pose':
        return run_pose(args)
    if args.command == 'augment':
        return run_augment(args)
    from benchmarks import run_data_benchmark
    from stgcn_reg.utils import atomic_path
    from stgcn_reg.utils.output_guard import files_in
    check_out(args.out, report=False,
              inputs=files_in(args.ntu_dir, ('.skeleton',), '--ntu-dir'))

    sizes = dict(
        copies=args.copies,
        workers=args.workers,
        feeder_samples=args.feeder_samples,
    )
    if args.quick:
        sizes = {key: min(sizes[key], QUICK[key]) for key in QUICK}
    if min(sizes.values()) < 1:
        sys.exit(f'error: sizes must be positive, got {sizes}')
    results = run_data_benchmark(
        sample_dir=args.ntu_dir, tmp_dir=args.tmp_dir, **sizes
    )
    print(format_data_table(results))
    with atomic_path(args.out) as temp:
        with open(temp, 'w') as file:
            json.dump(results, file, indent=2)
            file.write('\n')
    print(f'\nresults written to {args.out}')


if __name__ == '__main__':
    main()
