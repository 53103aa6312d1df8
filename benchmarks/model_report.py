"""The model benchmark's results as a Markdown report."""
from typing import Any, Dict, List, Optional


def _flags(env: Dict[str, Any]) -> str:
    flags = env['cpu_flags']
    return ', '.join(f'{name} {"yes" if present else "no"}'
                     for name, present in flags.items())


def _rate(phase: Optional[Dict[str, Any]]) -> str:
    if phase is None:
        return '-'
    return (f'{phase["samples_per_s"]:.2f} ({phase["min"]:.2f}-'
            f'{phase["max"]:.2f})')


def _mfu(phase: Optional[Dict[str, Any]]) -> str:
    return '-' if phase is None else f'{100 * phase["mfu"]:.1f}%'


def _onnx_lines(ratios: Dict[str, float]) -> List[str]:
    """Inference ratios of the ONNX Runtime variants, one line each."""
    words = dict(
        onnxruntime_vs_mmaction2='onnxruntime / mmaction2 (eager)',
        onnxruntime_vs_ours='onnxruntime / ours (eager)',
        onnxruntime_dynamic_vs_static='onnxruntime (N, T, M free) / '
        'onnxruntime_static (fixed shape)',
        onnxruntime_layered_vs_fused='onnxruntime (layered route) / '
        'onnxruntime_fused (channels-last route)',
        int8_vs_mmaction2='onnxruntime_int8 / mmaction2 (eager fp32)',
        int8_vs_float32='onnxruntime_int8 / onnxruntime (float32)')
    return [f'- inference: {words[key]} = {value:.2f}x'
            for key, value in ratios.items()]


def peak_share(goal: Dict[str, Any]) -> str:
    """', needs N% of the matmul peak (M% now)' for a goal not met whose
    result says so, else nothing."""
    if goal.get('met') is not False or 'mfu_needed' not in goal:
        return ''
    return (f', needs {100 * goal["mfu_needed"]:.0f}% of the measured '
            f'matmul peak ({100 * goal["mfu"]:.0f}% now)')


def _goal_lines(goals: Dict[str, Any]) -> List[str]:
    lines = []
    for phase in ('train', 'infer'):
        goal = goals.get(f'{phase}_speedup_vs_best_peer')
        if goal:
            met = {True: 'met', False: 'NOT met', None: 'not a goal '
                   'under amp'}[goal['met']]
            lines.append(
                f'- {phase}: ours / best peer ({goal["best_peer"]}) = '
                f'{goal["ratio"]:.2f}x (goal >= {goal["goal"]}x): {met}'
                + peak_share(goal))
    lines += _onnx_lines(goals.get('onnxruntime_infer', {}))
    path = goals.get('infer_path_vs_mmaction2')
    if path:
        lines.append(
            f'- fastest tools/infer.py path ({path["path"]}) / mmaction2 '
            f'(eager fp32) = {path["ratio"]:.2f}x (goal >= '
            f'{path["goal"]}x): {"met" if path["met"] else "NOT met"}'
            + peak_share(path))
    cp = goals.get('with_cp')
    if cp:
        text = f'- with_cp: {100 * cp["extra_time"]:+.0f}% training time'
        if 'memory_saved' in cp:
            verdict = {True: 'met', False: 'NOT met',
                       None: 'the goal is set at the NTU shape'}[cp['met']]
            text += (f', {100 * cp["memory_saved"]:.0f}% less peak memory '
                     f'(goal >= 40% less at <= 30% more time): {verdict}')
        lines.append(text)
    return lines


def format_model_report(results: Dict[str, Any]) -> str:
    """Environment, settings, one row per variant, FLOPs and the goals."""
    env, settings = results['environment'], results['settings']
    flops = results['flops']
    peak = results['matmul_peak_flops'][results['peak_dtype']]
    lines = [
        f'## ST-GCN `{settings["preset"]}` preset, input '
        f'{tuple(results["input_shape"])} (N, C, T, V, M)',
        '',
        f'- machine: {env["cpu_model"]}'
        + (f' ({env["cpu_generation"]})' if env.get('cpu_generation')
           else '') + f', {env["usable_cpus"]} usable of '
        f'{env["cpu_count"]} CPUs; {_flags(env)}'
        + (f'; GPU {env["cuda_device"]}' if env.get('cuda_device') else ''),
        f'- torch {env["torch"]}, {env["torch_threads"]} threads, device '
        f'{env["device"]}, MMAction2 {env["mmaction2"] or "not installed"}; '
        f'{env["date"]}',
        f'- {settings["repeats"]} interleaved repeats after '
        f'{settings["warmup"]} warm-up, {settings["clock"]} clock; '
        f'precision {settings["amp"] or "fp32"}; '
        + ('SGD step' if settings.get('train', True) else 'inference only'),
        f'- matmul peak ({results["peak_dtype"]}, measured in this run): '
        f'{peak / 1e9:.1f} GFLOP/s; forward '
        f'{flops["forward_per_sample"] / 1e9:.2f} GFLOP per sample, '
        'training step 3x that',
        '',
        '| variant | params | train samples/s (min-max) | train MFU | '
        'inference samples/s (min-max) | inference MFU | '
        'peak train memory MiB |',
        '|---|---:|---:|---:|---:|---:|---:|',
    ]
    for name, entry in results['variants'].items():
        memory = entry.get('memory', {}).get('peak_train_mb')
        lines.append(
            f'| {name} | {entry["params"]:,} | {_rate(entry["train"])} | '
            f'{_mfu(entry["train"])} | {_rate(entry["infer"])} | '
            f'{_mfu(entry["infer"])} | '
            f'{"-" if memory is None else f"{memory:.0f}"} |')
    for name, reason in results['skipped'].items():
        lines.append(f'| {name} | skipped: {reason} | | | | | |')
    counted = flops.get('flop_counter_per_sample')
    if counted:
        lines += ['', 'FLOPs per sample by `torch.utils.flop_counter` '
                  '(forward): ' + ', '.join(
                      f'{name} {value / 1e9:.2f} G'
                      for name, value in counted.items())
                  + f'; counted from the layers: '
                  f'{flops["forward_per_sample"] / 1e9:.2f} G']
    goal_lines = _goal_lines(results['goals'])
    if goal_lines:
        lines += ['', 'Goals:'] + goal_lines
    return '\n'.join(lines) + '\n'
