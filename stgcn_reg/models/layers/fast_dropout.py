"""Dropout with a cheaper random mask than ``torch.nn.Dropout`` on CPU."""
import torch
import torch.nn.functional as F
from torch import nn


class _ScaleByMask(torch.autograd.Function):
    """``x * mask``; keeps only the mask for backward."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(mask)
        return x * mask

    @staticmethod
    def backward(ctx, grad: torch.Tensor):
        mask, = ctx.saved_tensors
        return grad * mask, None


def dyadic_bits(p: float) -> int:
    """Fewest bits ``b`` in (1, 2, 4, 8) with ``p * 2**b`` an integer, else
    0 (``p`` = 0.5 needs one random bit per entry, 0.25 two, 0.1 none)."""
    for bits in (1, 2, 4, 8):
        if float(p * (1 << bits)).is_integer():
            return bits
    return 0


def dropout_mask(numel: int, p: float, device: torch.device,
                 dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Flat ``dtype`` mask of ``numel`` entries: 0 with probability
    ``p``, else ``1 / (1 - p)`` rounded to ``dtype`` (so that ``x * mask``
    is dropout of ``x``).

    On CPU ``bernoulli_`` draws one number per entry in a scalar loop, and
    the random draws themselves are the cost, so the mask uses as few
    random bits as ``p`` allows: ``b`` bits per entry when ``p`` is a
    multiple of ``2**-b`` (one bit for the usual 0.5, see
    :func:`dyadic_bits`), else 31 bits compared with ``p * 2**31`` (``p``
    exact to 2**-31, finer than ``torch.rand``'s 2**-24).
    """
    bits = dyadic_bits(p)
    if bits:
        return _few_bits_mask(numel, p, bits, device, dtype)
    low_bits = (1 << 31) - 1
    words = torch.empty((numel + 1) // 2, dtype=torch.int64, device=device)
    # random_() fills [0, 2**63): both 32-bit halves have 31 random low bits
    drawn = words.random_().view(torch.int32)[:numel].bitwise_and_(low_bits)
    drawn.sub_(int(round(p * (1 << 31))))  # < 0 exactly when dropped
    drawn.bitwise_right_shift_(31).bitwise_not_()  # dropped 0, kept all ones
    scale = torch.tensor(1.0 / (1.0 - p), dtype=torch.float32)
    return drawn.bitwise_and_(int(scale.view(torch.int32))).view(
        torch.float32).to(dtype)


def _few_bits_mask(numel: int, p: float, bits: int, device: torch.device,
                   dtype: torch.dtype) -> torch.Tensor:
    """:func:`dropout_mask` from ``bits`` random bits per entry: an entry
    is dropped when its ``bits``-bit field is below ``p * 2**bits``."""
    per_byte = 8 // bits
    nbytes = -(-numel // per_byte)
    # random_() fills [0, 2**63): the 7 low bytes of each word are random
    words = torch.empty(-(-nbytes // 7), dtype=torch.int64, device=device)
    drawn = words.random_().view(torch.uint8).view(-1, 8)[:, :7]
    drawn = drawn.reshape(-1)[:nbytes]
    # field i of every byte goes to row i (row by row is the fast order)
    fields = torch.empty(per_byte, nbytes, dtype=torch.uint8, device=device)
    for row in range(per_byte):
        torch.bitwise_right_shift(drawn, row * bits, out=fields[row])
    fields = fields.view(-1)[:numel]
    if bits < 8:
        fields.bitwise_and_((1 << bits) - 1)
    threshold = int(p * (1 << bits))
    # p = 0.5 (one bit, threshold 1): the field itself is 1 exactly when kept
    kept = fields if threshold == 1 and bits == 1 else torch.ge(
        fields, threshold)
    # the scale rounded to float32 first, as the float32 mask holds it
    # (then to ``dtype``): each dtype's mask is the float32 one cast
    scale = torch.tensor(1.0 / (1.0 - p), dtype=torch.float32).to(dtype)
    return kept.to(dtype).mul_(scale)


class FastDropout(nn.Module):
    """Dropout (zero with probability ``p``, scale the rest by
    ``1 / (1 - p)``) with the mask from :func:`dropout_mask` on CPU.

    Same distribution as :class:`torch.nn.Dropout` (``p`` rounded to
    2**-31), other random numbers. Other devices, and graphs traced by
    ``torch.compile``, use torch's dropout (fused kernels there). Identity
    in eval mode or when ``p == 0``. Holds no parameters or buffers.

    Args:
        p (float): Probability of an element to be zeroed. Defaults to 0.5.
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f'dropout probability must be in [0, 1], '
                             f'got {p}')
        self.p = p

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Drop entries of ``x`` in training mode."""
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return x * 0.0
        if x.device.type != 'cpu' or torch.compiler.is_compiling():
            # fused kernels on GPUs; under torch.compile Inductor fuses
            # torch's dropout itself (random_ on a view breaks the graph)
            return F.dropout(x, self.p, training=True)
        mask = dropout_mask(x.numel(), self.p, x.device, x.dtype)
        if x.dim() == 4 and x.is_contiguous(
                memory_format=torch.channels_last):
            n, c, t, v = x.shape  # the mask in the same memory order
            mask = mask.view(n, t, v, c).permute(0, 3, 1, 2)
        else:
            mask = mask.view(x.shape)
        return _ScaleByMask.apply(x, mask)

    def extra_repr(self) -> str:
        return f'p={self.p}'
