"""Train a skeleton action recognizer from a config with mmengine's Runner.

Examples:
    python tools/train.py configs/stgcn_demo.py
    python tools/train.py configs/stgcn_ntu_xsub.py --device cpu \
        --cfg-options train_dataloader.dataset.data_path=my/train_data.npy
    python tools/train.py config/st_gcn/ntu-xsub/train.yaml  # original
    python tools/train.py mmaction2/configs/skeleton/stgcn/<config>.py
        # an MMAction2 config, converted into <work dir>/from_mmaction/
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args() -> argparse.Namespace:
    """Command line of the trainer."""
    from stgcn_reg.cli import common_args as common
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_config(parser)
    common.add_work_dir(parser, 'logs and checkpoints go')
    parser.add_argument(
        '--resume', nargs='?', const='auto', metavar='CHECKPOINT',
        help='resume training: alone, from the latest checkpoint in the '
        'work dir; with a path, from that checkpoint')
    parser.add_argument('--overwrite', action='store_true',
                        help='start a new run in a work dir that holds '
                        'checkpoints: they are moved to '
                        '<work dir>/replaced_<time>/ first')
    parser.add_argument('--load-from', metavar='CHECKPOINT',
                        help='initialise from pretrained weights: ours, '
                        'original ST-GCN or MMAction2/PYSKL (converted on '
                        'the fly), a file or an http(s) URL')
    common.add_trust_checkpoint(parser, common.TRUST_CHECKPOINTS)
    common.add_amp(parser, 'training')
    parser.add_argument('--compile', action='store_true',
                        help='run the STGCN blocks through torch.compile '
                        '(compiled on the first iteration)')
    parser.add_argument('--sync-bn', action='store_true',
                        help='synchronise BatchNorm statistics across GPUs '
                        '(torch.nn.SyncBatchNorm; CUDA only)')
    parser.add_argument('--auto-scale-lr', action='store_true',
                        help='scale the lr linearly with the total batch '
                        'size against auto_scale_lr.base_batch_size')
    common.add_device(parser)
    common.add_batch_size(parser,
                          'total training batch size over all processes')
    parser.add_argument('--test-batch-size', type=int,
                        help='validation batch size per process')
    parser.add_argument('--epochs', type=int, help='number of epochs')
    parser.add_argument('--lr', type=float, help='base learning rate')
    common.add_num_workers(parser)
    parser.add_argument('--seed', type=int, help='random seed')
    parser.add_argument('--deterministic', action='store_true',
                        help='deterministic algorithms (slower)')
    parser.add_argument('--save-interval', type=int,
                        help='save a checkpoint every N epochs')
    parser.add_argument('--eval-interval', type=int,
                        help='validate every N epochs')
    common.add_cfg_options(parser,
                           'train_dataloader.dataset.data_path=x.npy')
    common.add_launcher(parser, 'training')
    return parser.parse_args()


def build_config(args: argparse.Namespace, device: str):
    """Load the config and apply the command-line overrides."""
    from stgcn_reg.cli import config_overrides as overrides
    from stgcn_reg.cli import load_config
    from stgcn_reg.cli.launch import world_size_from_env

    cfg = load_config(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    overrides.set_work_dir(cfg, args.work_dir, args.config)
    cfg.launcher = args.launcher
    overrides.set_resume(cfg, args.resume)
    if args.load_from:
        cfg.load_from = args.load_from
    if args.amp or args.amp_dtype:
        from stgcn_reg.cli.speed_options import apply_amp
        print(apply_amp(cfg, device, args.amp_dtype or 'auto'))
    if args.compile:
        from stgcn_reg.cli.speed_options import set_backbone_option
        set_backbone_option(cfg, 'compile', True)
    if args.auto_scale_lr:
        cfg.auto_scale_lr.enable = True
    if args.sync_bn:
        if device != 'cuda':
            raise SystemExit('error: --sync-bn needs CUDA devices; '
                             'SyncBatchNorm does not run on CPU')
        cfg.sync_bn = 'torch'
    if args.batch_size is not None:
        overrides.set_batch_size(cfg, args.batch_size, world_size_from_env())
    if args.test_batch_size is not None:
        cfg.val_dataloader.batch_size = args.test_batch_size
    if args.epochs is not None:
        cfg.train_cfg.max_epochs = args.epochs
    if args.lr is not None:
        cfg.optim_wrapper.optimizer.lr = args.lr
    if args.num_workers is not None:
        overrides.set_num_workers(cfg, args.num_workers)
    if args.seed is not None:
        overrides.set_seed(cfg, args.seed, args.deterministic)
    if args.save_interval is not None:
        cfg.default_hooks.checkpoint.interval = args.save_interval
    if args.eval_interval is not None:
        cfg.train_cfg.val_interval = args.eval_interval
    return cfg


def use_yaml_config(args: argparse.Namespace) -> None:
    """Point ``args`` at the conversion of an original YAML config or of an
    MMAction2 config."""
    from stgcn_reg.cli.mmaction_args import use_mmaction_config
    from stgcn_reg.cli.yaml_args import converted_yaml, use_converted
    use_mmaction_config(args)
    converted = converted_yaml(args)
    if converted is None:
        return
    if converted.phase == 'test':
        sys.exit(f'error: {args.config} is a test config (phase: test); '
                 f'run tools/test.py {args.config}')
    use_converted(args, converted)


def main() -> None:
    """Train, then print where the results are."""
    args = parse_args()
    use_yaml_config(args)
    from stgcn_reg.cli.launch import select_device, shutdown_distributed
    device = select_device(args.device)
    from stgcn_reg.cli.tool_setup import build_runner
    runner = build_runner(lambda: build_config(args, device), device,
                          args.launcher, args.trust_checkpoint, training=True,
                          overwrite=args.overwrite)
    from stgcn_reg.cli.work_dir_checks import write_error_message
    from stgcn_reg.datasets.feeder_checks import SkeletonDataError
    try:
        runner.train()
    except SkeletonDataError as error:
        sys.exit(f'error: {error}')
    except OSError as error:
        message = write_error_message(error, runner.work_dir)
        if message is None:
            raise
        sys.exit(f'error: {message}')
    shutdown_distributed()


if __name__ == '__main__':
    main()
