"""The 9x1 temporal convolution with 15/27 of the multiplications
(Winograd F(3,3) on three groups of three taps) on the CPU: its output,
and in training its input and weight gradients.

Output frame ``t`` sums taps ``k = 3g + j`` (groups ``g``, ``j`` in 0..2).
For tiles of three output frames, each group is a 3-tap correlation that
F(3,3) (points 0, 1, -1, 1/2 and infinity) computes from a tile of five
input frames: ``y = A^T [(G w) * (B^T d)]``. Group ``g`` reads tile
``s + g`` of the same tiling, so one input transform serves all three.
The channel mixing, 27 multiplications per three frames in the direct
form, becomes five 3-tap convolutions over the tiles (one per point),
15 in all; oneDNN runs them, and the input transform as depthwise
convolutions of stride 3. The output transform is five elementwise sums.

Exact up to float32 rounding (about 3e-6 of the largest output, the
points' powers are small). Taken only where it is the measured or forced
route (``temporal`` for the output and the input gradient,
``weight_grad`` for the weight gradient, :mod:`stgcn_reg.models.routes`)
and only without autograd (eval, or inside the training convolution's
own forward and backward, :mod:`.temporal_conv_grad`), in float32,
channels-last, for stride 1 (a frame count not divisible by 3 gets zero
frames appended, see :func:`padded_to_tiles`); everything else runs the
direct convolution.
"""
import functools
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F

from .gemm_weight_grad import temporal_weight_grad

POINTS = (0.0, 1.0, -1.0, 0.5)  # and infinity
TILE = 3  # output frames per tile; taps per group
INPUTS = 5  # input frames per tile = points


@functools.lru_cache(maxsize=None)
def winograd_matrices() -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``(A^T (3, 5), G (5, 3), B^T (5, 5))`` of F(3,3) at :data:`POINTS`
    and infinity, float64.

    ``A`` and ``G`` evaluate the output and the kernel polynomials at the
    points; ``B^T`` is solved from the identity the three must satisfy,
    ``sum_p A[p, i] G[p, j] B^T[p, k] = [k == i + j]`` (45 equations,
    exactly solvable)."""
    def evaluations(length: int) -> torch.Tensor:
        rows = [[point**power for power in range(length)] for point in POINTS]
        return torch.tensor(rows + [[0.0] * (length - 1) + [1.0]],
                            dtype=torch.float64)

    a, g = evaluations(TILE), evaluations(TILE)
    equations, targets = [], []
    for i in range(TILE):
        for j in range(TILE):
            for k in range(INPUTS):
                row = torch.zeros(INPUTS, INPUTS, dtype=torch.float64)
                row[:, k] = a[:, i] * g[:, j]
                equations.append(row.flatten())
                targets.append(float(k == i + j))
    solution = torch.linalg.lstsq(torch.stack(equations),
                                  torch.tensor(targets, dtype=torch.float64)
                                  [:, None]).solution
    b_t = solution.view(INPUTS, INPUTS)
    b_t[b_t.abs() < 1e-9] = 0.0  # exact zeros, not 1e-16 rounding residue
    return a.t().contiguous(), g, b_t


# bias of each point's convolution so that every output row of A^T sums
# to the conv bias (rows of A^T: [1,1,1,1,0], [0,1,-1,1/2,0],
# [0,1,1,1/4,1]); the output transform then needs no extra pass
BIAS_SHARES = (-1.0, 0.0, 0.0, 2.0, 0.5)


def fits(frames: int, kernel_size: Sequence[int], stride: int,
         padding: int) -> bool:
    """Whether a temporal conv of this shape has the Winograd form: a 9x1
    kernel, stride 1, padding 4, at least one frame."""
    return (tuple(kernel_size) == (9, 1) and stride == 1 and padding == 4
            and frames > 0)


def padded_to_tiles(x: torch.Tensor) -> torch.Tensor:
    """Channels-last ``x`` with zero frames appended up to a multiple of
    3 frames (``x`` itself when it is one). The convolution pads with
    zeros anyway, so the first ``T`` output frames, and every weight
    gradient term (the output gradient is padded alike), are unchanged."""
    n, c, t, v = x.shape
    extra = -t % TILE
    if not extra:
        return x
    padded = x.new_empty(n, t + extra, v, c).permute(0, 3, 1, 2)
    padded[:, :, t:].zero_()
    padded[:, :, :t].copy_(x)
    return padded


def applies(x: torch.Tensor, weight: torch.Tensor, stride: int,
            padding: int) -> bool:
    """Whether :func:`winograd_conv` computes this conv: CPU float32
    channels-last ``(N, C, T, V)`` of a shape that :func:`fits`, and no
    autograd."""
    return (x.device.type == 'cpu' and x.dtype == torch.float32
            and weight.dtype == torch.float32 and x.dim() == 4
            and fits(x.shape[2], weight.shape[2:], stride, padding)
            and x.is_contiguous(memory_format=torch.channels_last)
            and not torch.is_grad_enabled()
            and not torch.is_autocast_enabled('cpu')
            and not torch.compiler.is_compiling()
            and not torch.jit.is_tracing()
            and not torch.onnx.is_in_onnx_export())


def point_weights(weight: torch.Tensor) -> List[torch.Tensor]:
    """Per point ``(C_out, C_in, 3, 1)``, channels-last: G applied to each
    group of three taps of the 9x1 ``weight``."""
    _, g, _ = winograd_matrices()
    c_out, c_in = weight.shape[:2]
    groups = weight.reshape(c_out * c_in * TILE, TILE)  # rows (o, c, g)
    points = (groups @ g.t().to(weight.dtype)).view(c_out, c_in, TILE,
                                                    INPUTS)
    return [points[..., point, None].contiguous(
        memory_format=torch.channels_last) for point in range(INPUTS)]


def tile_transform(x: torch.Tensor, row: torch.Tensor,
                   padding: int) -> torch.Tensor:
    """``row`` (taps over frames) applied to every channel of ``x``,
    padded by ``padding`` frames, every three frames: one depthwise
    convolution of stride 3, channels-last out."""
    channels, taps = x.shape[1], row.numel()
    kernel = row.to(x.dtype).view(1, 1, taps, 1).expand(
        channels, 1, taps, 1).contiguous(memory_format=torch.channels_last)
    return F.conv2d(x, kernel, stride=(TILE, 1), padding=(padding, 0),
                    groups=channels)


def input_tiles(x: torch.Tensor, point: int) -> torch.Tensor:
    """Row ``point`` of ``B^T`` applied to every tile of five frames of
    ``x`` padded by four (``T/3 + 2`` tiles, every three frames),
    channels-last ``(N, C, T/3+2, V)``."""
    return tile_transform(x, winograd_matrices()[2][point], 4)


def winograd_conv(x: torch.Tensor, weight: torch.Tensor,
                  bias: Optional[torch.Tensor] = None) -> torch.Tensor:
    """``F.conv2d(x, weight, bias, padding=(4, 0))`` for a 9x1 ``weight``
    (see :func:`applies` for what ``x`` must be), channels-last out."""
    frames = x.shape[2]
    x = padded_to_tiles(x)
    n, c_in, t, v = x.shape
    c_out = weight.shape[0]
    points = point_weights(weight)
    products = []
    for point in range(INPUTS):
        share = BIAS_SHARES[point]
        point_bias = None if bias is None or share == 0 else bias * share
        products.append(
            F.conv2d(input_tiles(x, point), points[point], point_bias)
            .permute(0, 2, 3, 1))  # (N, T/3, V, C_out), contiguous
    m0, m1, m2, m3, m4 = products
    out = x.new_empty(n, t // TILE, TILE, v, c_out)
    first, middle, last = out.unbind(2)
    torch.sub(m1, m2, out=middle).add_(m3, alpha=0.5)
    torch.add(m1, m2, out=first)
    torch.add(first, m4, out=last).add_(m3, alpha=0.25)
    first.add_(m0).add_(m3)
    out = out.view(n, t, v, c_out)
    if t != frames:  # the appended frames' outputs dropped
        out = out[:, :frames].contiguous()
    return out.permute(0, 3, 1, 2)


def winograd_weight_grad(grad_out: torch.Tensor,
                         x: torch.Tensor) -> torch.Tensor:
    """Gradient ``(C_out, C_in, 9, 1)`` of the weight of
    ``F.conv2d(x, weight, padding=(4, 0))`` from ``grad_out``, both
    channels-last (``x`` as :func:`applies` asks), in the Winograd form.

    Tap ``3g + j`` of the gradient sums ``grad_out`` frame ``3s + i``
    times input tile ``s + g`` frame ``i + j``: per tile a 3-output
    correlation of the five tile frames by the three gradient frames,
    which F(3,3) computes with the gradient in the kernel's place. Summed
    over tiles, that is per point one 3-tap weight gradient (a GEMM per
    group) between ``G`` applied to the gradient's tiles of three frames
    and ``B^T`` applied to the input's tiles, 15/27 of the direct
    multiplications; ``A^T`` then maps the five points to the taps."""
    a_t, g, _ = winograd_matrices()
    grad_out, x = padded_to_tiles(grad_out), padded_to_tiles(x)
    c_out = grad_out.shape[1]
    c_in = x.shape[1]
    sums = []
    for point in range(INPUTS):
        # row ``point`` of G on the gradient's tiles of three frames
        grad_points = tile_transform(grad_out, g[point], 0)
        sums.append(temporal_weight_grad(grad_points, input_tiles(x, point),
                                         TILE, 1, 0)[..., 0])  # (o, c, g)
    per_point = torch.stack(sums, -1)  # (C_out, C_in, group, point)
    taps = per_point @ a_t.t().to(x.dtype)  # (C_out, C_in, group, j)
    return taps.reshape(c_out, c_in, 3 * TILE, 1).contiguous(
        memory_format=torch.channels_last)
