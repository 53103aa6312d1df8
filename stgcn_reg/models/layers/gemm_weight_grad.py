"""The weight gradient of a kx1 convolution as k large GEMMs.

On CPUs oneDNN often computes the weight gradient of a channels-last kx1
convolution at about half the speed of its forward pass. Written as
``grad_W_k = grad_out^T @ shift_k(x)`` (per tap one GEMM per sample, each
summing over every frame and joint, on views of the input padded once)
it runs 10-30% faster than oneDNN's at ST-GCN's widths on some CPUs and
slower on others, and at some widths only (hence the ``per_layer``
route). Results agree with oneDNN's to float32 rounding (the sums are
taken in another order).
"""
import torch


def temporal_weight_grad(grad_out: torch.Tensor, x: torch.Tensor,
                         kernel_size: int, stride: int,
                         padding: int) -> torch.Tensor:
    """Gradient ``(C_out, C_in, k, 1)`` of a kx1 conv's weight.

    Args:
        grad_out (Tensor): ``(N, C_out, T_out, V)``.
        x (Tensor): The conv input ``(N, C_in, T, V)``.
        kernel_size (int): k, the temporal kernel size.
        stride (int): Temporal stride.
        padding (int): Zero frames added at both ends of time.
    """
    n, c_in, t, v = x.shape
    c_out, t_out = grad_out.shape[1], grad_out.shape[2]
    # frames per stride phase: tap j of output frame i reads padded frame
    # stride*i + j = stride*(i + j // stride) + j % stride
    phase_len = -(-(t + 2 * padding) // stride)
    padded = x.new_empty(n, phase_len * stride, v, c_in)
    padded[:, :padding].zero_()
    padded[:, padding + t:].zero_()
    padded[:, padding:padding + t] = x.permute(0, 2, 3, 1)
    phases = padded.view(n, phase_len, stride, v, c_in).permute(2, 0, 1, 3, 4)
    if stride > 1:
        phases = phases.contiguous()
    # (N, C_out, T_out * V): a view of channels-last grad_out
    grads_t = grad_out.permute(0, 2, 3, 1).reshape(n, t_out * v,
                                                   c_out).transpose(1, 2)
    weight_grad = grad_out.new_empty(kernel_size, c_out, c_in)
    for tap in range(kernel_size):
        first = tap // stride
        shifted = phases[tap % stride][:, first:first + t_out]
        per_sample = torch.bmm(grads_t, shifted.reshape(n, t_out * v, c_in))
        torch.sum(per_sample, 0, out=weight_grad[tap])
    return weight_grad.permute(1, 2, 0).unsqueeze(-1).contiguous()
