"""A trained MMAction2 ST-GCN++ through tools/convert_mmaction_checkpoint.py,
--load-from and init_recognizer: equal logits on real NTU input.

MMAction2's model is built from its own NTU-60 ST-GCN++ config, given
random weights, BN statistics and learned graphs, then two SGD steps on
real NTU skeletons (tests/mmaction_stgcnpp.py). Logits are compared in
eval mode on two real 3-D clips of 2 persons and 100 frames. Skips,
saying why, without MMAction2 or the shared data.
"""
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
from conftest import REPO_ROOT
from mmaction_reference import mmaction_logits
from mmaction_stgcnpp import (
    build_mmaction,
    mmaction_stgcnpp,
    mmaction_stgcnpp_cfg,
    real_ntu_skeletons,
    train_a_little,
)
from mmengine.config import Config
from tool_runner import run_tool, tool

from stgcn_reg.checkpoints import build_model_from_config, load_checkpoint_file
from stgcn_reg.graphs import Graph

CONVERT = tool('convert_mmaction_checkpoint.py')
CONFIG = osp.join(REPO_ROOT, 'configs', 'stgcnpp_ntu_xsub_joint.py')


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    """The trained MMAction2 file, its logits on real input and the tool's
    conversion of it."""
    theirs = train_a_little(mmaction_stgcnpp(seed=0), real_ntu_skeletons(24))
    start = torch.as_tensor(Graph('nturgb+d', mode='spatial').A)
    assert not torch.allclose(theirs.backbone.gcn[3].gcn.A, start, atol=1e-3)
    assert not torch.allclose(theirs.backbone.gcn[3].tcn.bn.running_var,
                              torch.ones(64))
    folder = tmp_path_factory.mktemp('stgcnpp')
    source = str(folder / 'stgcnpp_mmaction.pth')
    torch.save(dict(state_dict=theirs.state_dict(),
                    meta=dict(epoch=80, seed=0)), source)
    x = real_ntu_skeletons(100)
    ours_file = str(folder / 'stgcnpp_ours.pth')
    output = run_tool(CONVERT, source, ours_file, cwd=str(folder))
    return SimpleNamespace(theirs=theirs, source=source, x=x,
                           expected=mmaction_logits(theirs, x),
                           ours_file=ours_file, output=output,
                           folder=folder)


def logits_of(model: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        return model.eval()(x)


def assert_same_logits(expected: torch.Tensor, actual: torch.Tensor) -> None:
    assert expected.shape == (2, 60) and expected.std() > 0.05
    torch.testing.assert_close(actual, expected, rtol=0, atol=1e-5)


def test_the_tool_converts_it_with_equal_logits(trained):
    assert (f'Converted 692 tensors of {trained.source} (MMAction2 '
            "ST-GCN++, layout 'nturgb+d') into a SkeletonRecognizer "
            f'checkpoint with 692 tensors: {trained.ours_file}'
            in trained.output)
    assert ("Its model: STGCNPP, layout='nturgb+d', mode='spatial', "
            'in_channels=3, channels=[64, 64, 64, 64, 128, 128, 128, 256, '
            '256, 256], strides=[1, 1, 1, 1, 2, 1, 1, 2, 1, 1], '
            'num_classes=60' in trained.output)
    checkpoint = load_checkpoint_file(trained.ours_file)
    model_cfg = checkpoint['meta']['model_cfg']
    # the model of our config file, graph included
    assert model_cfg['backbone']['graph_cfg'] == Config.fromfile(
        CONFIG).model.backbone.graph_cfg
    model = build_model_from_config(model_cfg)
    model.load_state_dict(checkpoint['state_dict'], strict=True)
    assert_same_logits(trained.expected, logits_of(model, trained.x))


def test_reverse_gives_a_file_mmaction_loads_strictly(trained):
    back = str(trained.folder / 'back_to_mmaction.pth')
    output = run_tool(CONVERT, trained.ours_file, back, '--reverse',
                      cwd=str(trained.folder))
    assert f"Wrote 692 tensors for MMAction2 (layout 'nturgb+d'): {back}" \
        in output
    written = load_checkpoint_file(back)
    their_cfg = mmaction_stgcnpp_cfg()
    again = build_mmaction(their_cfg).eval()
    again.load_state_dict(written['state_dict'], strict=True)
    assert list(written['state_dict']) == list(
        trained.theirs.state_dict())
    for key, value in trained.theirs.state_dict().items():
        assert torch.equal(written['state_dict'][key], value), key
    assert_same_logits(trained.expected, mmaction_logits(again, trained.x))
    # the suggested config is MMAction2's own model
    suggested = written['meta']['model_cfg']['backbone']
    for key, value in their_cfg['backbone'].items():
        assert suggested[key] == value, key


def test_load_from_converts_it_for_the_config(trained, default_scope):
    from stgcn_reg.checkpoints.load_from import convert_foreign_load_from
    cfg = Config.fromfile(CONFIG)
    cfg.work_dir = str(trained.folder / 'work')
    cfg.load_from = trained.source
    out, source_format = convert_foreign_load_from(cfg)
    assert source_format == 'MMAction2 ST-GCN++'
    assert out == osp.join(cfg.work_dir, 'converted_stgcnpp_mmaction.pth')
    converted = load_checkpoint_file(out)['state_dict']
    reference = load_checkpoint_file(trained.ours_file)['state_dict']
    assert list(converted) == list(reference)
    for key, value in reference.items():
        assert torch.equal(converted[key], value), key


def test_init_recognizer_takes_it(trained):
    from stgcn_reg.apis import init_recognizer
    model, _ = init_recognizer(CONFIG, trained.source)
    assert_same_logits(trained.expected, logits_of(model, trained.x))


def test_a_wrong_layout_is_refused_in_one_line(trained):
    out = str(trained.folder / 'refused.pth')
    output = run_tool(CONVERT, trained.source, out, '--layout', 'coco',
                      cwd=str(trained.folder), expect_rc=1)
    assert (f'error: the learned graphs in {trained.source} join 25 '
            "joints, layout 'coco' has 17\n") in output
    assert not osp.exists(out)


def test_an_unsupported_variant_is_refused_in_one_line(tmp_path):
    # an edge importance PA beside the multi-scale temporal convs
    theirs = mmaction_stgcnpp(seed=1, gcn_adaptive='importance',
                              base_channels=8, num_stages=2,
                              inflate_stages=[], down_stages=[])
    source, out = str(tmp_path / 'pa.pth'), str(tmp_path / 'out.pth')
    torch.save(dict(state_dict=theirs.state_dict(), meta={}), source)
    output = run_tool(CONVERT, source, out, cwd=str(tmp_path), expect_rc=1)
    assert (f'error: {source}: an MMAction2/PYSKL ST-GCN++ with an edge '
            "importance backbone.gcn.0.gcn.PA (gcn_adaptive='importance' "
            "or 'offset'): STGCNPP learns the graph itself (gcn_adaptive="
            "'init') only, which is not supported\n") in output
    assert not osp.exists(out)
