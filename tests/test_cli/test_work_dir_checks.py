"""Work dir checks before training, and the relative last_checkpoint."""
import errno
import os

import pytest
import torch

from stgcn_reg.cli.work_dir_checks import (
    WorkDirError,
    prepare_work_dir,
    write_error_message,
)
from stgcn_reg.engine.hooks.checkpoint_dir_cleanup import (
    remove_stale_temp_files,
    remove_unkept_checkpoints,
)
from stgcn_reg.engine.last_checkpoint import (
    read_last_checkpoint,
    write_last_checkpoint,
)


def fake_run(folder, best=0.5):
    """A work dir as a run leaves it: config, checkpoints, last record."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / 'stgcn_demo.py').write_text('x = 1\n')
    hub = dict(runtime_info={'best_score': best})
    for epoch in (1, 2):
        torch.save(dict(meta=dict(epoch=epoch), message_hub=hub),
                   folder / f'epoch_{epoch}.pth')
    torch.save(dict(meta=dict(epoch=2)), folder / 'best_acc_top1_epoch_2.pth')
    write_last_checkpoint(str(folder / 'epoch_2.pth'), str(folder))
    return folder


def test_last_checkpoint_is_relative_and_survives_a_move(tmp_path):
    run = fake_run(tmp_path / 'a')
    assert (run / 'last_checkpoint').read_text() == 'epoch_2.pth'
    moved = tmp_path / 'b'
    run.rename(moved)
    assert read_last_checkpoint(str(moved)) == str(moved / 'epoch_2.pth')
    # an absolute record (mmengine's, older runs) of a moved dir
    (moved / 'last_checkpoint').write_text(str(run / 'epoch_2.pth'))
    assert read_last_checkpoint(str(moved)) == str(moved / 'epoch_2.pth')
    assert read_last_checkpoint(str(tmp_path)) is None


def test_fresh_run_over_another_run_is_refused_and_described(tmp_path):
    run = fake_run(tmp_path / 'work')
    before = sorted(os.listdir(run))
    with pytest.raises(WorkDirError) as error:
        prepare_work_dir(str(run), resume=False, overwrite=False)
    message = str(error.value)
    assert '\n' not in message
    for part in ('already holds a run', 'config stgcn_demo.py',
                 'best_acc_top1_epoch_2.pth', 'epoch_1.pth', 'epoch_2.pth',
                 'best score 0.5', '--resume', '--work-dir', '--overwrite'):
        assert part in message, part
    assert sorted(os.listdir(run)) == before
    assert prepare_work_dir(str(run), resume=True, overwrite=False) is None


def test_overwrite_moves_the_old_run_aside(tmp_path):
    run = fake_run(tmp_path / 'work')
    moved = prepare_work_dir(str(run), resume=False, overwrite=True)
    assert sorted(os.listdir(moved)) == [
        'best_acc_top1_epoch_2.pth', 'epoch_1.pth', 'epoch_2.pth',
        'last_checkpoint'
    ]
    assert 'epoch_1.pth' not in os.listdir(run)
    # the next fresh run there is not refused
    prepare_work_dir(str(run), resume=False, overwrite=False)
    with pytest.raises(WorkDirError, match='exclude each other'):
        prepare_work_dir(str(run), resume=True, overwrite=True)


def test_work_dir_naming_a_file_or_unwritable(tmp_path):
    a_file = tmp_path / 'file'
    a_file.write_text('')
    with pytest.raises(WorkDirError, match='is a file, not a folder'):
        prepare_work_dir(str(a_file), resume=False, overwrite=False)
    with pytest.raises(WorkDirError, match='cannot write to work dir'):
        prepare_work_dir(str(a_file / 'sub'), resume=False,
                         overwrite=False)


def test_write_errors_become_one_line():
    full = OSError(errno.ENOSPC, 'No space left on device', '/w/epoch_3.pth')
    message = write_error_message(full, '/w')
    assert message == ('cannot write /w/epoch_3.pth: No space left on '
                       'device; the checkpoints saved before are intact')
    unnamed = OSError(errno.EROFS, 'Read-only file system')
    assert 'into work dir /w' in write_error_message(unnamed, '/w')
    assert write_error_message(OSError(errno.ENOENT, 'gone'), '/w') is None


def test_stale_temp_files_and_unkept_checkpoints(tmp_path):
    dead = 2**22 + 12345  # above the default pid_max of 2**22
    for name in (f'.last_checkpoint.tmp.{dead}', f'.epoch_3.pth.tmp.{dead}',
                 f'.clip.mp4.tmp.{dead}.mp4', f'.mine.tmp.{os.getpid()}'):
        (tmp_path / name).write_text('')
    removed = remove_stale_temp_files([str(tmp_path), str(tmp_path)])
    assert len(removed) == 3
    assert os.listdir(tmp_path) == [f'.mine.tmp.{os.getpid()}']
    for epoch in (1, 2, 3, 4, 5):
        (tmp_path / f'epoch_{epoch}.pth').write_text('')
    remove_unkept_checkpoints(str(tmp_path), 'epoch_{}.pth', [3, 4])
    assert sorted(n for n in os.listdir(tmp_path) if n[0] != '.') == [
        'epoch_3.pth', 'epoch_4.pth', 'epoch_5.pth'
    ]
