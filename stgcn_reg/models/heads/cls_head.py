"""Classification head: global average pooling, person mean, classifier."""
from typing import Dict

import torch
import torch.nn.functional as F

from stgcn_reg.registry import MODELS

from .pooled_linear_head import PooledLinearHead


@MODELS.register_module()
class ClsHead(PooledLinearHead):
    """Single-label head of ST-GCN.

    Features ``(N, M, C, T, V)`` are averaged over T and V, then over the
    persons M, and classified (a linear layer equals the reference's 1x1
    conv on the pooled feature).

    Args:
        num_classes (int): Number of action classes.
        in_channels (int): Feature channels. Defaults to 256.
        dropout (float): Dropout before the classifier. Defaults to 0.
        label_smoothing (float): Cross-entropy label smoothing.
            Defaults to 0.
        loss_weight (float): Scale of the loss. Defaults to 1.
        init_std (float): Std of the classifier's normal init.
            Defaults to 0.02, as the reference.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int = 256,
                 dropout: float = 0.0,
                 label_smoothing: float = 0.0,
                 loss_weight: float = 1.0,
                 init_std: float = 0.02) -> None:
        if num_classes < 1:
            raise ValueError(
                f'ClsHead: num_classes must be >= 1, got {num_classes}')
        super().__init__(num_classes, in_channels, dropout, init_std,
                         loss_weight)
        self.num_classes = num_classes
        self.label_smoothing = label_smoothing

    def loss(self, logits: torch.Tensor,
             labels: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Weighted cross-entropy of logits against class indices."""
        return self.weighted_loss(F.cross_entropy(
            logits, labels, label_smoothing=self.label_smoothing))

    def sample_losses(self, logits: torch.Tensor,
                      labels: torch.Tensor) -> torch.Tensor:
        """Per-sample cross-entropy, for the mean evaluation loss."""
        return F.cross_entropy(logits, labels, reduction='none')
