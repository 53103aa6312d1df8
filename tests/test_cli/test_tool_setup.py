"""build_runner (tools/train.py and tools/test.py) ends with one error
line for a bad $STGCN_REG_MALLOC before it reads the config."""
import pytest

from stgcn_reg.cli.tool_setup import build_runner


def test_a_bad_malloc_setting_ends_the_tool_with_one_line(monkeypatch):
    monkeypatch.setenv('STGCN_REG_MALLOC', 'fast')

    def config_never_read():
        raise AssertionError('the config was read first')

    with pytest.raises(SystemExit) as stop:
        build_runner(config_never_read, 'cpu', 'none', False, training=True)
    assert str(stop.value) == (
        "error: $STGCN_REG_MALLOC='fast': expected keep (freed memory kept "
        'for reuse) or default (glibc as it is)')
