"""Export a trained recognizer to ONNX, checked in ONNX Runtime.

The checkpoint is loaded as tools/infer.py loads it (safe loader; original
ST-GCN .pt and MMAction2/PYSKL files converted on the fly). The graph
takes skeletons (N, C, T, V, M) with the batch N, the frames T and the
persons M free (--static fixes them to --batch, --frames, --persons) and
gives logits (N, num_classes). Graph layout and strategy, channels,
joints, classes, clip averaging, the input convention and, with
--label-names (else the config's class_names), the class names go into
the file's metadata_props. Before
anything is written the file is run in ONNX Runtime and compared with the
model (max |diff| <= 1e-4 x max |logit|); the output is written
atomically, never over an input. Needs: pip install -e '.[onnx]'.

--int8 quantises the checked graph to int8 (static, calibrated on real
clips of the config's test data, --calibration-clips of them: half
calibrate, the other half check that the top-1 class stays the same for at
least --min-agreement of them); ONNX Runtime then runs it with integer
kernels, the fastest CPU route where the CPU has no fast bf16.

Examples:
    python tools/export_onnx.py configs/stgcn_ntu_xsub.py \
        st_gcn.ntu-xsub.pt --out stgcn_ntu_xsub.onnx
    python tools/infer.py configs/stgcn_ntu_xsub.py stgcn_ntu_xsub.onnx \
        nturgb+d_skeletons/S001C001P001R001A001.skeleton
    python tools/export_onnx.py configs/stgcn_demo.py \
        work_dirs/stgcn_demo/epoch_15.pth --out demo_int8.onnx --int8
"""
import argparse
import os.path as osp
import pickle
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

# the sizes of the traced input: flag name, default, the axis it sets
TRACED_SIZES = (('frames', 300, 'frames T'), ('persons', 2, 'persons M'),
                ('batch', 2, 'batch N'))


def parse_args() -> argparse.Namespace:
    """Command line of the exporter."""
    from stgcn_reg.cli import common_args as common
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_model(parser)
    parser.add_argument('--out', required=True, metavar='MODEL.onnx',
                        help='ONNX file to write')
    parser.add_argument('--label-names', metavar='FILE',
                        help='class names, one a line, kept in the file')
    for name, default, size in TRACED_SIZES:
        common.add_number(parser, f'--{name}', default,
                          f'{size} of the traced input')
    parser.add_argument('--static', action='store_true',
                        help='fix N, T and M to the traced input')
    parser.add_argument('--int8', action='store_true',
                        help="quantise to int8, calibrated on the config's "
                        'test clips')
    common.add_number(parser, '--calibration-clips', 64,
                      'test clips read for --int8 (half calibrate, half '
                      'check)')
    parser.add_argument('--min-agreement', type=float, default=0.9,
                        help='--int8: least share of the checked clips '
                        'whose top-1 class stays (default: 0.9)')
    common.add_trust_checkpoint(parser)
    common.add_cfg_options(parser)
    return parser.parse_args()


def check_args(args: argparse.Namespace) -> None:
    """Exit on a bad --out or size, or an output that is an input."""
    from stgcn_reg.utils import exit_if_overwriting_inputs
    if not args.out.lower().endswith('.onnx'):
        sys.exit(f'error: --out {args.out!r}: expected a .onnx file')
    if not 0.0 <= args.min_agreement <= 1.0:
        sys.exit(f'error: --min-agreement must lie in [0, 1], got '
                 f'{args.min_agreement}')
    for name in (*(size[0] for size in TRACED_SIZES), 'calibration_clips'):
        if getattr(args, name) < 1:
            sys.exit(f"error: --{name.replace('_', '-')} must be >= 1, "
                     f'got {getattr(args, name)}')
    exit_if_overwriting_inputs(
        {'--out': args.out},
        {'CONFIG': args.config, 'CHECKPOINT': args.checkpoint,
         '--label-names': args.label_names})


def main() -> None:
    """Load the model, export, check, write, print the checks."""
    args = parse_args()
    check_args(args)
    from stgcn_reg.apis import (
        check_label_names,
        init_recognizer,
        load_label_names,
    )
    from stgcn_reg.apis.video_inference import temporal_receptive_field
    from stgcn_reg.datasets.class_names import config_class_names
    from stgcn_reg.deploy import (
        EXPORTER,
        OnnxExportError,
        OnnxRuntimeMissing,
        export_metadata,
        export_onnx,
    )
    from stgcn_reg.deploy.onnx_export import import_onnx
    try:
        import_onnx()  # before the model: a missing extra fails first
        model, cfg = init_recognizer(args.config, args.checkpoint, 'cpu',
                                     args.trust_checkpoint, args.cfg_options)
        names = (load_label_names(args.label_names) if args.label_names
                 else config_class_names(cfg))
        metadata = export_metadata(
            model, temporal_receptive_field(model), names,
            extra=dict(config=osp.basename(args.config),
                       checkpoint=osp.basename(args.checkpoint)))
        if names is not None:
            check_label_names(names, int(metadata['num_classes']),
                              args.label_names)
        shape = (args.batch, int(metadata['in_channels']), args.frames,
                 int(metadata['num_joints']), args.persons)
        clips = None
        if args.int8:
            from stgcn_reg.apis.calibration import dataset_clips
            clips = dataset_clips(cfg, args.calibration_clips)
        report = export_onnx(model, args.out, metadata, shape,
                             dynamic=not args.static, int8_clips=clips,
                             min_agreement=args.min_agreement)
    except (FileNotFoundError, SyntaxError, ValueError, OnnxExportError,
            OnnxRuntimeMissing, pickle.UnpicklingError) as error:
        sys.exit(f'error: {error}')
    print(f'exported with the {EXPORTER} in {report["seconds"]} s')
    for check in report['checks']:
        print(f'checked in ONNX Runtime: input {tuple(check["shape"])}, '
              f'max |diff| {check["max_abs_diff"]:.2e} (max |logit| '
              f'{check["max_abs_logit"]:.2e})')
    int8 = report['int8']
    if int8:
        print(f"int8: calibrated on {int8['calibration_clips']} test clips; "
              f"on {int8['clips']} others the top-1 class agrees with "
              f"float32 for {int8['top1_agreement']:.1%}, scores move by at "
              f"most {int8['max_score_change']:.3f}")
    axes = 'fixed shape' if args.static else 'N, T, M free'
    if int8:
        axes += ', int8'
    print(f'wrote {args.out} ({report["bytes"] / 2**20:.1f} MiB, {axes}; '
          f'{metadata["graph_layout"]}, {metadata["num_classes"]} classes)')


if __name__ == '__main__':
    main()
