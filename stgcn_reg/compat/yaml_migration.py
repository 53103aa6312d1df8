"""Turn an original ST-GCN YAML config into a Python config of this package.

The original tool (``main.py recognition -c train.yaml``) read one flat YAML
file per experiment. :func:`convert_stgcn_yaml` maps it (see
:mod:`.yaml_mapping`) onto the base configs in ``configs/_base_`` and writes
only the values that differ from them, with a comment header listing what
could not be converted exactly. :func:`prepare_yaml_config` does the same
for ``tools/train.py`` and ``tools/test.py``, which accept a YAML config.
"""
import os
import os.path as osp
from typing import List, NamedTuple, Optional, Tuple

from mmengine.config import Config

from stgcn_reg.compat.config_text import (
    SAME,
    Name,
    comment_lines,
    config_header,
    diff_from_base,
    format_statement,
)
from stgcn_reg.compat.yaml_mapping import (
    choose_bases,
    clean_path,
    read_yaml,
    report_runtime,
    wanted_values,
    weights_path,
)

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
# Statements in this order; ``test_* = val_*`` follow their ``val_*``.
ORDER = ('work_dir', 'model', 'train_pipeline', 'train_dataloader',
         'val_pipeline', 'val_dataloader', 'val_evaluator', 'optim_wrapper',
         'param_scheduler', 'train_cfg', 'auto_scale_lr', 'default_hooks',
         'load_from')


class ConvertedYaml(NamedTuple):
    """A YAML config converted and written for a tool to run."""
    config_path: str
    work_dir: str
    device: Optional[str]  # 'cpu' for use_gpu: False
    phase: str
    checkpoint: Optional[str]  # the YAML's weights
    report: List[str]

    def message(self, yaml_path: str) -> str:
        """The note a tool prints: what was converted and what was not."""
        lines = [f'Note: converted from the original ST-GCN YAML '
                 f'{yaml_path} to {self.config_path}']
        return '\n'.join(lines + [f'  - {line}' for line in self.report])


def default_base_dir() -> str:
    """Absolute ``configs/_base_`` of this checkout."""
    base = osp.join(REPO_ROOT, 'configs', '_base_')
    if not osp.isdir(base):
        raise FileNotFoundError(
            f'configs/_base_ not found in {REPO_ROOT}: converting a YAML '
            'config needs the source checkout of stgcn_reg (pip install -e '
            '.), or pass base_dir')
    return base


def base_dir_for(output_path: str) -> str:
    """``_base_`` folder as a generated file at ``output_path`` names it.

    Relative inside this checkout's ``configs/`` (the file can move with the
    repository), absolute elsewhere.
    """
    base = default_base_dir()
    out_dir = osp.dirname(osp.abspath(output_path))
    configs = osp.dirname(base)
    if osp.commonpath([out_dir, configs]) == configs:
        return osp.relpath(base, out_dir)
    return base


def is_yaml_config(path: str) -> bool:
    """Whether a tool's config argument is an original YAML config."""
    return path.lower().endswith(('.yaml', '.yml'))


def _render(src: dict, path: str,
            base_dir: Optional[str]) -> Tuple[str, List[str]]:
    report: List[str] = []
    report_runtime(src, report)
    want, comments = wanted_values(src, report)
    bases = choose_bases(want)
    prefix = (base_dir or default_base_dir()).rstrip('/')
    load_dir = prefix if osp.isabs(prefix) else default_base_dir()
    base_cfg = Config.fromstring('_base_ = %r\n' % [
        osp.join(load_dir, name) for name in bases], '.py').to_dict()
    for loader in ('train', 'val'):
        pipeline = want.pop(f'{loader}_pipeline', None)
        dataset = base_cfg[f'{loader}_dataloader']['dataset']
        if pipeline is not None and diff_from_base(
                pipeline, dataset.get('pipeline')) is not SAME:
            want[f'{loader}_pipeline'] = pipeline
            want[f'{loader}_dataloader']['dataset']['pipeline'] = Name(
                f'{loader}_pipeline')
    lines = config_header(f'{path} (original ST-GCN YAML config)', report,
                          [f'{prefix}/{b}' for b in bases])
    for key in (k for k in ORDER if k in want):
        value = want[key] if key.endswith('_pipeline') else diff_from_base(
            want[key], base_cfg.get(key))
        if value is SAME:
            continue
        lines += comment_lines(comments.get(key, ''))
        lines.append(format_statement(key, value))
        if key in ('val_dataloader', 'val_evaluator'):
            lines.append(f"{key.replace('val_', 'test_')} = {key}")
    return '\n'.join(lines) + '\n', report


def convert_stgcn_yaml(path: str,
                       base_dir: Optional[str] = None
                       ) -> Tuple[str, List[str]]:
    """Convert an original ST-GCN YAML config into Python config text.

    Args:
        path (str): The YAML file (``config/st_gcn/*/train.yaml`` style).
        base_dir (str, optional): How the generated ``_base_`` list names
            ``configs/_base_``: relative to where the text will be saved
            (see :func:`base_dir_for`), or absolute. Defaults to this
            checkout's absolute folder.

    Returns:
        tuple[str, list[str]]: The config text (its header repeats the
        report as comments) and the report: one line per approximation,
        run-time hint, unsupported or unknown key.
    """
    return _render(read_yaml(path), path, base_dir)


def prepare_yaml_config(path: str,
                        work_dir: Optional[str] = None) -> ConvertedYaml:
    """Convert ``path`` and save it in ``<work_dir>/from_yaml/``.

    The file is ``<stem>_converted.py``, with the conversion notes as
    comments. It is not written into ``work_dir`` itself: the Runner saves
    the resolved config there under the same name.

    ``work_dir`` wins over the YAML's own; without either it is
    ``work_dirs/<name>``, where ``<name>`` is the file name, prefixed with
    its folder for the original ``<dataset>/train.yaml`` naming.
    """
    src = read_yaml(path)
    text, report = _render(src, path, None)
    stem = osp.splitext(osp.basename(path))[0]
    folder = osp.basename(osp.dirname(osp.abspath(path)))
    name = f'{folder}_{stem}' if stem in ('train', 'test') else stem
    work_dir = work_dir or clean_path(src.get('work_dir')) or osp.join(
        'work_dirs', name)
    config_path = osp.join(work_dir, 'from_yaml', f'{stem}_converted.py')
    os.makedirs(osp.dirname(config_path), exist_ok=True)
    # every rank of a distributed run writes the same text: write + rename
    temp = f'{config_path}.{os.getpid()}.tmp'
    with open(temp, 'w', encoding='utf-8') as file:
        file.write(text)
    os.replace(temp, config_path)
    device = None if src.get('use_gpu', True) else 'cpu'
    return ConvertedYaml(config_path, work_dir, device, str(src['phase']),
                         weights_path(src), report)
