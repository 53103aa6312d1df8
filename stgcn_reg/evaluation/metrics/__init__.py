"""Evaluation metrics."""
from .accuracy import Accuracy
from .dump_scores import DumpScores

__all__ = ['Accuracy', 'DumpScores']
