"""Every CPU speed goal of the performance issue, measured in one command.

``tools/benchmark.py goals`` runs ``tools/benchmark.py model`` once per
shape the goals name (each in a fresh interpreter, so that one run's
allocator, threads and route cache warm-up cannot help the next), reads
the goals each result holds and writes one table: the goal, the ratio
measured, met or not. Made for a CPU kind the results do not cover yet:
one command, then commit ``benchmarks/goals_<cpu>.md`` and its parts.
"""
import json
import os.path as osp
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence

from stgcn_reg.cli.amp_policy import has_fast_bf16
from stgcn_reg.utils.cpu_info import cpu_description, cpu_generation, cpu_model

from .model_report import peak_share

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
PEERS = 'ours,plain,mmaction2'
INFER_PATHS = 'ours,ours_amp,onnxruntime,onnxruntime_int8,mmaction2'


@dataclass(frozen=True)
class GoalRun:
    """One ``benchmark.py model`` run and the goals read from it."""

    name: str
    preset: str
    batch: Optional[int]
    amp: str
    variants: str
    goals: Sequence[str]
    inference_only: bool = False


RUNS = (
    GoalRun('ntu_fp32', 'ntu', 4, 'none', PEERS,
            ('train_speedup_vs_best_peer', 'infer_speedup_vs_best_peer')),
    GoalRun('ntu_bf16', 'ntu', 4, 'bf16', PEERS,
            ('train_speedup_vs_best_peer', 'infer_speedup_vs_best_peer')),
    GoalRun('kinetics_fp32', 'kinetics', None, 'none', PEERS,
            ('train_speedup_vs_best_peer', 'infer_speedup_vs_best_peer')),
    GoalRun('demo_fp32', 'demo', None, 'none', PEERS,
            ('train_speedup_vs_best_peer', 'infer_speedup_vs_best_peer')),
    GoalRun('ntu_infer_batch1', 'ntu', 1, 'none', INFER_PATHS,
            ('infer_path_vs_mmaction2', ), inference_only=True),
    GoalRun('ntu_infer_batch8', 'ntu', 8, 'none', INFER_PATHS,
            ('infer_path_vs_mmaction2', ), inference_only=True),
)
RUN_NAMES = tuple(run.name for run in RUNS)
# tiny sizes of --quick (tests): the machinery, not the numbers
QUICK_SIZES = ('--frames', '8', '--repeats', '1', '--warmup', '1')


def machine_slug() -> str:
    """The CPU's name and generation as a file name part."""
    slug = re.sub(r'[^a-z0-9]+', '_', cpu_description().lower())
    return slug.strip('_') or 'unknown_cpu'


def earlier_runs(results_json: str) -> List[str]:
    """The runs a goals table written earlier at ``results_json`` holds
    (none when there is no such file or it is not one)."""
    try:
        with open(results_json) as file:
            return list(json.load(file).get('runs', {}))
    except (OSError, ValueError, AttributeError):
        return []


def model_command(run: GoalRun, out: str, quick: bool) -> List[str]:
    """The ``tools/benchmark.py model`` command line of ``run``."""
    command = [sys.executable, osp.join(REPO_ROOT, 'tools', 'benchmark.py'),
               'model', '--preset', run.preset, '--amp', run.amp,
               '--variants', run.variants, '--no-memory',
               '--no-flops-check', '--out', out]
    batch = 2 if quick and run.batch != 1 else run.batch
    if batch is not None:
        command += ['--batch', str(batch)]
    if run.inference_only:
        command.append('--inference-only')
    return command + list(QUICK_SIZES if quick else ())


def run_goals(out_md: str, names: Sequence[str] = RUN_NAMES,
              quick: bool = False,
              log: Callable[[str], None] = print) -> Dict[str, Any]:
    """Run ``names`` of :data:`RUNS`, their JSON and .md beside ``out_md``
    (``<stem>_<run>.json``); the goals of each, with why a run was left
    out or failed."""
    stem = osp.splitext(out_md)[0]
    results: Dict[str, Any] = dict(
        cpu_model=cpu_model(), cpu_generation=cpu_generation(),
        fast_bf16=has_fast_bf16(), quick=quick, environment=None, runs={})
    start = time.perf_counter()
    for run in (r for r in RUNS if r.name in names):
        if run.amp == 'bf16' and not results['fast_bf16']:
            results['runs'][run.name] = dict(
                skipped='no bf16 in hardware (--amp stays fp32 here)')
            continue
        out = f'{stem}_{run.name}.json'
        command = model_command(run, out, quick)
        log(f'[{run.name}] {" ".join(command[1:])}')
        done = subprocess.run(command, cwd=REPO_ROOT, text=True,
                              stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
        if done.returncode != 0:
            tail = done.stdout.strip().splitlines()[-1:] or ['no output']
            results['runs'][run.name] = dict(
                failed=f'exit {done.returncode}: {tail[0]}')
            log(f'[{run.name}] failed: {tail[0]}')
            continue
        with open(out) as file:
            measured = json.load(file)
        results['environment'] = results['environment'] or measured[
            'environment']
        results['runs'][run.name] = dict(
            json=osp.basename(out), input_shape=measured['input_shape'],
            repeats=measured['settings']['repeats'],
            goals={key: measured['goals'].get(key) for key in run.goals},
            skipped_variants=measured.get('skipped', {}))
    results['wall_s'] = round(time.perf_counter() - start, 1)
    return results


GOAL_WORDS = dict(
    train_speedup_vs_best_peer='training step over the best of plain and '
    'MMAction2',
    infer_speedup_vs_best_peer='inference over the best of plain and '
    'MMAction2',
    infer_path_vs_mmaction2="fastest tools/infer.py path over MMAction2's "
    'eager fp32 inference')


def _goal_cells(goal: Optional[Dict[str, Any]]) -> List[str]:
    """The measured and status cells of one goal entry."""
    if goal is None:
        return ['not measured', 'not measured']
    against = goal.get('best_peer') or goal.get('path')
    measured = f'{goal["ratio"]:.3f}x ({against}){peak_share(goal)}'
    if goal.get('met') is None:
        return [measured, 'no goal for this run']
    return [measured, 'met' if goal['met'] else '**NOT met**']


def format_goals_report(results: Dict[str, Any]) -> str:
    """The goals table in markdown, with the machine and any left-out run."""
    generation = results['cpu_generation']
    lines = [f'# Speed goals on {results["cpu_model"]}'
             + (f' ({generation})' if generation else ''), '',
             'Written by `python tools/benchmark.py goals`: one '
             '`tools/benchmark.py model` run per row group, each in a fresh '
             'process, its variants interleaved; the JSON and report of '
             'each run are beside this file. bf16 in hardware: '
             f'{"yes" if results["fast_bf16"] else "no"}; '
             f'{results["wall_s"]:.0f} s in all.']
    env = results['environment']
    if env:
        lines += ['', f'- {env["usable_cpus"]} usable of {env["cpu_count"]} '
                  f'CPUs, torch {env["torch"]} with {env["torch_threads"]} '
                  f'threads, MMAction2 {env["mmaction2"] or "not installed"};'
                  f' {env["date"]}']
    if results['quick']:
        lines += ['', '**--quick: tiny sizes, not numbers for the goals.**']
    lines += ['', '| run | input (N, C, T, V, M), repeats | goal | measured '
              '| status |', '|---|---|---|---|---|']
    met = total = 0
    for name, run in results['runs'].items():
        if 'goals' not in run:
            why = run.get('skipped') or run.get('failed')
            lines.append(f'| {name} | | | | not run: {why} |')
            continue
        for key, goal in run['goals'].items():
            cells = _goal_cells(goal)
            wanted = f'{GOAL_WORDS[key]} >= {goal["goal"]}x' if goal else key
            if goal and goal.get('met') is not None:
                total += 1
                met += bool(goal['met'])
            lines.append(f'| {name} | {tuple(run["input_shape"])}, '
                         f'{run["repeats"]} | {wanted} | {cells[0]} | '
                         f'{cells[1]} |')
    lines += ['', f'{met} of {total} goals met.']
    skipped = {f'{name}: {variant}': why
               for name, run in results['runs'].items()
               for variant, why in run.get('skipped_variants', {}).items()}
    if skipped:
        lines += ['', 'Variants left out:', '']
        lines += [f'- {what}: {why}' for what, why in skipped.items()]
    return '\n'.join(lines) + '\n'
