"""Graph convolution of ST-GCN++: learnable adjacency and a residual."""
from typing import Optional

import torch
from torch import nn

from .export_graph_conv import onnx_graph_conv
from .float32_region import in_float32
from .temporal_conv import bn_affine, uses_running_stats


class AdaptiveGraphConv(nn.Module):
    """Spatial graph convolution whose adjacency is learned, plus a shortcut.

    As ``unit_gcn`` of PYSKL with ``adaptive='init'`` and
    ``with_res=True``: a 1x1 convolution maps ``in_channels`` to
    ``out_channels * K``, each slice is aggregated over the joints with its
    ``(V, V)`` adjacency and the slices are summed; then BN, the shortcut
    is added and a ReLU follows::

        out = relu(bn(sum_k conv_k(x) @ A[k]) + down(x))

    ``A`` is a parameter initialised from the graph's ``(K, V, V)``
    adjacency and trained with the rest (ST-GCN instead multiplies a fixed
    A by a learned edge-importance mask). ``down`` is the identity when the
    channels are kept, a 1x1 conv + BN otherwise.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        adjacency (torch.Tensor): ``(K, V, V)`` initial adjacency.
        residual (bool): Add the shortcut inside the unit. Defaults to
            True.
        float32 (bool): Train in float32 under autocast (the first
            layer, see :mod:`.float32_region`); eval mode keeps the
            autocast dtype. Defaults to False.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 adjacency: torch.Tensor,
                 residual: bool = True,
                 float32: bool = False) -> None:
        super().__init__()
        self.float32 = float32
        if adjacency.dim() != 3 or adjacency.shape[1] != adjacency.shape[2]:
            raise ValueError(
                'AdaptiveGraphConv: adjacency must have shape (K, V, V), '
                f'got {tuple(adjacency.shape)}')
        self.num_partitions = adjacency.shape[0]
        self.A = nn.Parameter(adjacency.detach().clone().float())
        # bn before conv: the parameters come in MMAction2's order (BN
        # draws no random numbers, so seeded weights are unchanged)
        self.bn = nn.BatchNorm2d(out_channels)
        self.conv = nn.Conv2d(in_channels,
                              out_channels * self.num_partitions, 1)
        self.relu = nn.ReLU(inplace=True)
        self.down: Optional[nn.Module]
        if not residual:
            self.down = None
        elif in_channels == out_channels:
            self.down = nn.Identity()
        else:
            self.down = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1),
                nn.BatchNorm2d(out_channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Map ``(N, C_in, T, V)`` to ``(N, C_out, T, V)`` over the graph."""
        if self.float32 and self.training:
            return in_float32(self._forward, x)
        return self._forward(x)

    def _forward(self, x: torch.Tensor) -> torch.Tensor:
        if torch.onnx.is_in_onnx_export() and uses_running_stats(self.bn):
            out = onnx_graph_conv(x, self.conv, self.A, *bn_affine(self.bn))
            if self.down is not None:
                out = out + self.down(x)
            return torch.relu(out)
        out = self.conv(x)
        n, kc, t, v = out.shape
        out = out.view(n, self.num_partitions, kc // self.num_partitions, t,
                       v)
        out = self.bn(torch.einsum('nkctv,kvw->nctw', out, self.A))
        if self.down is not None:
            out = out + self.down(x)
        return self.relu(out)
