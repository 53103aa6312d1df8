"""Evaluate a trained skeleton action recognizer on the test split.

Examples:
    python tools/test.py configs/stgcn_demo.py \
        work_dirs/stgcn_demo/best_acc_top1_epoch_30.pth --dump scores.pkl
    python tools/test.py config/st_gcn/ntu-xsub/test.yaml  # its weights
"""
import argparse
import os.path as osp
import sys
from typing import Dict

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

# config keys of the files a dataset reads
DATASET_FILE_KEYS = ('data_path', 'label_path', 'ann_file')


def parse_args() -> argparse.Namespace:
    """Command line of the tester."""
    from stgcn_reg.cli import StrictDictAction as DictAction
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='config file (.py, or an original '
                        'ST-GCN .yaml, converted on the fly)')
    parser.add_argument('checkpoint', nargs='?',
                        help='checkpoint to evaluate, a file or an '
                        'http(s) URL (default for a .yaml config: its '
                        'weights)')
    parser.add_argument('--work-dir', help='where the test log goes '
                        '(default: work_dirs/<config name>)')
    parser.add_argument('--dump', metavar='SCORES.pkl',
                        help='write per-sample scores, names and labels '
                        'for score fusion')
    parser.add_argument('--device', choices=['cpu', 'cuda'],
                        help='default: cuda when available')
    parser.add_argument('--batch-size', type=int,
                        help='test batch size per process')
    parser.add_argument('--num-workers', type=int,
                        help='dataloader worker processes')
    parser.add_argument('--trust-checkpoint', action='store_true',
                        help='load the checkpoint without the safety '
                        'allowlist (only for files you made)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        metavar='KEY=VALUE',
                        help='override config keys, e.g. '
                        'test_dataloader.dataset.data_path=x.npy')
    parser.add_argument('--launcher', default='none',
                        choices=['none', 'pytorch', 'slurm'],
                        help='job launcher for distributed testing')
    parser.add_argument('--local-rank', '--local_rank', type=int, default=0,
                        help=argparse.SUPPRESS)
    return parser.parse_args()


def build_config(args: argparse.Namespace):
    """Load the config and apply the command-line overrides."""
    from stgcn_reg.cli import config_overrides as overrides
    from stgcn_reg.cli import load_config

    cfg = load_config(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    overrides.set_work_dir(cfg, args.work_dir, args.config)
    cfg.launcher = args.launcher
    cfg.load_from = args.checkpoint
    cfg.resume = False
    if args.batch_size is not None:
        cfg.test_dataloader.batch_size = args.batch_size
    if args.num_workers is not None:
        overrides.set_num_workers(cfg, args.num_workers)
    if args.dump:
        overrides.add_score_dump(cfg, args.dump)
    return cfg


def dataset_files(dataset, where: str) -> Dict[str, str]:
    """The files a dataset config reads, by config key (wrappers too)."""
    files: Dict[str, str] = {}
    if isinstance(dataset, (list, tuple)):
        for index, item in enumerate(dataset):
            files.update(dataset_files(item, f'{where}.{index}'))
    elif isinstance(dataset, dict):
        files.update((f'{where}.{key}', dataset[key])
                     for key in DATASET_FILE_KEYS
                     if isinstance(dataset.get(key), str))
        for key in ('dataset', 'datasets'):
            files.update(dataset_files(dataset.get(key), f'{where}.{key}'))
    return files


def checked_config(args: argparse.Namespace, config_file: str):
    """:func:`build_config`, refusing a ``--dump`` over an input."""
    from stgcn_reg.utils import refuse_overwriting_inputs
    cfg = build_config(args)
    inputs = {'CONFIG': config_file, 'CHECKPOINT': args.checkpoint}
    if args.config != config_file:  # an original YAML, converted
        inputs['CONFIG (converted)'] = args.config
    loader = cfg.get('test_dataloader') or {}
    inputs.update(dataset_files(loader.get('dataset'),
                                'test_dataloader.dataset'))
    refuse_overwriting_inputs({'--dump': args.dump}, inputs)
    return cfg


def format_metrics(metrics: dict) -> str:
    """One line per metric, accuracies in percent."""
    return '\n'.join(f'{name:>28}: {value:.2f}'
                     for name, value in sorted(metrics.items()))


def use_yaml_config(args: argparse.Namespace) -> None:
    """Point ``args`` at the Python conversion of an original YAML config."""
    from stgcn_reg.compat import yaml_migration
    if yaml_migration.is_yaml_config(args.config):
        try:
            converted = yaml_migration.prepare_yaml_config(
                args.config, args.work_dir)
        except (FileNotFoundError, ValueError) as error:
            sys.exit(f'error: {error}')
        print(converted.message(args.config))
        args.config, args.work_dir = converted.config_path, converted.work_dir
        args.device = args.device or converted.device
        args.checkpoint = args.checkpoint or converted.checkpoint
    if args.checkpoint is None:
        sys.exit('error: give the CHECKPOINT to evaluate')


def main() -> None:
    """Test, print the metrics and say where the scores went."""
    args = parse_args()
    config_file = args.config
    use_yaml_config(args)
    from stgcn_reg.cli.launch import select_device, shutdown_distributed
    device = select_device(args.device)
    from mmengine.dist import is_main_process

    from stgcn_reg.cli.tool_setup import build_runner
    from stgcn_reg.utils.download import is_url
    if not is_url(args.checkpoint) and not osp.isfile(args.checkpoint):
        sys.exit(f'error: checkpoint {args.checkpoint!r} not found')
    runner = build_runner(lambda: checked_config(args, config_file), device,
                          args.launcher, args.trust_checkpoint,
                          training=False)
    from stgcn_reg.datasets.feeder_checks import SkeletonDataError
    try:
        metrics = runner.test()
    except SkeletonDataError as error:
        sys.exit(f'error: {error}')
    if is_main_process():
        print(f'Test results of {args.checkpoint}:')
        print(format_metrics(metrics))
        if args.dump:
            print(f'Per-sample scores written to {args.dump}')
    shutdown_distributed()


if __name__ == '__main__':
    main()
