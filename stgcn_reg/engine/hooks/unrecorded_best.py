"""Find a best checkpoint that a killed run wrote but did not record.

The checkpoint hook writes a new best file, then saves the epoch
checkpoint again so its message hub names that file and score, then
removes the previous best. A kill between the first two steps leaves a
complete best file that the resumed checkpoint does not know; without
this, the resumed run would keep the older, worse score and later save a
worse epoch as "best".
"""
import os
import os.path as osp
from typing import Any, Optional, Tuple

from stgcn_reg.checkpoints.safe_loading import load_checkpoint_file


def _runtime_keys(key: Optional[str]) -> Tuple[str, str]:
    """mmengine's message-hub keys of one key indicator's best."""
    if key is None:
        return 'best_score', 'best_ckpt'
    return f'best_score_{key}', f'best_ckpt_{key}'


def _stored_score(path: str, score_key: str) -> Optional[float]:
    """The best score recorded in the checkpoint at ``path``."""
    try:
        checkpoint = load_checkpoint_file(path, map_location='cpu')
    except (OSError, ValueError):
        return None  # not a readable checkpoint: leave it alone
    hub = checkpoint.get('message_hub') or {}
    return (hub.get('runtime_info') or {}).get(score_key)


def adopt_unrecorded_best(hook: Any, runner: Any) -> None:
    """Take a better, unrecorded best file as the best; drop the older."""
    if 'auto' in hook.key_indicators:
        return  # the rule is only known after the first validation
    hub = runner.message_hub
    for indicator in hook.key_indicators:
        key = None if len(hook.key_indicators) == 1 else indicator
        score_key, path_key = _runtime_keys(key)
        recorded = hub.runtime_info.get(path_key)
        best_score = hub.runtime_info.get(score_key)
        better = hook.is_better_than[indicator]
        prefix = f'best_{indicator}_'.replace('/', '_')
        found = None
        for name in sorted(os.listdir(hook.out_dir)):
            path = osp.join(hook.out_dir, name)
            if (not name.startswith(prefix) or not name.endswith('.pth')
                    or (recorded and osp.abspath(path) == osp.abspath(
                        recorded))):
                continue
            score = _stored_score(path, score_key)
            if score is not None and (best_score is None
                                      or better(score, best_score)):
                found, best_score = path, score
        if found is None:
            continue
        hub.update_info(score_key, best_score)
        hub.update_info(path_key, found)
        hook.set_best_paths({key: found})
        runner.logger.info(
            f'Found best checkpoint {found} ({indicator} {best_score:.4f}) '
            'written by an interrupted run; it stays the best')
        if recorded and osp.isfile(recorded):
            os.remove(recorded)
