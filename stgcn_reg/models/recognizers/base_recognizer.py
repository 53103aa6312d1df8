"""Base of the recognizers: mmengine's forward modes, targets, results."""
from abc import abstractmethod
from typing import Any, Dict, List, Mapping, Sequence, Union

import torch
from mmengine.model import BaseModel
from torch import nn

from .data_sample import ID_KEYS, DataSamples, SampleBatch, SkeletonSample

# what ``tensor`` mode returns: logits, or one output per head
Outputs = Union[torch.Tensor, Dict[str, torch.Tensor]]
# per-sample results of a batch: key -> one value per sample
Columns = Mapping[str, Sequence[Any]]


class BaseSkeletonRecognizer(BaseModel):
    """A skeleton model answering mmengine's three forward modes.

    ``tensor`` returns :meth:`predict_scores`, ``loss`` :meth:`loss` and
    ``predict`` one :class:`SkeletonSample` per sample, packed from
    :meth:`result_columns` and the batch's ids. Subclasses implement those
    three methods; :meth:`targets` and :meth:`labels` read a batch's
    ground truth.

    Args:
        data_preprocessor (dict, optional): mmengine data preprocessor
            config. Defaults to None (moves the batch to the device).
        init_cfg (dict, optional): mmengine init config. Defaults to None.
    """

    def forward(self,
                inputs: torch.Tensor,
                data_samples: DataSamples = None,
                mode: str = 'tensor'
                ) -> Union[Outputs, Dict[str, torch.Tensor],
                           List[SkeletonSample]]:
        """Run in mmengine's ``tensor``, ``loss`` or ``predict`` mode."""
        if mode == 'tensor':
            return self.predict_scores(inputs)
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise ValueError(f'unknown forward mode {mode!r}; expected '
                         "'tensor', 'loss' or 'predict'")

    def predict(self, inputs: torch.Tensor,
                data_samples: DataSamples = None) -> List[SkeletonSample]:
        """One result dict per sample: ids, given targets, predictions."""
        samples = data_samples or {}
        columns = self.result_columns(self.predict_scores(inputs), samples)
        return pack_results(columns, samples)

    @abstractmethod
    def predict_scores(self, inputs: torch.Tensor) -> Outputs:
        """The model's outputs for ``inputs`` (``tensor`` mode)."""

    @abstractmethod
    def loss(self, inputs: torch.Tensor,
             data_samples: DataSamples) -> Dict[str, torch.Tensor]:
        """The training losses of a batch."""

    @abstractmethod
    def result_columns(self, outputs: Outputs,
                       samples: SampleBatch) -> Columns:
        """Per-sample results of ``outputs``; ``scores`` is required."""

    @classmethod
    def labels(cls, data_samples: DataSamples) -> torch.Tensor:
        """The batch's ``label`` class indices (N,)."""
        return cls.targets(data_samples, 'label', hint=' of class indices')

    @staticmethod
    def targets(data_samples: DataSamples, key: str, user: str = 'loss mode',
                hint: str = '') -> torch.Tensor:
        """``data_samples[key]``; a clear error when the batch lacks it."""
        if not data_samples or key not in data_samples:
            raise ValueError(f'{user} needs data_samples with a "{key}" '
                             f'tensor{hint}')
        return data_samples[key]


def pack_results(columns: Columns,
                 samples: SampleBatch) -> List[SkeletonSample]:
    """Row ``i`` of every column plus the batch's ids, per sample ``i``."""
    results = []
    for i in range(len(columns['scores'])):
        result = {key: value[i] for key, value in columns.items()}
        for key in ID_KEYS:
            if key in samples:
                value = samples[key][i]
                result[key] = int(value) if torch.is_tensor(value) else value
        results.append(result)
    return results


def classification_columns(head: nn.Module, logits: torch.Tensor,
                           samples: SampleBatch) -> Dict[str, Sequence[Any]]:
    """Per-sample ``scores``; with labels ``label`` and ``loss`` too."""
    columns: Dict[str, Sequence[Any]] = dict(
        scores=logits.detach().float().cpu())
    labels = samples.get('label')
    if labels is not None:
        losses = head.sample_losses(logits, labels).detach()
        columns['label'] = [int(label) for label in labels]
        columns['loss'] = [float(loss) for loss in losses]
    return columns
