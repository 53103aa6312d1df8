"""Turn an MMAction2 skeleton config into a Python config of this package.

MMAction2's ST-GCN / ST-GCN++ configs (``RecognizerGCN`` with ``STGCN``
and ``GCNHead``, ``PoseDataset``, ``default_scope='mmaction'``) are loaded
with mmengine, which follows their ``_base_`` chain, and mapped onto ours
(see :mod:`.mmaction_model`, :mod:`.mmaction_data`,
:mod:`.mmaction_runtime`). The result inherits the base configs in
``configs/_base_`` and states only what differs from them; what is not
converted exactly is listed in its header. A config needing MMAction2
parts we do not have fails with :class:`MissingMMActionParts`, naming
them.

How the written ``_base_`` paths name ``configs/_base_`` (mmengine
resolves them relative to the written file): relative when the file lies
inside this checkout's ``configs/`` (it moves with the repository),
absolute anywhere else, and absolute when the text has no file yet (e.g.
stdout); see :func:`~.yaml_migration.base_dir_for`.
"""
import copy
import os
import os.path as osp
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from mmengine.config import Config

from stgcn_reg.compat.config_text import (
    SAME,
    Name,
    config_header,
    format_statement,
    same,
)
from stgcn_reg.compat.mmaction_data import LOADERS, convert_data
from stgcn_reg.compat.mmaction_model import convert_model
from stgcn_reg.compat.mmaction_parts import (
    UNSET,
    Conversion,
    MissingMMActionParts,
)
from stgcn_reg.compat.mmaction_runtime import convert_runtime
from stgcn_reg.compat.yaml_migration import default_base_dir

__all__ = ['ConvertedMMAction', 'MissingMMActionParts', 'convert_mmaction',
           'convert_mmaction_config', 'is_mmaction_config',
           'prepare_mmaction_config']

# statements in this order
ORDER = ('model', 'train_dataloader', 'val_dataloader', 'test_dataloader',
         'val_evaluator', 'test_evaluator', 'optim_wrapper',
         'param_scheduler', 'train_cfg', 'val_cfg', 'test_cfg',
         'auto_scale_lr', 'default_hooks', 'custom_hooks', 'visualizer',
         'log_processor', 'env_cfg', 'randomness', 'sync_bn', 'log_level',
         'work_dir', 'load_from', 'resume', 'launcher', 'experiment_name')
DATA_BASE = 'datasets/pyskl_ntu60_xsub_u100.py'
OTHER_BASES = ('schedules/sgd_cosine_16e.py', 'default_runtime.py')


class ConvertedMMAction(NamedTuple):
    """An MMAction2 config converted and written for a tool to run."""
    config_path: str
    work_dir: str
    report: List[str]

    def message(self, path: str) -> str:
        """The note a tool prints: where the conversion is, what is not
        exact."""
        lines = [f'Note: converted the MMAction2 config {path} to '
                 f'{self.config_path}']
        return '\n'.join(lines + [f'  - {line}' for line in self.report])


def load_mmaction(path: str) -> Dict[str, Any]:
    """The MMAction2 config at ``path`` as a dict, ``_base_`` followed."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: MMAction2 config not found')
    try:
        cfg = Config.fromfile(path, import_custom_modules=False)
    except (SyntaxError, ValueError, TypeError, KeyError, OSError,
            ImportError) as error:
        first = str(error).splitlines()[0] if str(error) else ''
        raise ValueError(f'{path}: cannot load it as an mmengine config '
                         f'({type(error).__name__}: {first})') from error
    return cfg.to_dict()


def is_mmaction_config(path: str) -> bool:
    """Whether a tool's config argument is an MMAction2 config (its
    ``default_scope`` is ``'mmaction'``, as MMAction2's default_runtime
    sets it)."""
    if not path.endswith('.py') or not osp.isfile(path):
        return False
    try:
        return Config.fromfile(path, import_custom_modules=False).get(
            'default_scope') == 'mmaction'
    except Exception:  # noqa: BLE001 - the tool's loader reports it
        return False


def override(want: Any, base: Any) -> Any:
    """What a child config states so that mmengine's merge onto ``base``
    gives ``want``; :data:`SAME` when nothing.

    Dicts merge key by key, unless ``base`` holds keys ``want`` lacks or
    is no dict: then ``want`` is stated whole, with ``_delete_=True``.
    Lists and values replace ``base``.
    """
    if isinstance(want, dict) and base is not UNSET:
        if not isinstance(base, dict) or set(base) - set(want):
            return dict(_delete_=True, **want)
        out = {key: override(value, base.get(key, UNSET))
               for key, value in want.items()}
        return {k: v for k, v in out.items() if v is not SAME} or SAME
    if base is not UNSET and same(want, base):
        return SAME
    return want


def name_pipeline(statement: Any, name: str) -> Optional[list]:
    """Put ``Name(name)`` for the pipeline of the one feeder inside a
    dataloader statement; return that pipeline (None if it has none)."""
    node = statement.get('dataset') if isinstance(statement, dict) else None
    while isinstance(node, dict) and 'pipeline' not in node:
        node = node.get('dataset')
    if not isinstance(node, dict) or not isinstance(node['pipeline'], list):
        return None
    pipeline, node['pipeline'] = node['pipeline'], Name(name)
    return pipeline


def choose_bases(want: Dict[str, Any]) -> List[str]:
    """Our base configs closest to the converted one (under ``_base_``)."""
    backbone = want.get('model', {}).get('backbone', {})
    model = ('models/stgcnpp.py' if backbone.get('type') == 'STGCNPP'
             else 'models/stgcn.py')
    return [model, DATA_BASE, *OTHER_BASES]


def convert_mmaction(path: str) -> Tuple[Dict[str, Any], List[str]]:
    """Our full config values of the MMAction2 config ``path`` and the
    notes; raises :class:`MissingMMActionParts` for parts we lack."""
    src = load_mmaction(path)
    conv = Conversion(path)
    if 'model' not in src:
        raise conv.error('model', 'a model (an MMAction2 config)', None)
    base_dir = default_base_dir()
    base = Config.fromfile(osp.join(base_dir, 'default_runtime.py'))
    want: Dict[str, Any] = {}
    want['model'] = convert_model(conv, src['model'])
    want.update(convert_data(conv, src, want['model']))
    want.update(convert_runtime(conv, src, base.to_dict()))
    conv.check()
    return want, conv.notes


def render(path: str, want: Dict[str, Any], notes: List[str],
           prefix: str) -> str:
    """Config text inheriting our bases (named under ``prefix``) and
    stating only what differs from them."""
    bases = choose_bases(want)
    base = Config.fromstring('_base_ = %r\n' % [
        osp.join(default_base_dir(), name) for name in bases], '.py')
    lines = config_header(f'{path} (MMAction2 config)', notes,
                          [f'{prefix}/{b}' for b in bases])
    for key in (k for k in ORDER if k in want):
        statement = override(want[key], base.get(key, UNSET))
        if statement is SAME:
            continue
        statement = copy.deepcopy(statement)
        if key in LOADERS:
            name = key.replace('dataloader', 'pipeline')
            pipeline = name_pipeline(statement, name)
            if pipeline is not None:
                lines.append(format_statement(name, pipeline))
        lines.append(format_statement(key, statement))
    return '\n'.join(lines) + '\n'


def check_render(path: str, want: Dict[str, Any], text: str) -> None:
    """Reload text with absolute bases; every key must be ``want``'s."""
    cfg = Config.fromstring(text, '.py')
    for key, value in want.items():
        if not same(cfg.get(key), value):
            raise RuntimeError(f'{path}: the conversion of {key} does not '
                               f'reload as converted: {cfg.get(key)!r} != '
                               f'{value!r}')


def convert_mmaction_config(path: str, base_dir: Optional[str] = None
                            ) -> Tuple[str, List[str]]:
    """Convert an MMAction2 config into Python config text.

    Args:
        path (str): The MMAction2 config (its ``_base_`` chain followed).
        base_dir (str, optional): How the written ``_base_`` list names
            ``configs/_base_``: relative to where the text will be saved
            (see :func:`~.yaml_migration.base_dir_for`), or absolute.
            Defaults to this checkout's absolute folder.

    Returns:
        tuple[str, list[str]]: The config text (its header repeats the
        notes as comments) and the notes: one line per value not
        converted exactly.

    Raises:
        MissingMMActionParts: The config needs parts we do not have.
        ValueError: The file is no MMAction2 config we can read.
    """
    text, notes, _ = _convert(path, base_dir)
    return text, notes


def _convert(path: str, base_dir: Optional[str]
             ) -> Tuple[str, List[str], Dict[str, Any]]:
    """Text, notes and values; the text is checked to reload as converted."""
    want, notes = convert_mmaction(path)
    absolute = render(path, want, notes, default_base_dir())
    check_render(path, want, absolute)
    prefix = (base_dir or default_base_dir()).rstrip('/')
    text = absolute if prefix == default_base_dir() else render(
        path, want, notes, prefix)
    return text, notes, want


def prepare_mmaction_config(path: str, work_dir: Optional[str] = None
                            ) -> ConvertedMMAction:
    """Convert ``path`` and save it as ``<work_dir>/from_mmaction/<name>``.

    ``<name>`` is the MMAction2 file's name: the Runner then saves the
    resolved config as ``<work_dir>/<name>``, where MMAction2 saves it.
    ``work_dir`` wins over the config's own; without either it is
    ``work_dirs/<stem>``, as MMAction2's tools choose it. The ``_base_``
    paths are absolute (a work dir lies anywhere).
    """
    text, notes, want = _convert(path, None)
    stem = osp.splitext(osp.basename(path))[0]
    work_dir = work_dir or want.get('work_dir') or osp.join('work_dirs',
                                                           stem)
    config_path = osp.join(work_dir, 'from_mmaction', osp.basename(path))
    os.makedirs(osp.dirname(config_path), exist_ok=True)
    # every rank of a distributed run writes the same text: write + rename
    temp = f'{config_path}.{os.getpid()}.tmp'
    with open(temp, 'w', encoding='utf-8') as file:
        file.write(text)
    os.replace(temp, config_path)
    return ConvertedMMAction(config_path, work_dir, notes)
