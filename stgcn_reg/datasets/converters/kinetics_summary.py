"""The text report of one split converted by :func:`generate_kinetics`."""
from typing import Any, Dict, List

# names printed per kind of skip; the summary JSON lists all of them
_MAX_PRINTED = 10


def _some(names: List[str]) -> str:
    shown = ', '.join(names[:_MAX_PRINTED])
    more = len(names) - _MAX_PRINTED
    return shown + (f' and {more} more' if more > 0 else '')


def format_kinetics_summary(summary: Dict[str, Any]) -> str:
    """Multi-line text of one split's summary from :func:`.generate_kinetics`.

    Label-file skips are grouped by reason; files that could not be read
    are listed with their own reasons (the first few; all are in the
    summary JSON).
    """
    lines = [
        f'{summary["split"]}: {summary["written"]} of '
        f'{summary["json_files"]} videos written to {summary["data_path"]} '
        f'and {summary["label_path"]}'
    ]
    by_reason: Dict[str, List[str]] = {}
    unreadable = []
    for skip in summary['skipped']:
        if skip['stage'] == 'read':
            unreadable.append(skip['reason'])
        else:
            by_reason.setdefault(skip['reason'], []).append(skip['name'])
    for reason, names in by_reason.items():
        lines.append(f'  skipped {len(names)} ({reason}): {_some(names)}')
    if unreadable:
        lines.append(
            f'  skipped {len(unreadable)} unreadable or without skeleton:'
        )
        lines += [f'    {reason}' for reason in unreadable[:_MAX_PRINTED]]
        if len(unreadable) > _MAX_PRINTED:
            lines.append(f'    ... and {len(unreadable) - _MAX_PRINTED} more')
    dropped = summary['dropped_frames']
    if dropped:
        limit = summary['settings']['max_frames']
        lines.append(
            f'  frames past the {limit}-frame limit dropped in '
            f'{len(dropped)} videos (check --frame-index-base): '
            + _some([f'{name} ({n})' for name, n in dropped.items()])
        )
    missing = summary['labels_without_file']
    if missing:
        lines.append(
            f'  {len(missing)} label entries have no JSON file: '
            f'{_some(missing)}'
        )
    lines.append(f'  details: {summary["summary_path"]}')
    return '\n'.join(lines)
