"""Evaluate a trained skeleton action recognizer on the test split.

Examples:
    python tools/test.py configs/stgcn_demo.py \
        work_dirs/stgcn_demo/best_acc_top1_epoch_30.pth --dump scores.pkl
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args() -> argparse.Namespace:
    """Command line of the tester."""
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='config file (.py)')
    parser.add_argument('checkpoint', help='checkpoint to evaluate')
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
    from mmengine.config import Config

    from stgcn_reg.engine import config_overrides as overrides

    cfg = Config.fromfile(args.config)
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


def format_metrics(metrics: dict) -> str:
    """One line per metric, accuracies in percent."""
    return '\n'.join(f'{name:>28}: {value:.2f}'
                     for name, value in sorted(metrics.items()))


def main() -> None:
    """Test, print the metrics and say where the scores went."""
    args = parse_args()
    from stgcn_reg.engine.launch import init_cpu_distributed, select_device
    device = select_device(args.device)
    from mmengine.dist import is_main_process
    from mmengine.runner import Runner

    from stgcn_reg.engine import install_safe_checkpoint_loader
    install_safe_checkpoint_loader(trusted=args.trust_checkpoint)
    if not osp.isfile(args.checkpoint):
        sys.exit(f'error: checkpoint {args.checkpoint!r} not found')
    cfg = build_config(args)
    if device == 'cpu':
        init_cpu_distributed(args.launcher)
    runner = Runner.from_cfg(cfg)
    metrics = runner.test()
    if is_main_process():
        print(f'Test results of {args.checkpoint}:')
        print(format_metrics(metrics))
        if args.dump:
            print(f'Per-sample scores written to {args.dump}')


if __name__ == '__main__':
    main()
