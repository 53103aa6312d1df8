"""The backbones' shared base: graph, input BatchNorm and layout."""
import pytest
import torch

from stgcn_reg.models.backbones import STGCN, STGCNPP, SkeletonBackbone

GRAPH = dict(type='Graph', layout='coco')


@pytest.mark.parametrize('cls', [STGCN, STGCNPP])
def test_backbones_share_the_base(default_scope, cls):
    backbone = cls(GRAPH, channels=(8, 16), strides=(1, 2))
    assert isinstance(backbone, SkeletonBackbone)
    assert (backbone.in_channels, backbone.num_node) == (3, 17)
    assert backbone.out_channels == 16
    assert backbone.data_bn.num_features == 3 * 17
    with pytest.raises(ValueError, match=f'^{cls.__name__} input'):
        backbone(torch.zeros(1, 2, 4, 17, 1))
    with pytest.raises(ValueError, match=f'^{cls.__name__}: channels'):
        cls(GRAPH, channels=(8, ), strides=(1, 2))


def test_input_layouts_hold_the_same_values(default_scope):
    x = torch.randn(2, 3, 6, 17, 2)
    folded = {}
    for channels_last in (True, False):
        torch.manual_seed(0)
        backbone = STGCN(GRAPH, channels=(8, ), strides=(1, )).eval()
        folded[channels_last] = backbone.embed_input(x, channels_last)
    assert folded[True].shape == (4, 3, 6, 17)
    assert folded[True].permute(0, 2, 3, 1).is_contiguous()
    torch.testing.assert_close(folded[True], folded[False])
    # person m of sample n is batch item n * M + m (eval BatchNorm of
    # fresh statistics divides by sqrt(1 + eps))
    torch.testing.assert_close(folded[False][2], x[1, :, :, :, 0],
                               rtol=1e-4, atol=1e-4)


def test_block_shapes_chain_the_channels():
    assert list(SkeletonBackbone.block_shapes(3, (8, 16), (1, 2))) == [
        (3, 8, 1, True), (8, 16, 2, False)]
