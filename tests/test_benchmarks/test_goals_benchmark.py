"""tools/benchmark.py goals: its runs, its table, a real quick run. No
timing thresholds: only that every goal was read from a measurement."""
import json

from tool_runner import run_tool, tool

from benchmarks import goals_benchmark
from benchmarks.goals_benchmark import (
    RUNS,
    format_goals_report,
    machine_slug,
    model_command,
    run_goals,
)


def test_every_goal_of_the_issue_has_a_run():
    by_name = {run.name: run for run in RUNS}
    assert by_name['ntu_fp32'].batch == 4 and by_name['ntu_bf16'].amp == \
        'bf16'
    assert {run.preset for run in RUNS} == {'ntu', 'kinetics', 'demo'}
    assert [run.batch for run in RUNS if run.inference_only] == [1, 8]
    command = model_command(by_name['ntu_infer_batch1'], 'x.json', False)
    assert command[command.index('--batch') + 1] == '1'
    assert '--inference-only' in command and '--frames' not in command
    for variant in ('onnxruntime_int8', 'ours_amp', 'mmaction2'):
        assert variant in command[command.index('--variants') + 1]
    assert machine_slug() == machine_slug().lower() and ' ' not in \
        machine_slug()


def test_report_counts_met_goals_and_names_left_out_runs():
    goal = dict(best_peer='plain', ratio=1.62, goal=1.5, met=True)
    results = dict(cpu_model='Test CPU', cpu_generation='family 6 model 85',
                   fast_bf16=False, quick=False, wall_s=61.0,
                   environment=dict(usable_cpus=2, cpu_count=2, torch='2.x',
                                    torch_threads=2, mmaction2='1.2.0',
                                    date='2026-12-02'),
                   runs=dict(
                       ntu_fp32=dict(input_shape=[4, 3, 300, 25, 2],
                                     repeats=5, goals=dict(
                                         train_speedup_vs_best_peer=goal,
                                         infer_speedup_vs_best_peer=dict(
                                             goal, ratio=1.1, met=False,
                                             mfu=0.9, mfu_needed=1.07)),
                                     skipped_variants=dict(
                                         mmaction2='not installed')),
                       ntu_bf16=dict(skipped='no bf16 in hardware'),
                       demo_fp32=dict(failed='exit 1: error: boom')))
    report = format_goals_report(results)
    assert report.startswith('# Speed goals on Test CPU (family 6 model 85)')
    assert '| 1.620x (plain) | met |' in report
    assert ('| 1.100x (plain), needs 107% of the measured matmul peak (90%'
            ' now) | **NOT met** |') in report
    assert 'bf16 in hardware: no; 61 s in all.' in report
    assert 'torch 2.x with 2 threads, MMAction2 1.2.0' in report
    assert '1 of 2 goals met.' in report
    assert 'not run: no bf16 in hardware' in report
    assert 'not run: exit 1: error: boom' in report
    assert '- ntu_fp32: mmaction2: not installed' in report


def test_a_quick_run_reads_its_goals(tmp_path, monkeypatch):
    # a CPU without bf16 leaves the bf16 run out; the demo shape runs
    monkeypatch.setattr(goals_benchmark, 'has_fast_bf16', lambda: False)
    out = str(tmp_path / 'goals.md')
    logged = []
    results = run_goals(out, ('demo_fp32', 'ntu_bf16'), quick=True,
                        log=logged.append)
    assert results['runs']['ntu_bf16'] == dict(
        skipped='no bf16 in hardware (--amp stays fp32 here)')
    demo = results['runs']['demo_fp32']
    assert demo['input_shape'] == [2, 3, 8, 25, 2] and demo['repeats'] == 1
    for key, goal in demo['goals'].items():
        assert goal['goal'] == 1.0 and goal['ratio'] > 0, key
        assert goal['best_peer'] in ('plain', 'mmaction2'), key
    written = json.loads((tmp_path / 'goals_demo_fp32.json').read_text())
    assert written['settings']['preset'] == 'demo'
    assert len(logged) == 1 and '--preset demo' in logged[0]
    assert results['environment']['cpu_model'] == results['cpu_model']
    assert results['wall_s'] > 0
    assert '**--quick: tiny sizes' in format_goals_report(results)


def test_tool_refuses_unknown_runs_and_other_outputs(tmp_path):
    bad = run_tool(tool('benchmark.py'), 'goals', '--runs', 'ntu_fp32,fast',
                   cwd=str(tmp_path), expect_rc=1)
    assert 'error: --runs: unknown run(s) fast; runs are ntu_fp32' in bad
    bad = run_tool(tool('benchmark.py'), 'goals', '--out', 'g.json',
                   cwd=str(tmp_path), expect_rc=1)
    assert "error: --out 'g.json': expected a .md file" in bad
    assert list(tmp_path.iterdir()) == []
    # a table with more runs is not replaced by a smaller one
    table = tmp_path / 'g.json'
    table.write_text(json.dumps(dict(runs=dict(ntu_fp32={}, demo_fp32={}))))
    bad = run_tool(tool('benchmark.py'), 'goals', '--runs', 'ntu_fp32',
                   '--out', 'g.md', cwd=str(tmp_path), expect_rc=1)
    assert ('error: g.md holds the runs demo_fp32 that --runs leaves out'
            in bad)
    assert sorted(p.name for p in tmp_path.iterdir()) == ['g.json']
