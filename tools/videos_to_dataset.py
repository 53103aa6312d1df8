"""Turn class folders of your own videos into a dataset and a config.

Examples:
    python tools/videos_to_dataset.py my_videos/ --out-dir data/my_actions
    python tools/videos_to_dataset.py clips.csv --out-dir data/my_actions \
        --val-ratio 0.2 --seed 0 --num-frames 300
    python tools/train.py data/my_actions/config.py

VIDEO_ROOT/<class name>/<clip> (a video file or a folder of images), or a
CSV of "path,label" rows, becomes {train,val}_data.npy (N, 3, T, V, M),
{train,val}_label.pkl, label_map.txt and config.py (inherits
configs/stgcn_kinetics.py with the paths, classes and layout filled in).
The split is stratified and seeded; the poses of each clip are kept in
OUT_DIR/poses/ and reused by a rerun.
"""
import argparse
import os.path as osp
import sys

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, ROOT)


def parse_args() -> argparse.Namespace:
    """Command line of the dataset builder."""
    from stgcn_reg.cli import common_args as common
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('source', metavar='VIDEO_ROOT',
                        help='folder of <class name>/<clip> or a CSV of '
                        'path,label')
    parser.add_argument('--out-dir', required=True)
    parser.add_argument('--val-ratio', type=float, default=0.2)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--num-frames', type=int, default=300,
                        help='frames T per clip (longer clips are cut, '
                        'shorter ones padded with zeros)')
    common.add_pose_extraction(parser)
    parser.add_argument('--overwrite', action='store_true',
                        help='replace earlier arrays even when this run '
                        'has fewer clips (e.g. videos were removed)')
    parser.add_argument('--base-config', default=osp.join(
        ROOT, 'configs', 'stgcn_kinetics.py'),
        help='config the written one inherits')
    return parser.parse_args()


def main() -> None:
    """Extract, split, write arrays, labels, class names and config."""
    args = parse_args()
    from stgcn_reg.cli.common_args import frame_rate
    from stgcn_reg.pose import PoseBackendMissing
    from stgcn_reg.pose.dataset_config import (
        write_dataset_config,
        write_label_map,
    )
    from stgcn_reg.pose.estimator_config import estimator_config
    from stgcn_reg.pose.video_dataset import (
        extract_clips,
        list_labelled_videos,
        split_arrays,
        stratified_split,
        write_splits,
    )
    from stgcn_reg.utils import exit_if_overwriting_inputs
    if args.num_frames < 1:
        sys.exit('error: --num-frames must be >= 1')
    try:
        fps = frame_rate(args)
        clips = list_labelled_videos(args.source)
        train, val = stratified_split(clips, args.val_ratio, args.seed)
    except (FileNotFoundError, ValueError) as error:
        sys.exit(f'error: {error}')
    exit_if_overwriting_inputs(
        {'--out-dir': args.out_dir},
        {f'clip {video}': video for video, _ in clips})
    classes = sorted({name for _, name in clips})
    try:
        estimator = estimator_config(args.estimator, args.estimator_options,
                                     layout=args.layout,
                                     max_persons=args.max_persons)
    except ValueError as error:
        sys.exit(f'error: {error}')
    try:
        summary = extract_clips(clips, args.source, args.out_dir, estimator,
                                args.workers, fps)
    except (PoseBackendMissing, KeyError, ValueError) as error:
        sys.exit(f'error: {error}')
    print()
    for line in summary.lines():
        print(line)
    left_out: list = []
    arrays = {split: split_arrays(members, classes, args.source,
                                  args.out_dir, args.num_frames,
                                  args.max_persons, left_out)
              for split, members in (('train', train), ('val', val))}
    for line in left_out:
        print(f'left out {line}')
    if arrays['train'] is None:
        sys.exit('error: no training clip could be read; nothing written')
    try:
        counts = write_splits(arrays, args.out_dir, args.overwrite)
    except ValueError as error:
        sys.exit(f'error: {error}')
    write_label_map(args.out_dir, classes)
    config = write_dataset_config(
        args.out_dir, args.base_config, args.source, classes, args.layout,
        args.num_frames, args.max_persons, counts['train'], counts['val'],
        fps)
    print(f'{counts["train"]} training and {counts["val"]} validation clips '
          f'of {len(classes)} classes; train with: python tools/train.py '
          f'{config}')


if __name__ == '__main__':
    main()
