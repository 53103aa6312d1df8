"""The fused graph convolution's joint aggregation and its gradients:
one small ``(V*K, V)`` matrix applied to the joints of every frame.

Per frame that is a product with ``C`` columns. With ``C`` in the tens
or hundreds a batched matmul over the frames does it well; with the
first layer's few channels (3 coordinates) each product is too narrow
for it, and one GEMM over a joints-first copy of the rows, whose
columns are every frame's channels, is faster (Zen 4, NTU shape,
float32, the two alternating in one process: 2.98 -> 0.73 ms forward,
2.95 -> 0.90 ms input gradient, 1.68 -> 1.09 ms matrix gradient; at 16
channels the batched matmul wins, 1.65 against 2.63 ms forward).
"""
from typing import Callable, Optional, Sequence

import torch

# below this many channels per joint the one-GEMM form is taken
NARROW_CHANNELS = 16


def _joints_first(rows: torch.Tensor) -> torch.Tensor:
    """``(F, J, C)`` rows as a ``(J, F*C)`` matrix (a copy)."""
    frames, joints, channels = rows.shape
    return rows.permute(1, 0, 2).reshape(joints, frames * channels)


def aggregate_joints(matrix: torch.Tensor, rows: torch.Tensor,
                     out: Optional[torch.Tensor] = None) -> torch.Tensor:
    """``matrix @ rows[f]`` for every frame ``f``: ``(J_out, J)`` and
    ``(F, J, C)`` to ``(F, J_out, C)``, written into ``out`` if given."""
    frames, joints, channels = rows.shape
    if channels >= NARROW_CHANNELS:
        return torch.bmm(matrix.expand(frames, *matrix.shape), rows,
                         out=out)
    product = torch.mm(matrix, _joints_first(rows)).view(
        -1, frames, channels).permute(1, 0, 2)
    if out is None:
        return product.contiguous()
    return out.copy_(product)


def joint_matrix_grad(
    grad: torch.Tensor, rows: torch.Tensor,
    per_frame_buffer: Optional[Callable[[Sequence[int]], torch.Tensor]] = None
) -> torch.Tensor:
    """Gradient ``(J_out, J)`` of the matrix in :func:`aggregate_joints`
    from the output's ``grad`` ``(F, J_out, C)``: ``sum_f grad[f] @
    rows[f]^T``. ``per_frame_buffer(shape)``, if given, provides the
    batched form's ``(F, J_out, J)`` products."""
    frames, joints_out, channels = grad.shape
    if channels < NARROW_CHANNELS:
        return torch.mm(_joints_first(grad), _joints_first(rows).t())
    per_frame = None
    if per_frame_buffer is not None:
        per_frame = per_frame_buffer((frames, joints_out, rows.shape[1]))
    return torch.bmm(grad, rows.transpose(1, 2), out=per_frame).sum(0)
