"""The joint aggregation's narrow (one GEMM) and wide (batched matmul)
forms agree with the per-frame products they compute."""
import pytest
import torch

from stgcn_reg.models.layers.joint_aggregation import (
    NARROW_CHANNELS,
    aggregate_joints,
    joint_matrix_grad,
)


@pytest.mark.parametrize('channels', [3, NARROW_CHANNELS - 1,
                                      NARROW_CHANNELS, 32])
@pytest.mark.parametrize('into_buffer', [False, True])
def test_aggregation_and_matrix_gradient(channels, into_buffer):
    generator = torch.Generator().manual_seed(channels)
    rows = torch.randn(40, 25, channels, generator=generator)
    matrix = torch.randn(75, 25, generator=generator)
    expected = torch.einsum('jv,fvc->fjc', matrix, rows)
    buffer = torch.full((40, 75, channels), float('nan'))
    out = aggregate_joints(matrix, rows, buffer if into_buffer else None)
    assert out.shape == (40, 75, channels) and out.is_contiguous()
    torch.testing.assert_close(out, expected)
    if into_buffer:
        assert out.data_ptr() == buffer.data_ptr()
    # the transposed matrix maps the output's gradient back to the rows
    grad = torch.randn(40, 75, channels, generator=generator)
    torch.testing.assert_close(aggregate_joints(matrix.t(), grad),
                               torch.einsum('jv,fjc->fvc', matrix, grad))
    taken = []

    def per_frame_buffer(shape):
        taken.append(shape)
        return torch.empty(shape)

    torch.testing.assert_close(
        joint_matrix_grad(grad, rows, per_frame_buffer),
        torch.einsum('fjc,fvc->jv', grad, rows), rtol=1e-5, atol=1e-4)
    assert taken == ([] if channels < NARROW_CHANNELS else [(40, 75, 25)])
