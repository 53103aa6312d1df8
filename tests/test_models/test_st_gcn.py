"""ST-GCN backbone: parameter count, shapes, input BatchNorm, errors."""
import pytest
import torch

from stgcn_reg.models import STGCN
from stgcn_reg.registry import MODELS

NTU_GRAPH = dict(type='Graph', layout='ntu-rgb+d', strategy='spatial')


def count_trainable(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def reference_parameter_count(num_classes=60, in_channels=3, num_node=25,
                              num_partitions=3) -> int:
    """Count layer by layer as the reference network is built."""
    channels = [64, 64, 64, 64, 128, 128, 128, 256, 256, 256]
    total = 2 * in_channels * num_node  # data_bn weight + bias
    block_in = in_channels
    for index, block_out in enumerate(channels):
        total += block_in * block_out * num_partitions  # gcn 1x1 weights
        total += block_out * num_partitions  # gcn bias
        total += 2 * block_out  # tcn BN before the temporal conv
        total += block_out * block_out * 9 + block_out  # 9x1 conv
        total += 2 * block_out  # tcn BN after the temporal conv
        if index > 0 and block_in != block_out:  # or stride 2
            total += block_in * block_out + block_out + 2 * block_out
        total += num_partitions * num_node * num_node  # edge importance
        block_in = block_out
    total += 256 * num_classes + num_classes  # classifier
    return total


def test_reference_parameter_count(default_scope):
    model = MODELS.build(dict(
        type='SkeletonRecognizer',
        backbone=dict(type='STGCN', graph_cfg=NTU_GRAPH, dropout=0.5),
        cls_head=dict(type='ClsHead', num_classes=60, in_channels=256)))
    assert reference_parameter_count() == 3_098_832
    assert count_trainable(model) == 3_098_832


def test_without_edge_importance_drops_the_masks(default_scope):
    backbone = STGCN(NTU_GRAPH, edge_importance_weighting=False)
    with_masks = STGCN(NTU_GRAPH)
    assert (count_trainable(with_masks) - count_trainable(backbone)
            == 10 * 3 * 25 * 25)


def test_output_shape_and_temporal_strides(default_scope):
    backbone = STGCN(NTU_GRAPH).eval()
    with torch.no_grad():
        out = backbone(torch.randn(2, 3, 20, 25, 2))
    assert out.shape == (2, 2, 256, 5, 25)


def test_data_bn_channel_index_is_v_times_c_plus_c(default_scope):
    backbone = STGCN(NTU_GRAPH, channels=(8, ), strides=(1, )).train()
    x = torch.zeros(4, 3, 6, 25, 2)
    x[:, 1, :, 7, :] = torch.arange(4.0)[:, None, None] * 3 + 5
    backbone(x)
    running_mean = backbone.data_bn.running_mean
    # momentum 0.1 from zero: the only non-zero entry is joint 7, channel 1
    assert running_mean.argmax().item() == 7 * 3 + 1
    assert running_mean[7 * 3 + 1] == pytest.approx(0.1 * 9.5)
    assert (running_mean != 0).sum() == 1


def test_persons_share_the_backbone(default_scope):
    backbone = STGCN(NTU_GRAPH, channels=(8, 8), strides=(1, 1)).eval()
    x = torch.randn(1, 3, 10, 25, 2)
    swapped = x.flip(-1)
    with torch.no_grad():
        out, out_swapped = backbone(x), backbone(swapped)
    torch.testing.assert_close(out, out_swapped.flip(1))


def test_residual_only_after_first_block(default_scope):
    backbone = STGCN(NTU_GRAPH)
    kinds = [type(block.residual).__name__ for block in backbone.blocks]
    assert backbone.blocks[0].residual is None
    assert kinds[4] == 'ResidualProjection'
    assert kinds[7] == 'ResidualProjection'
    assert kinds[1] == 'Identity'


@pytest.mark.parametrize('shape,message', [
    ((2, 3, 10, 25), r'\(N, C, T, V, M\)'),
    ((2, 3, 10, 18, 2), 'V=25'),
    ((2, 2, 10, 25, 2), 'C=3'),
])
def test_bad_input_shapes(default_scope, shape, message):
    backbone = STGCN(NTU_GRAPH, channels=(8, ), strides=(1, ))
    with pytest.raises(ValueError, match=message):
        backbone(torch.zeros(shape))


@pytest.mark.parametrize('options', [
    dict(channels_last=False), dict(with_cp=True), dict(compile=True)])
def test_speed_options_keep_the_state_dict(default_scope, options):
    reference = STGCN(NTU_GRAPH).state_dict()
    other = STGCN(NTU_GRAPH, **options).state_dict()
    assert list(other) == list(reference)
    assert all(other[k].shape == reference[k].shape for k in reference)
