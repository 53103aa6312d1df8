"""Recognizers: backbone + head wrapped as mmengine models."""
from .base_recognizer import BaseSkeletonRecognizer
from .data_sample import SampleBatch, SkeletonSample
from .emotion_recognizer import EmotionRecognizer
from .skeleton_recognizer import SkeletonRecognizer
from .two_stream_recognizer import TwoStreamRecognizer, motion_input

__all__ = [
    'BaseSkeletonRecognizer', 'EmotionRecognizer', 'SampleBatch',
    'SkeletonRecognizer', 'SkeletonSample', 'TwoStreamRecognizer',
    'motion_input'
]
