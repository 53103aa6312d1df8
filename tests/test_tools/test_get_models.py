"""tools/get_models.py and --load-from URL, against a loopback server."""
import io
import os
import os.path as osp
import socket

import pytest
import torch
from conftest import REPO_ROOT
from loopback_server import serve_loopback  # noqa: F401 (fixture)
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
from stgcn_reg.checkpoints.released_models import RELEASED_MODELS
from stgcn_reg.registry import MODELS

GET_MODELS = tool('get_models.py')


def saved_bytes(model: torch.nn.Module) -> bytes:
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    return buffer.getvalue()


def files_under(folder) -> list:
    return sorted(
        osp.relpath(osp.join(root, name), folder)
        for root, _, names in os.walk(folder) for name in names)


def test_released_models_fit_their_configs():
    assert {name: (model.filename, model.config, model.checkpoint_name)
            for name, model in RELEASED_MODELS.items()} == {
        'kinetics': ('st_gcn.kinetics.pt', 'configs/stgcn_kinetics.py',
                     'stgcn_kinetics.pth'),
        'ntu-xsub': ('st_gcn.ntu-xsub.pt', 'configs/stgcn_ntu_xsub.py',
                     'stgcn_ntu_xsub.pth'),
        'ntu-xview': ('st_gcn.ntu-xview.pt', 'configs/stgcn_ntu_xview.py',
                      'stgcn_ntu_xview.pth'),
    }
    for model in RELEASED_MODELS.values():
        assert osp.isfile(osp.join(REPO_ROOT, model.config))


def test_download_resumes_and_converts(loopback_server,
                                       tmp_path, default_scope):
    original = reference('ntu-rgb+d', 'spatial', 60)
    loopback_server.files['/st-gcn/st_gcn.ntu-xsub.pt'] = saved_bytes(
        original)
    # the connection drops halfway the first time
    loopback_server.drops['/st-gcn/st_gcn.ntu-xsub.pt'] = 1
    out_dir, cache = tmp_path / 'checkpoints', tmp_path / 'cache'
    output = run_tool(GET_MODELS, '--models', 'ntu-xsub', '--base-url',
                      loopback_server.url('st-gcn/'), '--out-dir',
                      str(out_dir), '--cache-dir', str(cache),
                      cwd=str(tmp_path))
    out = str(out_dir / 'stgcn_ntu_xsub.pth')
    assert (f'ntu-xsub: st_gcn.ntu-xsub.pt -> {out} (for '
            'configs/stgcn_ntu_xsub.py)') in output
    assert 'resuming' in output
    ranges = [r for _, r in loopback_server.requests]
    assert ranges[0] is None and ranges[1].startswith('bytes=')
    # the complete download stays cached; no .part or lock file is left
    cached = files_under(cache)
    assert len(cached) == 1 and cached[0].endswith('st_gcn.ntu-xsub.pt')
    assert os.listdir(out_dir) == ['stgcn_ntu_xsub.pth']

    checkpoint = load_checkpoint_file(out)
    assert checkpoint['meta']['converted_from'] == loopback_server.url(
        'st-gcn/st_gcn.ntu-xsub.pt')
    cfg = Config.fromfile(osp.join(REPO_ROOT, 'configs/stgcn_ntu_xsub.py'))
    model = MODELS.build(cfg.model).eval()
    model.load_state_dict(checkpoint['state_dict'], strict=True)
    x = torch.randn(2, 3, 12, 25, 2,
                    generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        torch.testing.assert_close(model(x), original(x), rtol=0, atol=1e-5)

    # a second run reuses the cache: no new request
    count = len(loopback_server.requests)
    run_tool(GET_MODELS, '--models', 'ntu-xsub', '--base-url',
             loopback_server.url('st-gcn/'), '--out-dir', str(out_dir),
             '--cache-dir', str(cache), cwd=str(tmp_path))
    assert len(loopback_server.requests) == count


def test_404_and_offline_leave_nothing(loopback_server,
                                       tmp_path):
    out_dir, cache = tmp_path / 'checkpoints', tmp_path / 'cache'
    base = loopback_server.url('st-gcn/')
    output = run_tool(GET_MODELS, '--models', 'kinetics', '--base-url', base,
                      '--out-dir', str(out_dir), '--cache-dir', str(cache),
                      cwd=str(tmp_path), expect_rc=1)
    assert (f'error: kinetics: cannot download {base}st_gcn.kinetics.pt: '
            'HTTP 404 Not Found') in output
    assert 'error: not converted: kinetics' in output

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    output = run_tool(GET_MODELS, '--models', 'ntu-xview', '--base-url',
                      f'http://127.0.0.1:{port}/st-gcn', '--out-dir',
                      str(out_dir), '--cache-dir', str(cache),
                      cwd=str(tmp_path), expect_rc=1)
    assert f'error: ntu-xview: cannot reach 127.0.0.1:{port}' in output
    assert 'are you offline?' in output
    assert files_under(tmp_path) == []


def test_a_file_that_does_not_fit_is_refused(loopback_server,
                                             tmp_path):
    # Kinetics weights served under the NTU name: checked, not written
    loopback_server.files['/st_gcn.ntu-xview.pt'] = saved_bytes(
        reference('openpose', 'spatial', 400))
    out_dir = tmp_path / 'checkpoints'
    output = run_tool(GET_MODELS, '--models', 'ntu-xview', '--base-url',
                      loopback_server.url(''), '--out-dir', str(out_dir),
                      '--cache-dir', str(tmp_path / 'cache'),
                      '--no-progress', cwd=str(tmp_path), expect_rc=1)
    assert 'the original ST-GCN state dict does not fit' in output
    assert 'data_bn.weight: file (54,) vs model (75,)' in output
    assert not osp.exists(out_dir)


@pytest.mark.slow
def test_train_and_test_load_from_a_url(loopback_server,
                                        tmp_path):
    (tmp_path / 'data').mkdir()
    data = make_demo_data(str(tmp_path / 'data'), num_train=8, num_val=4,
                          num_frames=12)
    original = reference('ntu-rgb+d', 'spatial', 8, blocks=TINY_BLOCKS)
    loopback_server.files['/models/st_gcn.tiny.pt'] = saved_bytes(original)
    url = loopback_server.url('models/st_gcn.tiny.pt')
    work_dir, cache = str(tmp_path / 'work'), str(tmp_path / 'cache')
    env = dict(STGCN_REG_CACHE=cache)
    # lr 0: the trained weights must still be the downloaded ones
    output = run_tool(
        tool('train.py'), DEMO_CONFIG, '--work-dir', work_dir, '--device',
        'cpu', '--epochs', '1', '--batch-size', '4', '--lr', '0',
        '--load-from', url, '--cfg-options', *TINY_MODEL,
        *data_options(data), cwd=str(tmp_path), extra_env=env)
    cached = files_under(cache)
    assert len(cached) == 1 and cached[0].endswith('st_gcn.tiny.pt')
    assert ('Note: the checkpoint was downloaded to '
            f'{osp.join(cache, cached[0])}') in output
    assert 'holds original ST-GCN weights' in output
    trained = load_checkpoint_file(osp.join(work_dir, 'epoch_1.pth'))
    torch.testing.assert_close(
        trained['state_dict']['backbone.blocks.2.gcn.conv.weight'],
        original.state_dict()['st_gcn_networks.2.gcn.conv.weight'])

    # tools/test.py takes the URL too (from the cache, no new request)
    output = run_tool(
        tool('test.py'), DEMO_CONFIG, url, '--work-dir', work_dir,
        '--device', 'cpu', '--cfg-options', *TINY_MODEL, *data_options(data),
        cwd=str(tmp_path), extra_env=env)
    assert 'acc/top1' in output
    assert len(loopback_server.requests) == 1
