"""The subcommands of ``tools/benchmark.py`` (options: :mod:`.cli_args`):
run a benchmark, print its report and write its results."""

import argparse
import json
import os.path as osp
import sys
from typing import Optional

from .cli_args import QUICK
from .data_report import format_data_table


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
        flops_check=not args.no_flops_check, train=not args.inference_only)
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


def run_data(args: argparse.Namespace) -> None:
    """``benchmark.py data``."""
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


def run_goals(args: argparse.Namespace) -> None:
    """``benchmark.py goals``."""
    from benchmarks.goals_benchmark import (
        RUN_NAMES,
        earlier_runs,
        format_goals_report,
        machine_slug,
        run_goals,
    )
    names = [name.strip() for name in args.runs.split(',') if name.strip()]
    unknown = sorted(set(names) - set(RUN_NAMES))
    if unknown or not names:
        sys.exit(f'error: --runs: unknown run(s) {", ".join(unknown)}; '
                 f'runs are {", ".join(RUN_NAMES)}')
    out = args.out or osp.join('benchmarks', f'goals_{machine_slug()}.md')
    if not out.endswith('.md'):
        sys.exit(f'error: --out {out!r}: expected a .md file')
    results_json = osp.splitext(out)[0] + '.json'
    check_out(results_json, report=True)  # the table and its JSON
    left_out = sorted(set(earlier_runs(results_json)) - set(names))
    if left_out:  # a rerun never replaces a table with a smaller one
        sys.exit(f'error: {out} holds the runs {", ".join(left_out)} that '
                 '--runs leaves out; run them too, or give another --out')
    results = run_goals(out, names, quick=args.quick)
    report = format_goals_report(results)
    print()
    print(report)
    write_results(results, results_json, report)


# subcommand -> its function
COMMANDS = dict(data=run_data, model=run_model, augment=run_augment,
                pose=run_pose, goals=run_goals)
