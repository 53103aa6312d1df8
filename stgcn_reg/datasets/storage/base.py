"""The interface every store of prepared skeleton samples offers."""
from abc import ABC, abstractmethod
from typing import List, Optional, Tuple

import numpy as np

from ..feeder_checks import check_finite_sample


class SkeletonStore(ABC):
    """Samples of a prepared skeleton dataset, read one at a time.

    A store checks its file when it is built (shapes, dtypes, joint
    count, labels) and each sample as it is read (finite values), naming
    the file in every error. It can be pickled: open files are left
    behind and reopened on the next read in the new process.

    Attributes:
        path (str): The file the samples are in.
        where (str): How messages name the samples' source, e.g.
            ``"data_path 'train_data.npy'"``.
        names (list[str], optional): Sample names, None when the source
            has none (a ``.npy`` without its label file).
        labels (list[int], optional): 0-based class indices, None when
            the source has none.
    """

    path: str
    where: str
    names: Optional[List[str]]
    labels: Optional[List[int]]

    @abstractmethod
    def __len__(self) -> int:
        """Number of samples N."""

    @property
    @abstractmethod
    def sample_shape(self) -> Optional[Tuple[int, ...]]:
        """``(C, T, V, M)`` of every sample; None when they differ."""

    @property
    @abstractmethod
    def dtype(self) -> np.dtype:
        """dtype of the stored values (:meth:`read` gives float32)."""

    @abstractmethod
    def _read(self, index: int) -> np.ndarray:
        """Sample ``index`` as a new float32 array the caller may change."""

    def read(self, index: int) -> np.ndarray:
        """Sample ``index`` (axis 0 of the file) as float32 ``(C, T, V,
        M)``; raise if it holds NaN or infinite values."""
        sample = self._read(index)
        check_finite_sample(self.where, index, sample)
        return sample

    def close(self) -> None:  # noqa: B027 (most stores have nothing open)
        """Close open files; the next read reopens them."""
