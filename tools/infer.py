"""Predict the actions of single clips with a trained model.

INPUT is a clip file or a folder of them: raw NTU ``.skeleton``,
Kinetics-skeleton / OpenPose-demo ``.json``, ``.npy`` (``(C, T, V, M)``,
or ``(N, C, T, V, M)`` for N clips), or a video (``.mp4``, ``.avi``, ...:
its poses are extracted with --estimator, MediaPipe BlazePose by default,
in the model's joint layout, and the whole video, up to --max-frames
frames, is one clip; tools/demo_video.py gives actions over time). Each
clip goes through the config's test pipeline, then the model; the top-k
classes with softmax scores are printed as a table and, with ``--out``,
written as JSON. A file that
cannot be read is reported and skipped. CHECKPOINT may be a ``.onnx`` file
from tools/export_onnx.py: it runs in ONNX Runtime (CPU) and must match
the config's model (graph, classes); its class names, if it has them, are
used without --label-names.

Examples:
    python tools/infer.py configs/stgcn_ntu_xsub.py st_gcn.ntu-xsub.pt \
        nturgb+d_skeletons/S001C001P001R001A001.skeleton \
        --label-names label_map.txt
    python tools/infer.py configs/stgcn_demo.py \
        work_dirs/stgcn_demo/epoch_15.pth clips/ --out predictions.json
    python tools/infer.py configs/stgcn_demo.py stgcn_demo.onnx clips/
    python tools/infer.py data/my_actions/config.py \
        work_dirs/config/best_acc_top1_epoch_50.pth my_video.mp4
    python tools/infer.py configs/stgcn_demo.py \
        work_dirs/stgcn_demo/epoch_15.pth clips/ --amp   # bf16 if it pays
"""
import argparse
import os.path as osp
import pickle
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args() -> argparse.Namespace:
    """Command line of the predictor."""
    from stgcn_reg.cli import common_args as common
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_model(parser, onnx=True)
    parser.add_argument('input',
                        help='a clip file or video, or a folder of them')
    parser.add_argument('--out', metavar='PREDICTIONS.json',
                        help='write the predictions as JSON')
    parser.add_argument('--label-names', metavar='FILE',
                        help='class names, one a line (line i = class i)')
    common.add_number(parser, '--topk', 5, 'classes listed per clip')
    common.add_number(parser, '--max-frames', 300,
                      'frames T read from raw files and videos')
    common.add_number(parser, '--max-bodies', 2,
                      'persons M read from raw files and videos')
    common.add_estimator(parser)
    common.add_frame_rate(parser, from_config=True)
    parser.add_argument('--frame-index-base', default='auto',
                        choices=['auto', '0', '1'],
                        help='JSON frame_index numbering (default: auto, '
                        '0 when a frame 0 exists)')
    common.add_device(parser)
    common.add_amp(parser, 'inference')
    common.add_trust_checkpoint(parser)
    common.add_cfg_options(parser)
    return parser.parse_args()


def load_model(args: argparse.Namespace) -> tuple:
    """``(model, cfg, class names or None)``: our model in torch, or a
    ``.onnx`` CHECKPOINT in ONNX Runtime on the CPU; the class names of
    --label-names, else of the ONNX file, else of the config's
    ``class_names``."""
    from stgcn_reg.apis import (
        check_label_names,
        is_onnx_file,
        load_label_names,
        load_recognizer,
    )
    from stgcn_reg.cli.launch import select_device
    from stgcn_reg.datasets.class_names import config_class_names
    device = ((args.device or 'cpu') if is_onnx_file(args.checkpoint)
              else select_device(args.device))
    model, cfg = load_recognizer(args.config, args.checkpoint, device,
                                 args.trust_checkpoint, args.cfg_options)
    # the ONNX file's, else the config's (the shipped datasets' names;
    # tools/videos_to_dataset.py writes its classes there)
    names = getattr(model, 'class_names', None) or config_class_names(cfg)
    if args.label_names:
        names = load_label_names(args.label_names)
        num_classes = cfg.model.get('cls_head', {}).get('num_classes')
        if num_classes is not None:
            check_label_names(names, num_classes, args.label_names)
    return model, cfg, names


def main() -> None:
    """Read the clips, predict, print the table, write the JSON."""
    args = parse_args()
    if args.topk < 1:
        sys.exit('error: --topk must be >= 1')
    from stgcn_reg.apis.model_runner import is_onnx_file
    from stgcn_reg.cli.amp_policy import exit_if_amp_for_onnx
    exit_if_amp_for_onnx(args, is_onnx_file(args.checkpoint))
    from stgcn_reg.apis.clip_reader import CLIP_SUFFIXES
    from stgcn_reg.pose.video_source import VIDEO_SUFFIXES
    from stgcn_reg.utils import exit_if_overwriting_inputs
    from stgcn_reg.utils.output_guard import files_in
    exit_if_overwriting_inputs(
        {'--out': args.out},
        {'CONFIG': args.config, 'CHECKPOINT': args.checkpoint,
         'INPUT': args.input, '--label-names': args.label_names,
         **files_in(args.input, CLIP_SUFFIXES + VIDEO_SUFFIXES, 'INPUT')})
    from stgcn_reg.apis import (
        build_test_pipeline,
        format_table,
        predict_clip,
        prediction_record,
        read_clips,
    )
    from stgcn_reg.apis.video_clips import VideoClipReader, is_video_file
    from stgcn_reg.cli.common_args import frame_rate
    from stgcn_reg.deploy import OnnxRuntimeMissing
    from stgcn_reg.pose import PoseBackendMissing
    from stgcn_reg.pose.estimator_config import estimator_config
    from stgcn_reg.utils import write_json_atomic
    from stgcn_reg.utils.freed_memory import keep_freed_memory
    video_reader = None
    try:
        keep_freed_memory()
        model, cfg, names = load_model(args)
        if osp.isdir(args.input) or is_video_file(args.input):
            # built on the first video: no pose backend for skeleton files
            video_reader = VideoClipReader(
                estimator_config(args.estimator, args.estimator_options),
                model, args.max_frames,
                args.max_bodies, frame_rate(args, cfg))
        clips, errors = read_clips(
            args.input, max_frames=args.max_frames,
            max_bodies=args.max_bodies,
            frame_index_base=args.frame_index_base,
            video_reader=video_reader)
    except (FileNotFoundError, SyntaxError, ValueError, KeyError,
            pickle.UnpicklingError, OnnxRuntimeMissing,
            PoseBackendMissing) as error:
        sys.exit(f'error: {error}')
    finally:
        if video_reader is not None:
            video_reader.close()
    for clip in clips:
        if clip.note:
            print(f'note: {clip.note}', file=sys.stderr)
    pipeline = build_test_pipeline(cfg)
    from stgcn_reg.apis.inference import model_device
    from stgcn_reg.cli.amp_policy import inference_amp_dtype
    dtype = inference_amp_dtype(args, model_device(model).type)
    predictions = []
    for clip in clips:
        try:
            predictions.append(predict_clip(model, pipeline, clip, dtype))
        except ValueError as error:
            errors.append(str(error))
    if predictions:
        print(format_table(predictions, names, args.topk))
    for error in errors:
        print(f'skipped: {error}', file=sys.stderr)
    if not predictions:
        # before --out: a run that predicts nothing keeps an earlier file
        sys.exit(f'error: no clip of {args.input} could be predicted')
    if args.out:
        payload = dict(
            config=args.config, checkpoint=args.checkpoint, input=args.input,
            clips=[prediction_record(p, names, args.topk)
                   for p in predictions],
            errors=errors)
        write_json_atomic(payload, args.out, indent=1)
        print(f'predictions written to {args.out}')


if __name__ == '__main__':
    main()
