"""tools/convert_mmaction_checkpoint.py and MMAction2 files as --load-from."""
import os
import os.path as osp

import mmengine
import pytest
import torch
from mmaction_reference import import_mmaction, mmaction_logits, mmaction_stgcn
from mmengine.logging import MessageHub
from tool_runner import (
    DEMO_CONFIG,
    TINY_MODEL,
    data_options,
    make_demo_data,
    run_tool,
    tool,
)

from stgcn_reg.checkpoints import load_checkpoint_file
from stgcn_reg.registry import MODELS

CONVERT = tool('convert_mmaction_checkpoint.py')
# MMAction2 settings of tool_runner.TINY_MODEL: channels 8, 8, 16, 16 and
# strides 1, 2, 1, 1
DEMO_TINY = dict(base_channels=8, num_stages=4, inflate_stages=[3],
                 down_stages=[2])


@pytest.fixture(autouse=True)
def mmaction():
    return import_mmaction()


def save_mmengine_checkpoint(model: torch.nn.Module, path: str) -> None:
    """As MMAction2's Runner saves one: state_dict, meta, message hub."""
    hub = MessageHub('mmaction_test')
    hub.update_scalar('train/loss', 1.5)
    torch.save(
        dict(meta=dict(mmengine_version=mmengine.__version__, epoch=80,
                       cfg="model = dict(type='RecognizerGCN')", seed=0),
             state_dict=model.state_dict(), message_hub=hub.state_dict()),
        path)


def skeletons(num_node: int) -> torch.Tensor:
    return torch.randn(2, 3, 12, num_node, 2,
                       generator=torch.Generator().manual_seed(2))


def test_round_trip_through_the_tool(tmp_path):
    theirs = mmaction_stgcn('nturgb+d', 6, base_channels=8, num_stages=4,
                            inflate_stages=[3], down_stages=[3])
    source = str(tmp_path / 'mmaction.pth')
    save_mmengine_checkpoint(theirs, source)
    ours_file = str(tmp_path / 'ours.pth')
    output = run_tool(CONVERT, source, ours_file, cwd=str(tmp_path))
    assert (f"Converted {len(theirs.state_dict())} tensors of {source} "
            "(MMAction2 ST-GCN, layout 'nturgb+d') into a SkeletonRecognizer"
            f" checkpoint with 75 tensors: {ours_file}") in output
    assert "channels=[8, 8, 16, 16], strides=[1, 1, 2, 1]" in output

    checkpoint = load_checkpoint_file(ours_file)
    assert checkpoint['meta']['converted_from'] == source
    model = MODELS.build(checkpoint['meta']['model_cfg']).eval()
    model.load_state_dict(checkpoint['state_dict'], strict=True)
    x = skeletons(25)
    with torch.no_grad():
        torch.testing.assert_close(model(x), mmaction_logits(theirs, x),
                                   rtol=0, atol=1e-5)

    # back to PYSKL's head naming, then to ours again: the same tensors
    pyskl_file = str(tmp_path / 'pyskl.pth')
    output = run_tool(CONVERT, ours_file, pyskl_file, '--reverse',
                      '--format', 'pyskl', cwd=str(tmp_path))
    assert "for PYSKL (layout 'nturgb+d')" in output
    assert "'down_stages': [3]" in output
    written = load_checkpoint_file(pyskl_file)
    assert written['meta']['model_cfg']['backbone']['graph_cfg'] == dict(
        layout='nturgb+d', mode='stgcn_spatial')
    assert set(written['state_dict']) == {
        key.replace('cls_head.fc.', 'cls_head.fc_cls.')
        for key in theirs.state_dict()
    }
    again = str(tmp_path / 'again.pth')
    run_tool(CONVERT, pyskl_file, again, '--layout', 'nturgb+d',
             cwd=str(tmp_path))
    result = load_checkpoint_file(again)['state_dict']
    assert list(result) == list(checkpoint['state_dict'])
    for key, value in checkpoint['state_dict'].items():
        assert torch.equal(result[key], value), key


def test_the_wrong_layout_is_refused_and_nothing_written(tmp_path):
    theirs = mmaction_stgcn('nturgb+d', 6, **DEMO_TINY)
    source, out = str(tmp_path / 'theirs.pth'), str(tmp_path / 'out.pth')
    save_mmengine_checkpoint(theirs, source)
    output = run_tool(CONVERT, source, out, '--layout', 'ntu-rgb+d',
                      cwd=str(tmp_path), expect_rc=1)
    assert (f"error: the graph in {source} (shape (3, 25, 25)) is not "
            "layout 'ntu-rgb+d'") in output
    assert 'Use --layout nturgb+d' in output
    # a config with the other graph is refused too
    output = run_tool(CONVERT, source, out, '--config', DEMO_CONFIG,
                      '--cfg-options', *TINY_MODEL,
                      'model.cls_head.num_classes=6', cwd=str(tmp_path),
                      expect_rc=1)
    assert "the file's graph (backbone.gcn.*.gcn.A) is layout " \
        "'nturgb+d'" in output
    assert sorted(os.listdir(tmp_path)) == ['theirs.pth']


def test_other_files_are_refused(tmp_path):
    source, out = str(tmp_path / 'other.pth'), str(tmp_path / 'out.pth')
    torch.save(dict(state_dict={'backbone.conv.weight': torch.zeros(1)}),
               source)
    output = run_tool(CONVERT, source, out, cwd=str(tmp_path), expect_rc=1)
    assert 'is not an MMAction2/PYSKL ST-GCN checkpoint' in output
    output = run_tool(CONVERT, source, out, '--reverse', cwd=str(tmp_path),
                      expect_rc=1)
    assert 'is not an ST-GCN checkpoint of this framework' in output
    assert not osp.exists(out)


@pytest.mark.slow
def test_tools_test_evaluates_an_mmaction_checkpoint(tmp_path):
    (tmp_path / 'data').mkdir()
    data = make_demo_data(str(tmp_path / 'data'), num_train=4, num_val=4,
                          num_frames=12)
    theirs = mmaction_stgcn('nturgb+d', 8, **DEMO_TINY)
    source = str(tmp_path / 'mmaction_tiny.pth')
    save_mmengine_checkpoint(theirs, source)
    work_dir = str(tmp_path / 'work')
    common = ['--work-dir', work_dir, '--device', 'cpu', '--cfg-options',
              *TINY_MODEL, *data_options(data)]
    # the demo config's graph is the reference's: refused, named
    output = run_tool(tool('test.py'), DEMO_CONFIG, source, *common,
                      cwd=str(tmp_path), expect_rc=1)
    assert "is layout 'nturgb+d' (spatial, max_hop=1) but the model's is " \
        "layout 'ntu-rgb+d'" in output
    output = run_tool(tool('test.py'), DEMO_CONFIG, source, *common,
                      'model.backbone.graph_cfg.layout=nturgb+d',
                      cwd=str(tmp_path))
    converted = osp.join(work_dir, 'converted_mmaction_tiny.pth')
    assert ('Note: the checkpoint holds MMAction2 ST-GCN weights; '
            f'converted for this model to {converted}') in output
    assert 'acc/top1' in output
