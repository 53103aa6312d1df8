"""The data-sample dicts that datasets, recognizers and metrics share."""
from typing import List, Optional, TypedDict

import torch

# the keys that name a sample; copied from a batch into every result
ID_KEYS = ('index', 'sample_name')


class SkeletonSample(TypedDict, total=False):
    """One sample's ``data_samples``: its ids, targets and predictions.

    A dataset item carries the ids and the targets of its task (``label``
    for actions; ``categories`` and/or ``dimensions`` for emotions, none on
    an unlabelled split); a recognizer's ``predict`` returns one per
    sample with the ids, the targets it was given and its predictions,
    which the metrics and score dumps read.
    """

    index: int  # position of the sample in its dataset
    sample_name: str  # e.g. the NTU file name or the clip's frame_dir
    label: int  # action class index
    categories: torch.Tensor  # (K,) annotated category scores in [0, 1]
    dimensions: torch.Tensor  # (D,) annotated ratings, e.g. 1-10 (V, A, D)
    # (K,) what score dumps keep: class scores for actions; for emotions
    # the category probabilities, else the ratings
    scores: torch.Tensor
    loss: float  # the sample's evaluation loss (with a label)
    category_scores: torch.Tensor  # (K,) predicted category probabilities
    dimension_scores: torch.Tensor  # (D,) predicted ratings


class SampleBatch(TypedDict, total=False):
    """:class:`SkeletonSample` items of a batch as ``default_collate`` joins
    them: tensors gain a leading batch axis ``N``, names become a list."""

    index: torch.Tensor
    sample_name: List[str]
    label: torch.Tensor
    categories: torch.Tensor
    dimensions: torch.Tensor


DataSamples = Optional[SampleBatch]
