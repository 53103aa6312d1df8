"""Recognise actions in a video, a camera or a stream, and draw them.

Examples:
    python tools/demo_video.py configs/stgcn_kinetics.py ckpt.pth clip.mp4 \
        --out clip_actions.mp4 --json clip_actions.json \
        --label-names label_map.txt
    python tools/demo_video.py my/config.py ckpt.pth clip.mp4 --amp  # bf16
    python tools/demo_video.py my/config.py ckpt.pth 0 --show   # camera 0
    python tools/demo_video.py my/config.py ckpt.pth rtsp://cam/stream

Poses come from a pose estimator (MediaPipe BlazePose by default); the
last --window frames are classified every --stride frames, and each frame
is written with its people and the top-k labels of the latest window.
--json writes the timeline {"fps", "windows": [{"start", "end", "labels",
"scores"}]}, so a long video becomes a list of actions with their frames;
a window in which nobody was found has no labels and "nobody": true (the
model is not run on it).
A camera or stream runs until Ctrl-C or its end, printing frames per
second of the pose estimator, the model and the whole loop.
"""
import argparse
import functools
import math
import os
import os.path as osp
import sys
import time
from typing import Optional, Tuple

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args() -> argparse.Namespace:
    """Command line of the video demo."""
    from stgcn_reg.cli import common_args as common
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_model(parser, onnx=True)
    parser.add_argument('source', help='video file, image folder, camera '
                        'index (0) or stream URL')
    parser.add_argument('--out', help='annotated video (.mp4 or .avi)')
    parser.add_argument('--json', help='timeline of predictions (.json)')
    parser.add_argument('--window', type=int, help='frames per prediction '
                        "(default: the model's temporal receptive field)")
    parser.add_argument('--stride', type=int, help='frames between '
                        'predictions (default: a fifth of the window; for a '
                        'camera or stream, at least what keeps the model up)')
    parser.add_argument('--topk', type=int, default=5)
    parser.add_argument('--label-names', help='class names, one per line')
    parser.add_argument('--max-persons', type=int, default=2)
    common.add_estimator(parser)
    common.add_frame_rate(parser, from_config=True)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--show', action='store_true',
                        help='show the frames in a window (needs a display)')
    common.add_amp(parser, 'inference')
    parser.add_argument('--trust-checkpoint', action='store_true')
    from stgcn_reg.cli import StrictDictAction
    parser.add_argument('--cfg-options', nargs='+', action=StrictDictAction,
                        metavar='KEY=VALUE', help='override config keys')
    return parser.parse_args()


def check_outputs(args: argparse.Namespace) -> None:
    """Refuse outputs that would overwrite an input or that are missing."""
    from stgcn_reg.pose.video_source import is_live
    from stgcn_reg.utils import exit_if_overwriting_inputs
    if not (args.out or args.json or args.show):
        sys.exit('error: give --out, --json or --show: nothing to write')
    if args.out and not args.out.lower().endswith(('.mp4', '.avi')):
        sys.exit(f'error: --out {args.out!r}: expected a .mp4 or .avi file')
    inputs = {'CONFIG': args.config, 'CHECKPOINT': args.checkpoint,
              '--label-names': args.label_names}
    if not is_live(args.source):
        inputs['SOURCE'] = args.source
    exit_if_overwriting_inputs({'--out': args.out, '--json': args.json},
                               inputs)


def choose_stride(args, window: int, live: bool, classifier_time: float,
                  fps: float) -> int:
    """The stride asked for, or a fifth of the window; a live source gets
    at least what lets the model keep up with its frame rate."""
    stride = args.stride or max(1, window // 5)
    if live and not args.stride:
        stride = max(stride, math.ceil(1.5 * classifier_time * fps))
    return stride


def open_inputs(args: argparse.Namespace):
    """The video source, the model and its config, the class names and the
    pose estimator; any bad one ends the tool with one ``error:`` line."""
    from stgcn_reg.apis import load_label_names, load_recognizer
    from stgcn_reg.apis.video_clips import pose_layout
    from stgcn_reg.cli.common_args import frame_rate
    from stgcn_reg.datasets.class_names import config_class_names
    from stgcn_reg.deploy import OnnxRuntimeMissing
    from stgcn_reg.pose import PoseBackendMissing, VideoReadError, VideoSource
    from stgcn_reg.pose.estimator_config import estimator_config
    from stgcn_reg.registry import POSE_ESTIMATORS
    from stgcn_reg.utils.freed_memory import keep_freed_memory
    try:
        keep_freed_memory()
        # the source first: a camera that is not there fails at once
        source = VideoSource(args.source)
        # a .onnx checkpoint runs in ONNX Runtime (CPU)
        model, cfg = load_recognizer(args.config, args.checkpoint,
                                     args.device, args.trust_checkpoint,
                                     args.cfg_options)
        source.set_fps(frame_rate(args, cfg))
        names = (load_label_names(args.label_names) if args.label_names
                 else getattr(model, 'class_names', None)
                 or config_class_names(cfg))
        estimator = POSE_ESTIMATORS.build(estimator_config(
            args.estimator, args.estimator_options,
            layout=pose_layout(model), max_persons=args.max_persons))
    except (PoseBackendMissing, VideoReadError, ValueError, KeyError,
            FileNotFoundError, OnnxRuntimeMissing) as error:
        sys.exit(f'error: {error}')
    return source, model, cfg, names, estimator


def choose_window(args: argparse.Namespace,
                  model) -> Tuple[int, int, Optional[str]]:
    """``--window`` (else the model's temporal receptive field), that
    field, and the note drawn on the frames when the window is shorter."""
    from stgcn_reg.apis.video_inference import temporal_receptive_field
    field = temporal_receptive_field(model)
    window = args.window or field
    if window >= field:
        return window, field, None
    print(f'warning: --window {window} frames is shorter than the '
          f"model's temporal receptive field ({field} frames); its "
          'predictions see zero padding and are less reliable')
    return window, field, (f'window {window} < receptive field {field}: '
                    'predictions see padding')


class FrameOverlay:
    """Called for each frame: draws its people and the latest labels, writes
    and shows it, and prints the rates of a live source every 2 s."""

    def __init__(self, args, layout: str, names, note, writer, stats,
                 live: bool) -> None:
        self.layout, self.names, self.note = layout, names, note
        self.writer, self.stats, self.live = writer, stats, live
        self.show = args.show and _has_display()
        self.last_print = time.perf_counter()

    def __call__(self, frame, people, latest) -> None:
        import numpy as np

        from stgcn_reg.visualization.video_overlay import (
            draw_labels,
            draw_people,
        )
        image = np.ascontiguousarray(frame[..., ::-1])
        draw_people(image, people, self.layout)
        lines = [] if latest is None else [
            f'{_name(i, self.names)}: {s:.2f}'
            for i, s in zip(latest.labels, latest.scores)]
        if latest is not None and latest.nobody:
            lines = ['nobody in view']
        draw_labels(image, lines, self.note)
        if self.writer is not None:
            self.writer.write(image)
        if self.show:
            import cv2
            cv2.imshow('stgcn_reg demo', image)
            if cv2.waitKey(1) & 0xFF in (27, ord('q')):
                raise KeyboardInterrupt
        if self.live and time.perf_counter() - self.last_print > 2:
            self.last_print = time.perf_counter()
            print(self.stats.line(), flush=True)


def main() -> None:
    """Open the source, run poses and model, write and print."""
    args = parse_args()
    check_outputs(args)
    import torch

    from stgcn_reg.apis.inference import model_device
    from stgcn_reg.apis.model_runner import is_onnx_file
    from stgcn_reg.apis.video_inference import (
        VideoRunStats,
        inference_video,
        seconds_per_window,
    )
    from stgcn_reg.cli.amp_policy import (
        exit_if_amp_for_onnx,
        inference_amp_dtype,
    )
    from stgcn_reg.pose import VideoReadError
    from stgcn_reg.pose.video_source import is_live
    from stgcn_reg.visualization.image_io import VideoFileWriter
    exit_if_amp_for_onnx(args, is_onnx_file(args.checkpoint))
    source, model, cfg, names, estimator = open_inputs(args)
    device = model_device(model).type
    dtype = inference_amp_dtype(args, device)
    # the autocast of --amp (none without it)
    precision = functools.partial(torch.autocast, device, dtype=dtype,
                                  enabled=dtype is not None)
    live = is_live(args.source)
    window, field, note = choose_window(args, model)
    with precision():
        window_seconds = seconds_per_window(model, cfg, estimator.layout,
                                            window, estimator.max_persons)
    stride = choose_stride(args, window, live, window_seconds, source.fps)
    rate = f'{source.source_fps:.1f} fps'
    if source.fps != source.source_fps:
        rate += f', read at {source.fps:.1f} fps (see --fps)'
    print(f'window {window} frames, stride {stride} frames, receptive '
          f'field {field} frames, source '
          f'{source.size[0]}x{source.size[1]} at {rate}')
    writer = VideoFileWriter(args.out, source.fps) if args.out else None
    stats = VideoRunStats()
    on_frame = FrameOverlay(args, estimator.layout, names, note, writer,
                            stats, live)
    try:
        with torch.no_grad(), precision():
            timeline = inference_video(model, cfg, source, estimator,
                                       window, stride, args.topk, on_frame,
                                       stats)
    except VideoReadError as error:
        if writer is not None:
            writer.abort()
        sys.exit(f'error: {error}')
    finally:
        source.close()
        estimator.close()
    finish_outputs(args, writer, timeline, names, window, stride, stats,
                   source.fps)


def finish_outputs(args, writer, timeline, names, window: int, stride: int,
                   stats, fps: float) -> None:
    """Close the video (none when no frame came), write the JSON, print."""
    if writer is not None and writer.frames:
        writer.close()
    elif writer is not None:
        writer.abort()
        sys.exit(f'error: {args.source} gave no frames; nothing written')
    if args.json:
        _write_json(args.json, timeline, names, args, window, stride, fps)
    print(stats.line())
    for entry in timeline:
        if entry.nobody:
            print(f'frames {entry.start}-{entry.end - 1}: nobody found')
            continue
        top = entry.as_dict(names)
        print(f'frames {entry.start}-{entry.end - 1}: {top["labels"][0]} '
              f'({top["scores"][0]:.2f})')
    for path in (args.out, args.json):
        if path:
            print(f'wrote {path}')


def _name(index: int, names) -> str:
    return names[index] if names and index < len(names) else str(index)


def _has_display() -> bool:
    if os.environ.get('DISPLAY') or sys.platform in ('win32', 'darwin'):
        return True
    print('warning: no display found; --show is ignored')
    return False


def _write_json(path, timeline, names, args, window, stride, fps) -> None:
    from stgcn_reg.utils import write_json_atomic
    # start and end count frames at fps (frame i shows time i / fps)
    content = dict(source=str(args.source), fps=fps, window=window,
                   stride=stride,
                   windows=[entry.as_dict(names) for entry in timeline])
    write_json_atomic(content, path, indent=1)


if __name__ == '__main__':
    main()
