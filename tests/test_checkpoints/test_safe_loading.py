"""Checkpoints load with weights_only=True and an exact allowlist."""
import os

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import _load_checkpoint

from stgcn_reg.checkpoints import (
    UnsafeCheckpointError,
    install_safe_checkpoint_loader,
    load_checkpoint_file,
)


def mmengine_like_checkpoint() -> dict:
    """What mmengine's Runner stores: tensors, message hub, numpy values."""
    buffer = HistoryBuffer()
    buffer.update(0.5)
    buffer.update(0.25)
    return dict(
        meta=dict(epoch=2, seed=np.int64(7), best=np.float64(0.9),
                  cfg='model = dict()'),
        state_dict={'w': torch.ones(2)},
        message_hub=dict(log_scalars={'train/loss': buffer},
                         runtime_info={'iter': 8}, resumed_keys={}),
        extra=np.arange(3.0))


def test_mmengine_checkpoint_round_trips(tmp_path):
    path = str(tmp_path / 'epoch_2.pth')
    torch.save(mmengine_like_checkpoint(), path)
    loaded = load_checkpoint_file(path)
    buffer = loaded['message_hub']['log_scalars']['train/loss']
    assert buffer.mean() == pytest.approx(0.375)
    assert buffer.statistics('current') == pytest.approx(0.25)
    assert loaded['meta']['seed'] == 7
    np.testing.assert_array_equal(loaded['extra'], np.arange(3.0))


class RunsCommand:

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f'touch {self.marker}', )


class GetattrOutsideAllowlist:

    def __reduce__(self):
        return getattr, (HistoryBuffer, '__init__')


def test_code_in_a_checkpoint_is_refused(tmp_path):
    marker = tmp_path / 'pwned'
    path = str(tmp_path / 'evil.pth')
    torch.save({'state_dict': {}, 'x': RunsCommand(marker)}, path)
    with pytest.raises(UnsafeCheckpointError, match=r'evil.pth.*system'):
        load_checkpoint_file(path)
    assert not marker.exists()


def test_getattr_is_limited_to_history_buffer_statistics(tmp_path):
    path = str(tmp_path / 'getattr.pth')
    torch.save({'x': GetattrOutsideAllowlist()}, path)
    with pytest.raises(UnsafeCheckpointError, match='__init__'):
        load_checkpoint_file(path)


def test_trusted_flag_loads_anything(tmp_path):
    path = str(tmp_path / 'legacy.pth')
    torch.save({'x': GetattrOutsideAllowlist()}, path)
    assert callable(load_checkpoint_file(path, trusted=True)['x'])


def test_mmengine_loader_goes_through_the_allowlist(tmp_path):
    install_safe_checkpoint_loader()
    good, evil = str(tmp_path / 'good.pth'), str(tmp_path / 'evil.pth')
    torch.save(mmengine_like_checkpoint(), good)
    torch.save({'x': RunsCommand(tmp_path / 'pwned')}, evil)
    assert _load_checkpoint(good)['meta']['epoch'] == 2
    with pytest.raises(UnsafeCheckpointError):
        _load_checkpoint(evil)


def test_missing_checkpoint_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        load_checkpoint_file(str(tmp_path / 'nope.pth'))
