"""Run a tool on an MMAction2 config: on its conversion, in its place."""
import argparse
import sys


def use_mmaction_config(args: argparse.Namespace) -> None:
    """Point ``args.config`` and ``args.work_dir`` at the conversion of an
    MMAction2 config, printing the note; exits with one error line when
    it cannot be converted. Other configs are left alone.

    The tool's ``--cfg-options`` then apply to the converted config; the
    loaders, datasets and pipelines keep MMAction2's nesting, so e.g.
    ``train_dataloader.dataset.dataset.ann_file=...`` works as in MMAction2.
    """
    from stgcn_reg.compat.mmaction_config import (
        is_mmaction_config,
        prepare_mmaction_config,
    )
    if not is_mmaction_config(args.config):
        return
    try:
        converted = prepare_mmaction_config(args.config, args.work_dir)
    except (FileNotFoundError, ValueError) as error:
        sys.exit(f'error: {error}')
    print(converted.message(args.config))
    args.config, args.work_dir = converted.config_path, converted.work_dir
