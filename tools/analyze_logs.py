"""Plot loss, learning rate and top-1/top-5 per epoch of training runs.

Reads the JSON scalar logs mmengine writes
(``<work_dir>/<timestamp>/vis_data/scalars.json``) of one or more work
dirs (or run folders, or log files) and draws one colour per run, so runs
can be compared. The plotted numbers are also written as ``.json`` and
``.csv`` next to the PNG.

Examples:
    python tools/analyze_logs.py work_dirs/stgcn_demo --out curves.png
    python tools/analyze_logs.py work_dirs/joint work_dirs/bone \
        --names joint bone --out compare.png
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args() -> argparse.Namespace:
    """Command line of the log plotter."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('runs', nargs='+', metavar='WORK_DIR',
                        help='work dirs, run folders or JSON log files')
    parser.add_argument('--names', nargs='+',
                        help='legend name per run (default: folder names)')
    parser.add_argument('--out', default='training_curves.png',
                        help='PNG to write (default: training_curves.png)')
    parser.add_argument('--title', default='', help='figure title')
    return parser.parse_args()


def summary(run) -> str:
    """One line: epochs, last loss, best top-1."""
    loss, top1 = run.curves['loss'], run.curves['top1']
    parts = [f'{run.name}: {len(loss)} epochs']
    if loss:
        last = max(loss)
        parts.append(f'loss {loss[last]:.4f} at epoch {last}')
    if top1:
        best = max(top1, key=top1.get)
        parts.append(f'best top-1 {top1[best]:.2f} at epoch {best}')
    return ', '.join(parts)


def main() -> None:
    """Read the logs, plot, say where the files went."""
    args = parse_args()
    if args.names and len(args.names) != len(args.runs):
        sys.exit(f'error: {len(args.names)} --names for {len(args.runs)} '
                 'runs')
    from stgcn_reg.utils import exit_if_overwriting_inputs
    from stgcn_reg.visualization import load_run, plot_training_curves
    names = args.names or [''] * len(args.runs)
    try:
        runs = [load_run(path, name) for path, name in zip(args.runs, names)]
    except (FileNotFoundError, ValueError) as error:
        sys.exit(f'error: {error}')
    stem = osp.splitext(args.out)[0]
    exit_if_overwriting_inputs(
        {'--out': args.out, '--out (data)': f'{stem}.json',
         '--out (table)': f'{stem}.csv'},
        {f'log #{i}': log for i, log in enumerate(
            (log for run in runs for log in run.sources), 1)})
    for run in runs:
        print(summary(run))
    paths = plot_training_curves(runs, args.out, args.title)
    print('written: ' + ', '.join(paths))


if __name__ == '__main__':
    main()
