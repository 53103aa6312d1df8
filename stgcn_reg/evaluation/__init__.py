"""Evaluation (registry location of METRICS)."""
from .metrics import Accuracy, DumpScores

__all__ = ['Accuracy', 'DumpScores']
