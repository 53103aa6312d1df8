"""Convert an ST-GCN ``.npy`` + label pickle pair into one HDF5 file.

The output is what :class:`~stgcn_reg.datasets.H5SkeletonDataset` reads:
``data`` float32 ``(N, C, T, V, M)`` chunked per sample, ``label`` int64
``(N,)`` and ``sample_name`` ``(N,)`` UTF-8 strings.
"""

from typing import Optional, Tuple

import h5py
import numpy as np

from stgcn_reg.utils import atomic_path

from ..storage.h5_store import DATA_KEY, LABEL_KEY, NAME_KEY
from ..storage.npy_store import (
    check_label_count,
    load_label_pair,
    open_skeleton_array,
)

COMPRESSIONS = (None, 'gzip', 'lzf')


def convert_npy_to_h5(
    data_path: str,
    label_path: str,
    out_path: str,
    compression: Optional[str] = None,
    chunk_samples: int = 256,
) -> Tuple[int, ...]:
    """Copy ``data_path`` + ``label_path`` into the HDF5 file ``out_path``.

    The array is read memory-mapped and copied ``chunk_samples`` samples
    at a time, so memory stays flat for a many-GB input. The file is
    written beside ``out_path`` and renamed over it at the end; an
    interrupted run leaves no half file.

    Args:
        data_path (str): ``.npy`` array ``(N, C, T, V, M)``.
        label_path (str): Pickle of ``(sample_names, labels)``.
        out_path (str): The HDF5 file to write.
        compression (str, optional): ``None`` (fastest to read),
            ``'gzip'`` (smallest) or ``'lzf'`` (fast, h5py only). With
            compression, the byte-shuffle filter is on too, which makes
            float data compress better. Defaults to None.
        chunk_samples (int): Samples copied per step. Defaults to 256.

    Returns:
        tuple: Shape ``(N, C, T, V, M)`` of the written ``data``.

    Examples:
        >>> convert_npy_to_h5('train_data.npy', 'train_label.pkl',
        ...                   'train.h5', compression='gzip')
        (40091, 3, 300, 25, 2)
    """
    _check_options(compression, chunk_samples)
    data = open_skeleton_array(data_path, mmap=True)
    names, labels = load_label_pair(label_path)
    check_label_count(label_path, len(labels), data_path, data.shape[0])
    with atomic_path(out_path) as temp:
        with h5py.File(temp, 'w') as file:
            _copy_data(data, file, compression, chunk_samples)
            file.create_dataset(LABEL_KEY,
                                data=np.asarray(labels, np.int64))
            file.create_dataset(
                NAME_KEY,
                data=np.array([str(name) for name in names], dtype=object),
                dtype=h5py.string_dtype('utf-8'),
            )
    return tuple(data.shape)


def _check_options(compression: Optional[str], chunk_samples: int) -> None:
    """Raise ``ValueError`` for an unknown compression or chunk size."""
    if compression not in COMPRESSIONS:
        raise ValueError(
            f'compression must be one of {COMPRESSIONS}, got {compression!r}'
        )
    if isinstance(chunk_samples, bool) or not isinstance(chunk_samples, int):
        raise ValueError(
            f'chunk_samples must be a positive int, got {chunk_samples!r}'
        )
    if chunk_samples < 1:
        raise ValueError(
            f'chunk_samples must be a positive int, got {chunk_samples}'
        )


def _copy_data(data: np.ndarray, file: h5py.File,
               compression: Optional[str], chunk_samples: int) -> None:
    """Write ``data`` as float32, chunked per sample, ``chunk_samples`` at
    a time."""
    sample_shape = tuple(data.shape[1:])
    out = file.create_dataset(
        DATA_KEY,
        shape=data.shape,
        # resizable, so that an empty array can still be chunked
        maxshape=(None, *sample_shape),
        chunks=(1, *sample_shape),
        dtype=np.float32,
        compression=compression,
        shuffle=compression is not None,
    )
    num_samples = data.shape[0]
    for start in range(0, num_samples, chunk_samples):
        stop = min(start + chunk_samples, num_samples)
        out[start:stop] = np.asarray(data[start:stop], np.float32)
