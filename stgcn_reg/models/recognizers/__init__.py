"""Recognizers: backbone + head wrapped as mmengine models."""
from .skeleton_recognizer import SkeletonRecognizer

__all__ = ['SkeletonRecognizer']
