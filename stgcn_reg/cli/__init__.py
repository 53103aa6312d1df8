"""What the command-line tools share: config loading, checks, overrides,
launch and the runner set-up (nothing here runs inside training)."""
from stgcn_reg.cli.config_checks import check_config, load_config
from stgcn_reg.cli.config_overrides import StrictDictAction

__all__ = ['StrictDictAction', 'check_config', 'load_config']
