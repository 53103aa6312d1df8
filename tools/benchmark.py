"""Benchmark the package; results go to a JSON file and a table.

Examples:
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
    return parser.parse_args()


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
    from stgcn_reg.benchmarks import run_data_benchmark
    from stgcn_reg.utils import atomic_path

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
