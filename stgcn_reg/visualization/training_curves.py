"""Plot per-epoch training curves of one or more runs (matplotlib, Agg).

The figure has three panels (loss, learning rate, accuracy); each run has
one colour. What is plotted is also written as JSON and CSV next to the
PNG, so the numbers can be checked or re-plotted elsewhere.
"""
import csv
import os.path as osp
from typing import Any, Dict, List, Sequence

from stgcn_reg.utils import atomic_path, write_json_atomic

from .training_logs import RunCurves

# panel title -> (curve, line style, legend suffix)
PANELS = (
    ('loss', (('loss', '-', 'train'), ('val_loss', '--', 'val'))),
    ('learning rate', (('lr', '-', ''), )),
    ('accuracy (%)', (('top1', '-', 'top-1'), ('top5', '--', 'top-5'))),
)


def curves_table(runs: Sequence[RunCurves]) -> List[Dict[str, Any]]:
    """One row per plotted point: run, curve, epoch, value."""
    return [
        dict(run=run.name, curve=curve, epoch=epoch, value=value)
        for run in runs for curve, series in run.curves.items()
        for epoch, value in series.items()
    ]


def write_curve_data(runs: Sequence[RunCurves], json_path: str,
                     csv_path: str) -> None:
    """Write the plotted series as JSON (per run) and CSV (per point)."""
    payload = {
        run.name: dict(
            sources=run.sources,
            curves={
                curve: dict(epochs=list(series), values=list(series.values()))
                for curve, series in run.curves.items()
            }) for run in runs
    }
    write_json_atomic(payload, json_path, indent=1)
    with atomic_path(csv_path) as temp, open(temp, 'w', newline='') as file:
        writer = csv.DictWriter(file, ['run', 'curve', 'epoch', 'value'])
        writer.writeheader()
        writer.writerows(curves_table(runs))


def plot_training_curves(runs: Sequence[RunCurves], out_file: str,
                         title: str = '') -> List[str]:
    """Plot ``runs`` to ``out_file`` (PNG) and write ``.json``/``.csv``
    with the same stem; return the three paths."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    if not runs:
        raise ValueError('plot_training_curves needs at least one run')
    figure = Figure(figsize=(15, 4.2), layout='constrained')
    FigureCanvasAgg(figure)
    axes = figure.subplots(1, len(PANELS))
    colours = [f'C{i % 10}' for i in range(len(runs))]
    for ax, (panel, lines) in zip(axes, PANELS):
        for run, colour in zip(runs, colours):
            for curve, style, suffix in lines:
                series = run.curves.get(curve, {})
                if not series:
                    continue
                label = f'{run.name} {suffix}'.strip()
                ax.plot(list(series), list(series.values()), style,
                        color=colour, marker='.', label=label)
        ax.set_title(panel)
        ax.set_xlabel('epoch')
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        if ax.lines:
            ax.legend(fontsize='small')
    if title:
        figure.suptitle(title)
    stem = osp.splitext(out_file)[0]
    with atomic_path(out_file) as temp:
        figure.savefig(temp, format='png', dpi=100)
    paths = [out_file, f'{stem}.json', f'{stem}.csv']
    write_curve_data(runs, paths[1], paths[2])
    return paths
