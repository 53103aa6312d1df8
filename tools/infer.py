"""Predict the actions of single clips with a trained model.

INPUT is a clip file or a folder of them: raw NTU ``.skeleton``,
Kinetics-skeleton / OpenPose-demo ``.json``, or ``.npy`` (``(C, T, V, M)``,
or ``(N, C, T, V, M)`` for N clips). Each clip goes through the config's
test pipeline, then the model; the top-k classes with softmax scores are
printed as a table and, with ``--out``, written as JSON. A file that
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
    parser.add_argument('input', help='a clip file or a folder of clips')
    parser.add_argument('--out', metavar='PREDICTIONS.json',
                        help='write the predictions as JSON')
    parser.add_argument('--label-names', metavar='FILE',
                        help='class names, one a line (line i = class i)')
    common.add_number(parser, '--topk', 5, 'classes listed per clip')
    common.add_number(parser, '--max-frames', 300,
                      'frames T read from raw files')
    common.add_number(parser, '--max-bodies', 2,
                      'persons M read from raw files')
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
    ``.onnx`` CHECKPOINT in ONNX Runtime on the CPU (its class names, if
    it has them, unless --label-names gives others)."""
    from stgcn_reg.apis import (
        check_label_names,
        is_onnx_file,
        load_label_names,
        load_recognizer,
    )
    from stgcn_reg.cli.launch import select_device
    device = ((args.device or 'cpu') if is_onnx_file(args.checkpoint)
              else select_device(args.device))
    model, cfg = load_recognizer(args.config, args.checkpoint, device,
                                 args.trust_checkpoint, args.cfg_options)
    names = getattr(model, 'class_names', None)
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
    from stgcn_reg.utils import exit_if_overwriting_inputs
    from stgcn_reg.utils.output_guard import files_in
    exit_if_overwriting_inputs(
        {'--out': args.out},
        {'CONFIG': args.config, 'CHECKPOINT': args.checkpoint,
         'INPUT': args.input, '--label-names': args.label_names,
         **files_in(args.input, CLIP_SUFFIXES, 'INPUT')})
    from stgcn_reg.apis import (
        build_test_pipeline,
        format_table,
        predict_clip,
        prediction_record,
        read_clips,
    )
    from stgcn_reg.deploy import OnnxRuntimeMissing
    from stgcn_reg.utils import write_json_atomic
    from stgcn_reg.utils.freed_memory import keep_freed_memory
    try:
        keep_freed_memory()
        model, cfg, names = load_model(args)
        clips, errors = read_clips(
            args.input, max_frames=args.max_frames,
            max_bodies=args.max_bodies,
            frame_index_base=args.frame_index_base)
    except (FileNotFoundError, SyntaxError, ValueError,
            pickle.UnpicklingError, OnnxRuntimeMissing) as error:
        sys.exit(f'error: {error}')
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
