"""Every checkpoint mismatch is one kind of error."""
from stgcn_reg.checkpoints import (
    CheckpointMismatchError,
    MMActionCheckpointMismatchError,
    OriginalCheckpointMismatchError,
)
from stgcn_reg.checkpoints.errors import key_listing
from stgcn_reg.engine.hooks import CheckpointMismatchError as HookError


def test_the_errors_share_one_base():
    assert HookError is CheckpointMismatchError
    assert issubclass(CheckpointMismatchError, ValueError)
    for error in (OriginalCheckpointMismatchError,
                  MMActionCheckpointMismatchError):
        assert issubclass(error, CheckpointMismatchError)


def test_long_key_lists_are_cut():
    assert key_listing('missing', []) == []
    lines = key_listing('missing', [f'k{i}' for i in range(23)])
    assert lines[0] == '  missing (23):'
    assert lines[1] == '    k0'
    assert lines[-1] == '    ... and 3 more'
    assert len(lines) == 22
