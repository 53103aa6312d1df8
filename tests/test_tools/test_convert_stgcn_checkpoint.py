"""tools/convert_stgcn_checkpoint.py and --load-from an original .pt."""
import os
import os.path as osp
from collections import OrderedDict

import pytest
import torch
from conftest import REPO_ROOT
from mmengine.config import Config
from reference_stgcn import TINY_BLOCKS, reference
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

CONVERT = tool('convert_stgcn_checkpoint.py')


def config_path(name: str) -> str:
    return osp.join(REPO_ROOT, 'configs', name)


def logits(model: torch.nn.Module, num_node: int) -> torch.Tensor:
    x = torch.randn(2, 3, 12, num_node, 2,
                    generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        return model.eval()(x)


@pytest.mark.parametrize('config, layout, num_class, two_stream', [
    ('stgcn_ntu_xsub.py', 'ntu-rgb+d', 60, False),
    ('stgcn_twostream_kinetics.py', 'openpose', 400, True),
])
def test_round_trip_gives_the_reference_logits(default_scope, tmp_path,
                                               config, layout, num_class,
                                               two_stream):
    original = reference(layout, 'spatial', num_class,
                         two_stream=two_stream)
    # as saved from nn.DataParallel
    state_dict = OrderedDict(
        (f'module.{key}', value)
        for key, value in original.state_dict().items())
    source, out = str(tmp_path / 'original.pt'), str(tmp_path / 'out.pth')
    torch.save(state_dict, source)
    output = run_tool(CONVERT, source, out, '--config', config_path(config),
                      cwd=str(tmp_path))
    assert f'Converted {len(state_dict)} tensors' in output

    checkpoint = load_checkpoint_file(out)
    assert checkpoint['meta']['converted_from'] == source
    model = MODELS.build(Config.fromfile(config_path(config)).model)
    model.load_state_dict(checkpoint['state_dict'], strict=True)
    num_node = original.state_dict()[
        'origin_stream.A' if two_stream else 'A'].shape[1]
    torch.testing.assert_close(
        logits(model, num_node), logits(original, num_node), rtol=0,
        atol=1e-5)


def test_a_mismatch_writes_nothing(tmp_path):
    source, out = str(tmp_path / 'ntu.pt'), str(tmp_path / 'out.pth')
    torch.save(reference('ntu-rgb+d', 'spatial', 60).state_dict(), source)
    output = run_tool(CONVERT, source, out, '--config',
                      config_path('stgcn_kinetics.py'), cwd=str(tmp_path),
                      expect_rc=1)
    assert 'error: the original ST-GCN state dict does not fit' in output
    assert 'data_bn.weight: file (75,) vs model (54,)' in output
    assert 'fcn.weight: file (60, 256, 1, 1) vs model (400, 256)' in output
    assert os.listdir(tmp_path) == ['ntu.pt']


def test_another_checkpoint_is_not_converted(tmp_path):
    source, out = str(tmp_path / 'ours.pth'), str(tmp_path / 'out.pth')
    torch.save(dict(state_dict={'backbone.A': torch.zeros(1)}), source)
    output = run_tool(CONVERT, source, out, '--config',
                      config_path('stgcn_kinetics.py'), cwd=str(tmp_path),
                      expect_rc=1)
    assert 'is not an original ST-GCN state dict' in output
    assert not osp.exists(out)


@pytest.mark.slow
def test_train_and_test_from_an_original_pt(tmp_path):
    (tmp_path / 'data').mkdir()
    data = make_demo_data(str(tmp_path / 'data'), num_train=8, num_val=4,
                          num_frames=12)
    original = reference('ntu-rgb+d', 'spatial', 8, blocks=TINY_BLOCKS)
    source = str(tmp_path / 'st_gcn.tiny.pt')
    torch.save(original.state_dict(), source)
    work_dir = str(tmp_path / 'work')
    # lr 0: the trained weights must still be the original ones
    output = run_tool(
        tool('train.py'), DEMO_CONFIG, '--work-dir', work_dir, '--device',
        'cpu', '--epochs', '1', '--batch-size', '4', '--lr', '0',
        '--load-from', source, '--cfg-options', *TINY_MODEL,
        *data_options(data), cwd=str(tmp_path))
    converted = osp.join(work_dir, 'converted_st_gcn.tiny.pth')
    assert ('Note: the checkpoint holds original ST-GCN weights; '
            f'converted for this model to {converted}') in output
    assert f'Load checkpoint from {converted}' in output
    trained = load_checkpoint_file(osp.join(work_dir, 'epoch_1.pth'))
    for key, ours in (('st_gcn_networks.2.gcn.conv.weight',
                       'backbone.blocks.2.gcn.conv.weight'),
                      ('edge_importance.1', 'backbone.edge_importance.1')):
        torch.testing.assert_close(trained['state_dict'][ours],
                                   original.state_dict()[key])

    # tools/test.py evaluates the original file directly
    output = run_tool(
        tool('test.py'), DEMO_CONFIG, source, '--work-dir', work_dir,
        '--device', 'cpu', '--cfg-options', *TINY_MODEL, *data_options(data),
        cwd=str(tmp_path))
    assert 'Note: the checkpoint holds original ST-GCN weights' in output
    assert 'acc/top1' in output
