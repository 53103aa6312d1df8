"""Converters of whole datasets into arrays on disk (``.npy`` + pkl, HDF5).

:mod:`.conversion` runs a reader of :mod:`stgcn_reg.datasets.readers` over
many files in parallel into one memory-mapped output, and
:mod:`.gendata_outputs` puts a run's outputs in place only when that
loses nothing. Per dataset: :mod:`.ntu_gendata`, :mod:`.kinetics_gendata`,
:mod:`.bold_gendata`; per file format: :mod:`.npy_to_h5` and
:mod:`.pose_annotations_to_npy`.
"""
from .conversion import ConversionSummary, SampleToConvert, convert_samples
from .gendata_outputs import OutputRefusedError

__all__ = [
    'ConversionSummary', 'OutputRefusedError', 'SampleToConvert',
    'convert_samples'
]
