"""Input shape check shared by the skeleton backbones."""
import torch


def check_skeleton_input(x: torch.Tensor, in_channels: int, num_node: int,
                         layout_name: str, model_name: str) -> None:
    """Refuse input that is not ``(N, C, T, V, M)`` with the model's C, V."""
    if x.dim() != 5:
        raise ValueError(
            f'{model_name} expects input of shape (N, C, T, V, M), got '
            f'{x.dim()}-D shape {tuple(x.shape)}')
    _, c, _, v, _ = x.shape
    if c != in_channels or v != num_node:
        raise ValueError(
            f'{model_name} input {tuple(x.shape)} does not match the model: '
            f'expected C={in_channels} channels and V={num_node} joints '
            f'(graph layout {layout_name!r})')
