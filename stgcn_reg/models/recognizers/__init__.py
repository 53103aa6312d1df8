"""Recognizers: backbone + head wrapped as mmengine models."""
from .skeleton_recognizer import SkeletonRecognizer
from .two_stream_recognizer import TwoStreamRecognizer, motion_input

__all__ = ['SkeletonRecognizer', 'TwoStreamRecognizer', 'motion_input']
