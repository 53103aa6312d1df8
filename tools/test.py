"""Evaluate a trained skeleton action recognizer on the test split.

Examples:
    python tools/test.py configs/stgcn_demo.py \
        work_dirs/stgcn_demo/best_acc_top1_epoch_30.pth --dump scores.pkl
    python tools/test.py config/st_gcn/ntu-xsub/test.yaml  # its weights
    python tools/test.py mmaction2/configs/skeleton/stgcn/<config>.py \
        work_dirs/<config>/epoch_16.pth  # an MMAction2 config, converted
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
    from stgcn_reg.cli import common_args as common
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_config(parser)
    parser.add_argument('checkpoint', nargs='?',
                        help='checkpoint to evaluate, a file or an '
                        'http(s) URL (default for a .yaml config: its '
                        'weights)')
    common.add_work_dir(parser, 'the test log goes')
    parser.add_argument('--dump', metavar='SCORES.pkl',
                        help='write per-sample scores, names and labels '
                        'for score fusion')
    common.add_device(parser)
    common.add_batch_size(parser, 'test batch size per process')
    common.add_num_workers(parser)
    common.add_trust_checkpoint(parser)
    common.add_cfg_options(parser, 'test_dataloader.dataset.data_path=x.npy')
    common.add_launcher(parser, 'testing')
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
    """Point ``args`` at the conversion of an original YAML config or of an
    MMAction2 config."""
    from stgcn_reg.cli.mmaction_args import use_mmaction_config
    from stgcn_reg.cli.yaml_args import converted_yaml, use_converted
    use_mmaction_config(args)
    converted = converted_yaml(args)
    if converted is not None:
        use_converted(args, converted)
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
