"""Evaluation metrics."""
from .accuracy import Accuracy
from .dump_scores import DumpScores
from .emotion import (
    EmotionCategoryMetric,
    EmotionDimensionMetric,
    EmotionMetric,
)
from .topk import label_ranks, top_classes

__all__ = [
    'Accuracy', 'DumpScores', 'EmotionCategoryMetric',
    'EmotionDimensionMetric', 'EmotionMetric', 'label_ranks', 'top_classes'
]
