"""Per-epoch training curves from mmengine's JSON scalar logs.

mmengine writes ``<work_dir>/<timestamp>/vis_data/scalars.json`` (and the
same lines to ``<timestamp>.json``), one JSON object per line. Training
lines hold ``epoch``, ``iter``, ``lr`` and ``loss`` (smoothed over the
logger's window); validation lines hold ``acc/top1``, ``acc/top5``,
``acc/mean_loss`` and ``step``, which is the epoch in epoch-based runs.

Per epoch: ``loss`` is the mean of the training losses logged in that
epoch, ``lr`` the last logged learning rate of the epoch, ``top1``,
``top5`` and ``val_loss`` the validation results after it. The runs of a
work dir are read in timestamp order; a later run (e.g. a resume) replaces
the epochs it logged again.
"""
import json
import os
import os.path as osp
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Dict, List

# curve name -> key in the validation lines
VAL_KEYS = {
    'top1': 'acc/top1',
    'top5': 'acc/top5',
    'val_loss': 'acc/mean_loss',
}
CURVES = ('loss', 'lr', 'top1', 'top5', 'val_loss')

Series = Dict[int, float]  # epoch -> value


@dataclass
class RunCurves:
    """The per-epoch curves of one work dir (or log file).

    Attributes:
        name (str): Label of the run in plots.
        sources (list[str]): Log files read, in order.
        curves (dict): Curve name (see ``CURVES``) -> epoch -> value.
    """

    name: str
    sources: List[str] = field(default_factory=list)
    curves: Dict[str, Series] = field(default_factory=dict)


def _log_of_run(run_dir: str) -> str:
    """``vis_data/scalars.json`` of a timestamped run, else ``<ts>.json``;
    '' when the run logged no scalars (e.g. a test run)."""
    vis_data = osp.join(run_dir, 'vis_data')
    for name in ('scalars.json', f'{osp.basename(run_dir)}.json'):
        if osp.isfile(osp.join(vis_data, name)):
            return osp.join(vis_data, name)
    return ''


def find_scalar_logs(path: str) -> List[str]:
    """The JSON scalar logs of a log file, a run folder or a work dir.

    Raises:
        FileNotFoundError: ``path`` does not exist or holds no logs.
    """
    if osp.isfile(path):
        return [path]
    if not osp.isdir(path):
        raise FileNotFoundError(f'{path!r}: no such work dir or log file')
    own = _log_of_run(path)
    if own:
        return [own]
    logs = [
        _log_of_run(osp.join(path, name)) for name in sorted(os.listdir(path))
        if osp.isdir(osp.join(path, name))
    ]
    logs = [log for log in logs if log]
    if not logs:
        raise FileNotFoundError(
            f'{path!r}: no JSON scalar log found (expected '
            '<work_dir>/<timestamp>/vis_data/scalars.json)')
    return logs


def read_scalar_log(path: str) -> List[dict]:
    """The JSON objects of a log, one a line; blank lines are skipped."""
    entries = []
    with open(path, encoding='utf-8') as file:
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(
                    f'{path}, line {number}: not a JSON object '
                    f'({error.msg})') from None
            if not isinstance(entry, dict):
                raise ValueError(
                    f'{path}, line {number}: expected a JSON object, got '
                    f'{type(entry).__name__}')
            entries.append(entry)
    return entries


def epoch_curves(entries: List[dict]) -> Dict[str, Series]:
    """Per-epoch curves of one log's lines (see the module docstring)."""
    losses: Dict[int, List[float]] = defaultdict(list)
    curves: Dict[str, Series] = {name: {} for name in CURVES}
    for entry in entries:
        if 'epoch' in entry:  # a training line
            epoch = int(entry['epoch'])
            if 'loss' in entry:
                losses[epoch].append(float(entry['loss']))
            if 'lr' in entry:
                curves['lr'][epoch] = float(entry['lr'])
        elif 'step' in entry:
            for name, key in VAL_KEYS.items():
                if key in entry:
                    curves[name][int(entry['step'])] = float(entry[key])
    curves['loss'] = {
        epoch: sum(values) / len(values)
        for epoch, values in losses.items()
    }
    return {name: dict(sorted(series.items()))
            for name, series in curves.items()}


def load_run(path: str, name: str = '') -> RunCurves:
    """Curves of a work dir, a run folder or one log file."""
    run = RunCurves(name or osp.basename(osp.normpath(path)))
    run.curves = {curve: {} for curve in CURVES}
    for log in find_scalar_logs(path):
        run.sources.append(log)
        for curve, series in epoch_curves(read_scalar_log(log)).items():
            run.curves[curve].update(series)  # later runs win
    run.curves = {curve: dict(sorted(series.items()))
                  for curve, series in run.curves.items()}
    return run
