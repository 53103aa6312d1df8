"""init_recognizer takes MMAction2 ST-GCN checkpoints (tools/infer.py)."""
import pytest
import torch
from mmaction_reference import mmaction_logits, mmaction_stgcn
from tool_runner import DEMO_CONFIG

from stgcn_reg.apis import init_recognizer
from stgcn_reg.checkpoints import MMActionCheckpointMismatchError

# the MMAction2 settings matching these: channels 8, 8, 16, 16 and
# strides 1, 2, 1, 1
TINY = {
    'model.backbone.channels': [8, 8, 16, 16],
    'model.backbone.strides': [1, 2, 1, 1],
    'model.cls_head.in_channels': 16,
}
MMACTION_TINY = dict(base_channels=8, num_stages=4, inflate_stages=[3],
                     down_stages=[2])


@pytest.fixture
def mmaction_file(tmp_path):
    theirs = mmaction_stgcn('nturgb+d', 8, **MMACTION_TINY)
    path = str(tmp_path / 'mmaction.pth')
    torch.save(dict(state_dict=theirs.state_dict(), meta=dict(epoch=1)),
               path)
    return theirs, path


def test_mmaction_weights_give_mmaction_logits(mmaction_file):
    theirs, path = mmaction_file
    options = dict(TINY, **{'model.backbone.graph_cfg.layout': 'nturgb+d'})
    ours, _ = init_recognizer(DEMO_CONFIG, path, cfg_options=options)
    x = torch.randn(2, 3, 12, 25, 2)
    with torch.no_grad():
        got = ours.cls_head(ours.backbone(x))
    torch.testing.assert_close(got, mmaction_logits(theirs, x),
                               rtol=1e-4, atol=1e-5)


def test_another_graph_is_refused_with_the_layouts(mmaction_file):
    _, path = mmaction_file
    with pytest.raises(MMActionCheckpointMismatchError,
                       match="'nturgb\\+d'.*'ntu-rgb\\+d'"):
        init_recognizer(DEMO_CONFIG, path, cfg_options=TINY)
