"""The errors of checkpoints that do not fit their model, and their lists."""
from typing import List

# lines of one list in a mismatch message; the rest are counted
_LIST_LIMIT = 20


class CheckpointMismatchError(ValueError):
    """A checkpoint's tensors do not fit the model they are meant for."""


class OriginalCheckpointMismatchError(CheckpointMismatchError):
    """An original ST-GCN state dict does not fit the target model."""


class MMActionCheckpointMismatchError(CheckpointMismatchError):
    """An MMAction2/PYSKL ST-GCN state dict does not fit the target."""


def key_listing(title: str, lines: List[str]) -> List[str]:
    """Indented report lines under ``title``, the list cut at 20 items."""
    if not lines:
        return []
    shown = [f'    {line}' for line in lines[:_LIST_LIMIT]]
    if len(lines) > _LIST_LIMIT:
        shown.append(f'    ... and {len(lines) - _LIST_LIMIT} more')
    return [f'  {title} ({len(lines)}):', *shown]
