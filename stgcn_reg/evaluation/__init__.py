"""Evaluation (registry location of METRICS) and score fusion."""
from .metrics import Accuracy, DumpScores
from .score_dump import load_score_dump
from .score_fusion import fuse_scores, fusion_accuracy

__all__ = [
    'Accuracy', 'DumpScores', 'fuse_scores', 'fusion_accuracy',
    'load_score_dump'
]
