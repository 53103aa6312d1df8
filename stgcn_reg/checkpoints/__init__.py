"""Checkpoint files: safe loading, the formats we read and write, released
models.

A format is one module of :mod:`.formats` (``ours``, ``original_stgcn``,
``mmaction``; helpers beside it) with the same top-level interface:
``NAME``, ``detect(loaded file) -> bool``, ``describe(state_dict)`` and
``to_ours(state_dict, model, skip_mismatched_head=False)`` (our keys,
every tensor checked), and where the format has them ``save_as_ours``
(convert and write a checkpoint), ``from_ours`` (export) and
``model_config_from_weights(state_dict, layout)``. Each module is one
row (:class:`~.formats.CheckpointFormat`) of :data:`~.formats.FORMATS`;
:func:`~.formats.detect_format` is the one place that tells formats
apart, and ``--load-from`` (:mod:`.load_from`), :mod:`stgcn_reg.apis`
and every tool go through it. A file that does not fit its model raises
:class:`~.errors.CheckpointMismatchError` (a subclass per foreign
format); models are built by :func:`~.model_builder.build_model_from_config`.

To add a format: write ``formats/<name>.py`` with that interface, its
``to_ours`` mapping keys onto the model with
:func:`~.tensor_matching.match_tensors` and raising a new subclass of
``CheckpointMismatchError`` from :mod:`.errors`; put the module in
:data:`~.formats.FORMATS` before ``ours`` (the catch-all), and its tests
in ``tests/test_checkpoints/test_formats/``.
"""
from stgcn_reg.checkpoints.errors import (
    CheckpointMismatchError,
    MMActionCheckpointMismatchError,
    OriginalCheckpointMismatchError,
)
from stgcn_reg.checkpoints.formats import (
    FORMATS,
    MMACTION,
    ORIGINAL_STGCN,
    OURS,
    CheckpointFormat,
    detect_format,
    read_state_dict,
)
from stgcn_reg.checkpoints.formats.mmaction import (
    convert_mmaction_state_dict,
    infer_stgcn_model_cfg,
    is_mmaction_stgcn_state_dict,
    to_mmaction_state_dict,
)
from stgcn_reg.checkpoints.formats.mmaction_graphs import (
    matching_layouts,
    mmaction_graph_cfg,
)
from stgcn_reg.checkpoints.formats.mmaction_keys import mmaction_keys_for
from stgcn_reg.checkpoints.formats.original_stgcn import (
    convert_original_state_dict,
    is_original_stgcn_state_dict,
    original_key_for,
)
from stgcn_reg.checkpoints.model_builder import build_model_from_config
from stgcn_reg.checkpoints.safe_loading import (
    UnsafeCheckpointError,
    allow_mmengine_checkpoints,
    install_safe_checkpoint_loader,
    load_checkpoint_file,
)
from stgcn_reg.checkpoints.state_dicts import strip_module_prefix

__all__ = [
    'FORMATS', 'MMACTION', 'ORIGINAL_STGCN', 'OURS',
    'CheckpointFormat', 'CheckpointMismatchError',
    'MMActionCheckpointMismatchError', 'OriginalCheckpointMismatchError',
    'UnsafeCheckpointError', 'allow_mmengine_checkpoints',
    'build_model_from_config', 'convert_mmaction_state_dict',
    'convert_original_state_dict', 'detect_format', 'infer_stgcn_model_cfg',
    'install_safe_checkpoint_loader', 'is_mmaction_stgcn_state_dict',
    'is_original_stgcn_state_dict', 'load_checkpoint_file',
    'matching_layouts', 'mmaction_graph_cfg', 'mmaction_keys_for',
    'original_key_for', 'read_state_dict', 'strip_module_prefix',
    'to_mmaction_state_dict'
]
