"""Render a skeleton clip to a video and a contact sheet.

Input: one sample of a prepared dataset (``.npy`` + ``--label-path`` by
``--index`` or ``--name``, or an HDF5 file), a single ``(C, T, V, M)``
``.npy``, or a raw NTU ``.skeleton`` / Kinetics ``.json`` file. With
``--config`` and ``--checkpoint`` the frames also show the model's top-k
predictions, and ``--heat`` colours the joints by the model's learned
edge importance.

Examples:
    python tools/visualize.py data/demo/val_data.npy \
        --label-path data/demo/val_label.pkl --index 0 --out clip.mp4
    python tools/visualize.py S001C001P001R001A001.skeleton --view side \
        --label-names label_map.txt --out drink.gif
    python tools/visualize.py data/demo/val_data.npy --index 3 \
        --config configs/stgcn_demo.py \
        --checkpoint work_dirs/stgcn_demo/epoch_15.pth --heat
"""
import argparse
import os.path as osp
import pickle
import sys
from typing import List, Optional

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args() -> argparse.Namespace:
    """Command line of the renderer."""
    from stgcn_reg.cli import common_args as common
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('input', help='.npy (dataset or one clip), .h5, '
                        '.skeleton or .json')
    parser.add_argument('--label-path', help='label .pkl of a .npy dataset '
                        '(sample names and true labels)')
    parser.add_argument('--index', type=int, help='sample index in a dataset')
    parser.add_argument('--name', help='sample name in a dataset')
    parser.add_argument('--layout', help='graph layout of the data '
                        '(default: the model\'s, else from the joint count)')
    parser.add_argument('--view', default='front',
                        choices=['front', 'side', 'top'],
                        help='view of 3-D data (default: front)')
    parser.add_argument('--azimuth', type=float,
                        help='custom view: turn about the vertical axis, '
                        'degrees (overrides --view)')
    parser.add_argument('--elevation', type=float, default=0.0,
                        help='custom view: tilt, degrees (with --azimuth)')
    parser.add_argument('--coords', default='auto',
                        choices=['auto', '2d', '3d'],
                        help='coordinates of the data (default: 2-D for '
                        'openpose/coco, else 3-D)')
    parser.add_argument('--config', help='model config (for predictions)')
    parser.add_argument('--checkpoint', help='trained weights')
    parser.add_argument('--heat', action='store_true',
                        help='colour joints by learned edge importance')
    parser.add_argument('--show-pipeline', action='store_true',
                        help='draw the clip after the config\'s test '
                        'pipeline (what the model gets)')
    common.add_number(parser, '--topk', 5, 'predictions shown')
    parser.add_argument('--label-names', help='class names, one a line')
    parser.add_argument('--out', help='video (.mp4, .avi or .gif; '
                        'default: <sample name>.mp4)')
    parser.add_argument('--sheet', help='contact sheet .png (default: the '
                        'video path with .png)')
    common.add_number(parser, '--fps', 30.0, 'frames per second')
    parser.add_argument('--size', type=int, default=480,
                        help='drawing width and height in pixels')
    common.add_number(parser, '--tiles', 8, 'frames on the contact sheet')
    common.add_number(parser, '--columns', 4, 'contact sheet columns')
    common.add_device(parser)
    common.add_trust_checkpoint(parser)
    common.add_cfg_options(parser)
    return parser.parse_args()


def read_input(args: argparse.Namespace):
    """The clip to draw."""
    from stgcn_reg.apis import read_clip_file, read_dataset_sample
    if args.input.lower().endswith(('.skeleton', '.json')):
        return read_clip_file(args.input)[0]
    return read_dataset_sample(args.input, args.label_path, args.index,
                               args.name)


def label_names(path: Optional[str]) -> Optional[List[str]]:
    """Class names from ``--label-names``."""
    from stgcn_reg.apis import load_label_names
    return load_label_names(path) if path else None


def check_arguments(args: argparse.Namespace) -> None:
    """Refuse options that do not go together and outputs over inputs."""
    if (args.config is None) != (args.checkpoint is None):
        sys.exit('error: give --config and --checkpoint together')
    if args.heat and args.config is None:
        sys.exit('error: --heat needs --config and --checkpoint')
    from stgcn_reg.utils import exit_if_overwriting_inputs
    sheet = args.sheet or (args.out and f'{osp.splitext(args.out)[0]}.png')
    exit_if_overwriting_inputs(
        {'--out': args.out, '--sheet': sheet},
        {'INPUT': args.input, '--label-path': args.label_path,
         '--config': args.config, '--checkpoint': args.checkpoint,
         '--label-names': args.label_names})


def predict(args: argparse.Namespace, clip, names):
    """With --config: the top-k ``(name, score)``, the joint heat (--heat),
    the model's layout and the array to draw (the pipeline's output with
    --show-pipeline); without: None, None, None and the clip's data."""
    from stgcn_reg.apis import (
        build_test_pipeline,
        class_name,
        init_recognizer,
        model_layout,
        predict_clip,
        prepare_input,
    )
    from stgcn_reg.cli.launch import select_device
    from stgcn_reg.visualization import model_joint_heat
    if not args.config:
        return None, None, None, clip.data
    model, cfg = init_recognizer(
        args.config, args.checkpoint, select_device(args.device),
        args.trust_checkpoint, args.cfg_options)
    pipeline = build_test_pipeline(cfg)
    prediction = predict_clip(model, pipeline, clip)
    predictions = [(class_name(index, names), score)
                   for index, score in prediction.top(args.topk)]
    heat = model_joint_heat(model) if args.heat else None
    data = clip.data
    if args.show_pipeline:
        data = prepare_input(clip, pipeline)
        if data.ndim == 5:  # several sampled clips: draw the first
            data = data[0]
    return predictions, heat, model_layout(model), data


def main() -> None:
    """Read, optionally predict, render, write."""
    args = parse_args()
    check_arguments(args)
    from stgcn_reg.apis import class_name
    from stgcn_reg.visualization import (
        RenderStyle,
        SkeletonRenderer,
        contact_sheet,
        layout_for_joints,
        write_image,
        write_video,
    )
    try:
        clip = read_input(args)
        names = label_names(args.label_names)
        predictions, heat, model_layout, data = predict(args, clip, names)
        layout = (args.layout or model_layout
                  or layout_for_joints(data.shape[2]))
        view = ((args.azimuth, args.elevation)
                if args.azimuth is not None else args.view)
        renderer = SkeletonRenderer(
            layout, view, args.coords,
            RenderStyle(width=args.size, height=args.size))
        frames = renderer.render(data, class_name(clip.label, names),
                                 predictions, heat)
        out = args.out or f'{clip.name.replace("#", "_")}.mp4'
        sheet = args.sheet or f'{osp.splitext(out)[0]}.png'
        write_video(frames, out, args.fps)
        write_image(contact_sheet(frames, args.tiles, args.columns), sheet)
    except (FileNotFoundError, KeyError, ValueError, RuntimeError,
            pickle.UnpicklingError) as error:
        sys.exit(f'error: {error}')
    print(f'{clip.name}: {len(frames)} frames, layout {layout}, '
          f'{renderer.coords}')
    if predictions:
        for rank, (name, score) in enumerate(predictions, start=1):
            print(f'  {rank}. {name}  {score:.4f}')
    print(f'video: {out}\ncontact sheet: {sheet}')


if __name__ == '__main__':
    main()
