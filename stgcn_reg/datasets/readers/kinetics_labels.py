"""Reader of the Kinetics-skeleton label files (``kinetics_*_label.json``)."""
from typing import Any, Dict

from .errors import SkeletonFormatError
from .json_file import load_json


def load_label_index(label_json: str) -> Dict[str, Dict[str, Any]]:
    """Read a Kinetics label file: video id -> label entry.

    Args:
        label_json (str): e.g. ``kinetics_val_label.json``, mapping each
            video id (file name without ``.json``) to ``{"has_skeleton":
            bool, "label": str, "label_index": int}``.

    Returns:
        dict: The entries, each checked to have a boolean
        ``has_skeleton`` and an integer ``label_index``.

    Raises:
        SkeletonFormatError: Invalid JSON or a malformed entry.
    """
    content = load_json(label_json)
    if not isinstance(content, dict):
        raise SkeletonFormatError(
            label_json,
            'expected an object mapping video ids to label '
            f'entries, got {type(content).__name__}',
        )
    for video_id, entry in content.items():
        index = entry.get('label_index') if isinstance(entry, dict) else None
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get('has_skeleton'), bool)
            or isinstance(index, bool)
            or not isinstance(index, int)
        ):
            raise SkeletonFormatError(
                label_json,
                f'entry {video_id!r} should hold a boolean '
                f'"has_skeleton" and an integer "label_index", got {entry!r}',
            )
    return content
