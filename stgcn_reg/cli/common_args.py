"""The command-line flags several tools share, each added by one call."""
import argparse
from typing import Any, Optional, Union

from .config_overrides import StrictDictAction

# the rate the Kinetics-skeleton data (and so its models) were made at
KINETICS_FPS = 30.0

# --trust-checkpoint help of a tool that loads the checkpoint it is given
TRUST_CHECKPOINT = ('load the checkpoint without the safety allowlist '
                    '(only for files you made)')
# ... of the trainer, which may load several (--load-from, --resume)
TRUST_CHECKPOINTS = ('load checkpoints without the safety allowlist '
                     '(runs code they name; only for files you made)')
# ... of a converter, whose input is a checkpoint
TRUST_INPUT = ('load the input without the safety allowlist '
               '(runs code it names; only for files you made)')


def add_config(parser: argparse.ArgumentParser) -> None:
    """The ``config`` argument of the tools that also read original YAML."""
    parser.add_argument('config', help='config file (.py, or an original '
                        'ST-GCN .yaml, converted on the fly)')


WEIGHTS = ('trained weights (mmengine checkpoint, MMAction2/PYSKL ST-GCN '
           'or ST-GCN++ checkpoint or original ST-GCN .pt)')


def add_model(parser: argparse.ArgumentParser, onnx: bool = False) -> None:
    """The ``config`` and ``checkpoint`` arguments of the tools that load a
    trained model; ``onnx``: a ``.onnx`` file is accepted too."""
    parser.add_argument('config', help='model config (.py)')
    parser.add_argument('checkpoint', help=WEIGHTS + (
        ', or a .onnx file from tools/export_onnx.py (run in ONNX Runtime)'
        if onnx else ''))


def add_work_dir(parser: argparse.ArgumentParser, what: str) -> None:
    """``--work-dir``; ``what`` says what goes there, e.g. ``'logs go'``."""
    parser.add_argument('--work-dir', help=f'where {what} '
                        '(default: work_dirs/<config name>)')


def add_device(parser: argparse.ArgumentParser) -> None:
    """``--device`` (cpu or cuda; default: cuda when available)."""
    parser.add_argument('--device', choices=['cpu', 'cuda'],
                        help='default: cuda when available')


def add_num_workers(parser: argparse.ArgumentParser) -> None:
    """``--num-workers`` of the dataloaders."""
    parser.add_argument('--num-workers', type=int,
                        help='dataloader worker processes')


def add_number(parser: argparse.ArgumentParser, flag: str,
               default: Union[int, float], text: str) -> None:
    """``flag`` taking a number of ``default``'s type; its help is ``text``
    and the default, so the two cannot disagree."""
    shown = default if isinstance(default, int) else f'{default:g}'
    parser.add_argument(flag, type=type(default), default=default,
                        help=f'{text} (default: {shown})')


def add_batch_size(parser: argparse.ArgumentParser, text: str) -> None:
    """``--batch-size`` (help ``text``: which batch, and per what)."""
    parser.add_argument('--batch-size', type=int, help=text)


def add_frame_rate(parser: argparse.ArgumentParser,
                   from_config: bool = False) -> None:
    """``--fps`` of the tools that read videos: the rate frames are taken
    at (see :func:`frame_rate`); ``from_config``: by default the model
    config's ``video_fps``."""
    default = ("the config's video_fps (tools/videos_to_dataset.py writes "
               'it), else 30' if from_config else '30')
    parser.add_argument('--fps', type=float,
                        default=None if from_config else KINETICS_FPS,
                        help='read videos at this many frames per second, '
                        'dropping or repeating frames, so that a clip spans '
                        "the same time whatever the camera's rate (default: "
                        f'{default}; 30 is the Kinetics-skeleton rate; 0: '
                        "each video's own rate)")


def frame_rate(args: argparse.Namespace,
               cfg: Optional[Any] = None) -> Optional[float]:
    """``--fps`` as :class:`~stgcn_reg.pose.VideoSource` takes it (None:
    the video's own rate), by default ``cfg.video_fps``, else 30; a
    negative value raises ValueError."""
    fps = args.fps
    if fps is None:
        fps = (cfg.get('video_fps', KINETICS_FPS) if cfg is not None
               else KINETICS_FPS)
        if fps is None:
            return None
    if not fps >= 0:
        raise ValueError(f"--fps must be > 0, or 0 for each video's own "
                         f'rate; got {fps}')
    return float(fps) or None


def add_pose_extraction(parser: argparse.ArgumentParser) -> None:
    """The flags of the tools that extract poses from videos: ``--layout``,
    ``--max-persons``, ``--workers``, ``--estimator`` and ``--fps``."""
    parser.add_argument('--layout', default='openpose',
                        choices=['openpose', 'coco'],
                        help='joints written: openpose (18, as the '
                        'Kinetics-skeleton data) or coco (17)')
    add_number(parser, '--max-persons', 2, 'people followed per video')
    parser.add_argument('--workers', type=int, default=1,
                        help='videos extracted in parallel processes')
    add_estimator(parser)
    add_frame_rate(parser)


def add_estimator(parser: argparse.ArgumentParser) -> None:
    """``--estimator`` and ``--estimator-options`` of the tools that read
    poses from video (see :func:`~stgcn_reg.pose.estimator_config`)."""
    parser.add_argument('--estimator', default='MediaPipePose',
                        help='registered pose estimator (default '
                        'MediaPipePose)')
    parser.add_argument('--estimator-options', nargs='+',
                        action=StrictDictAction, metavar='KEY=VALUE',
                        help="the estimator's own options, e.g. "
                        'search_interval=10 min_detection_confidence=0.3 '
                        '(MediaPipePose)')


def add_amp(parser: argparse.ArgumentParser, what: str) -> None:
    """``--amp`` and ``--amp-dtype`` of a tool running ``what`` (e.g.
    ``'training'``): autocast where it pays (see ``choose_amp_dtype``)."""
    parser.add_argument('--amp', action='store_true',
                        help='mixed precision: fp16 on CUDA; bf16 on a CPU '
                        'with AVX512-BF16 or AMX (elsewhere bf16 is slower, '
                        f'so {what} stays fp32 and says so)')
    parser.add_argument('--amp-dtype', choices=['auto', 'bf16', 'fp16'],
                        help='force the autocast dtype (implies --amp), '
                        'e.g. bf16 on a CPU without fast bf16')


def add_trust_checkpoint(parser: argparse.ArgumentParser,
                         text: str = TRUST_CHECKPOINT) -> None:
    """``--trust-checkpoint`` (help ``text``): skip the safety allowlist."""
    parser.add_argument('--trust-checkpoint', action='store_true', help=text)


def add_cfg_options(parser: argparse.ArgumentParser,
                    example: Optional[str] = None,
                    text: str = 'override config keys') -> None:
    """``--cfg-options KEY=VALUE ...``, help ``text`` and ``example``."""
    if example:
        text = f'{text}, e.g. {example}'
    parser.add_argument('--cfg-options', nargs='+', action=StrictDictAction,
                        metavar='KEY=VALUE', help=text)


def add_launcher(parser: argparse.ArgumentParser, job: str) -> None:
    """``--launcher`` of a distributed ``job`` and torchrun's hidden
    ``--local-rank``."""
    parser.add_argument('--launcher', default='none',
                        choices=['none', 'pytorch', 'slurm'],
                        help=f'job launcher for distributed {job}')
    parser.add_argument('--local-rank', '--local_rank', type=int, default=0,
                        help=argparse.SUPPRESS)
