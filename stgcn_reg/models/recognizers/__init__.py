"""Recognizers: backbone + head wrapped as mmengine models."""
from .emotion_recognizer import EmotionRecognizer
from .skeleton_recognizer import SkeletonRecognizer
from .two_stream_recognizer import TwoStreamRecognizer, motion_input

__all__ = [
    'EmotionRecognizer', 'SkeletonRecognizer', 'TwoStreamRecognizer',
    'motion_input'
]
