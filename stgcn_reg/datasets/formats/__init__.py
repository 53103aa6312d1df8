"""Readers of raw skeleton formats and the parallel converter they share."""
from .conversion import (
                         ConversionSummary,
                         SampleToConvert,
                         SkeletonFormatError,
                         convert_samples,
)

__all__ = [
    'ConversionSummary', 'SampleToConvert', 'SkeletonFormatError',
    'convert_samples'
]
