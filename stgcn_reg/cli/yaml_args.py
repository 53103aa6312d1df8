"""Run a tool on an original ST-GCN YAML: on its conversion, in its place."""
import argparse
import sys
from typing import Optional

from stgcn_reg.compat.yaml_migration import (
    ConvertedYaml,
    is_yaml_config,
    prepare_yaml_config,
)


def converted_yaml(args: argparse.Namespace) -> Optional[ConvertedYaml]:
    """``args.config`` converted when it is an original YAML, else None;
    exits with one error line when it cannot be converted."""
    if not is_yaml_config(args.config):
        return None
    try:
        return prepare_yaml_config(args.config, args.work_dir)
    except (FileNotFoundError, ValueError) as error:
        sys.exit(f'error: {error}')


def use_converted(args: argparse.Namespace, converted: ConvertedYaml) -> None:
    """Print the conversion note; point ``args`` at the converted config,
    its work dir and (unless given) its device."""
    print(converted.message(args.config))
    args.config, args.work_dir = converted.config_path, converted.work_dir
    args.device = args.device or converted.device
