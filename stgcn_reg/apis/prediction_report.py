"""Predictions as a printed table and as JSON-ready data."""
from typing import Any, Dict, List, Optional, Sequence

from .inference import ClipPrediction, class_name


def prediction_record(prediction: ClipPrediction,
                      names: Optional[Sequence[str]] = None,
                      topk: int = 5) -> Dict[str, Any]:
    """One clip: name, file, true label, top-k classes and all scores
    (class names are None without ``names``)."""
    clip = prediction.clip

    def named(index: Optional[int]) -> Optional[str]:
        return class_name(index, names) if names else None

    record = dict(
        name=clip.name,
        file=clip.path,
        label=clip.label,
        label_name=named(clip.label),
        top=[
            dict(index=index, name=named(index), score=score)
            for index, score in prediction.top(topk)
        ],
        scores=[float(score) for score in prediction.scores])
    if clip.note:
        record['note'] = clip.note  # e.g. the frames of a video left out
    return record


def format_table(predictions: Sequence[ClipPrediction],
                 names: Optional[Sequence[str]] = None,
                 topk: int = 5) -> str:
    """Fixed-width table: clip, true class, ranked predictions."""
    def describe(index: int) -> str:
        return f'{index} {class_name(index, names)}' if names else str(index)

    rows: List[List[str]] = [['clip', 'true', 'rank', 'class', 'score']]
    for prediction in predictions:
        label = prediction.clip.label
        true = '-' if label is None else describe(label)
        for rank, (index, score) in enumerate(prediction.top(topk), 1):
            first = rank == 1
            rows.append([
                prediction.clip.name if first else '', true if first else '',
                str(rank), describe(index), f'{score:.4f}'
            ])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return '\n'.join(
        '  '.join(cell.ljust(width)
                  for cell, width in zip(row, widths)).rstrip()
        for row in rows)
