"""Base of the heads: average-pool the features, dropout, one linear layer."""
from typing import Dict

import torch
from mmengine.model import BaseModule
from torch import nn


class PooledLinearHead(BaseModule):
    """Pool features ``(N, M, C, T, V)`` over T and V, then over the persons
    M, apply dropout and one linear layer (the reference's 1x1 conv on the
    pooled feature). Its loss is reported as ``loss_key``, scaled by
    ``loss_weight`` (:meth:`weighted_loss`).

    Args:
        num_outputs (int): Outputs of the linear layer.
        in_channels (int): Feature channels.
        dropout (float): Dropout before the linear layer (none at 0).
        init_std (float): Std of the layer's normal weight init.
        loss_weight (float): Scale of the loss. Defaults to 1.
    """

    # the name of this head's loss in the loss dict
    loss_key = 'loss'

    def __init__(self, num_outputs: int, in_channels: int, dropout: float,
                 init_std: float, loss_weight: float = 1.0) -> None:
        super().__init__()
        if num_outputs < 1:
            raise ValueError(f'{type(self).__name__}: the number of outputs '
                             f'must be >= 1, got {num_outputs}')
        self.init_std = init_std
        self.loss_weight = loss_weight
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.fc = nn.Linear(in_channels, num_outputs)

    def init_weights(self) -> None:
        """Normal init of the layer's weight, zero bias."""
        nn.init.normal_(self.fc.weight, 0.0, self.init_std)
        nn.init.zeros_(self.fc.bias)

    def forward(self, feats: torch.Tensor) -> torch.Tensor:
        """Map features ``(N, M, C, T, V)`` to outputs ``(N, outputs)``."""
        pooled = feats.mean(dim=(3, 4)).mean(dim=1)
        return self.fc(self.dropout(pooled))

    def weighted_loss(self, loss: torch.Tensor) -> Dict[str, torch.Tensor]:
        """``{loss_key: loss * loss_weight}``."""
        return {self.loss_key: loss * self.loss_weight}

    def _check_targets(self, outputs: torch.Tensor,
                       targets: torch.Tensor) -> torch.Tensor:
        """``targets`` as ``outputs``' dtype; refused unless the shapes
        match."""
        if targets.shape != outputs.shape:
            raise ValueError(
                f'{type(self).__name__}: targets have shape '
                f'{tuple(targets.shape)}, expected {tuple(outputs.shape)} '
                '(batch, outputs); check the dataset against the head size')
        return targets.to(outputs.dtype)
