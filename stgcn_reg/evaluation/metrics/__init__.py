"""Evaluation metrics."""
from .accuracy import Accuracy
from .dump_scores import DumpScores
from .emotion import (
    EmotionCategoryMetric,
    EmotionDimensionMetric,
    EmotionMetric,
)

__all__ = [
    'Accuracy', 'DumpScores', 'EmotionCategoryMetric',
    'EmotionDimensionMetric', 'EmotionMetric'
]
