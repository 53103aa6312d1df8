"""Extract skeletons from videos into Kinetics-skeleton JSON files.

Examples:
    python tools/extract_poses.py my_videos/ --out-dir data/my_poses
    python tools/extract_poses.py a.mp4 b.avi --out-dir poses --layout coco \
        --max-persons 2 --workers 2

One JSON per video, in the reference ST-GCN demo's format
({"data": [{"frame_index", "skeleton": [{"pose", "score"}]}], "label",
"label_index"}, 0-based frame_index, coordinates divided by the frame
size), which tools/kinetics_gendata.py, tools/infer.py and
tools/visualize.py read. Frames are taken at --fps (30 by default, the
Kinetics-skeleton rate; the JSON's "fps" says the rate). Videos already
extracted at that rate are skipped, so a rerun continues; an unreadable
video is named with the reason and skipped.
"""
import argparse
import os.path as osp
import sys
import time

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args() -> argparse.Namespace:
    """Command line of the pose extractor."""
    from stgcn_reg.cli import common_args as common
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('inputs', nargs='+', metavar='INPUT',
                        help='video files (mp4, avi, mov, mkv, gif, ...), '
                        'folders (searched recursively) or image folders')
    parser.add_argument('--out-dir', required=True,
                        help='where the JSON files go (the input tree is '
                        'kept below it)')
    common.add_pose_extraction(parser)
    parser.add_argument('--preview', action='store_true',
                        help='also write <name>_poses.mp4 beside each JSON: '
                        'the video with its skeletons drawn, to check the '
                        'extraction by eye')
    return parser.parse_args()


def preview_path(json_path: str) -> str:
    """Where --preview writes the drawing of a pose JSON."""
    return osp.splitext(json_path)[0] + '_poses.mp4'


def write_previews(jobs: list) -> int:
    """A preview for each extracted video that has none newer than its
    JSON, at the JSON's frame rate; how many were written."""
    from stgcn_reg.pose import VideoReadError, VideoSource
    from stgcn_reg.pose.video_poses import load_pose_json
    from stgcn_reg.visualization.video_overlay import write_pose_preview
    written = 0
    for source, json_path in jobs:
        preview = preview_path(json_path)
        if not osp.isfile(json_path) or (
                osp.isfile(preview)
                and osp.getmtime(preview) >= osp.getmtime(json_path)):
            continue
        poses = load_pose_json(json_path)
        try:
            with VideoSource(source, poses.fps) as video:
                write_pose_preview(video, poses.frames, poses.layout,
                                   preview, poses.fps)
        except (VideoReadError, ValueError) as error:
            print(f'no preview of {source}: {error}')
            continue
        written += 1
    return written


def main() -> None:
    """Extract, then print the summary."""
    args = parse_args()
    from stgcn_reg.cli.common_args import frame_rate
    from stgcn_reg.pose import PoseBackendMissing
    from stgcn_reg.pose.batch_extraction import extract_many, find_videos
    from stgcn_reg.pose.estimator_config import estimator_config
    from stgcn_reg.utils import exit_if_overwriting_inputs
    if args.max_persons < 1 or args.workers < 1:
        sys.exit('error: --max-persons and --workers must be >= 1')
    try:
        fps = frame_rate(args)
    except ValueError as error:
        sys.exit(f'error: {error}')
    try:
        jobs = find_videos(args.inputs, args.out_dir)
    except (FileNotFoundError, ValueError) as error:
        sys.exit(f'error: {error}')
    if not jobs:
        sys.exit(f'error: no video found in {", ".join(args.inputs)}')
    outputs = {f'--out-dir file {i}': out for i, (_, out) in enumerate(jobs)}
    if args.preview:
        outputs.update({f'--preview file {i}': preview_path(out)
                        for i, (_, out) in enumerate(jobs)})
    exit_if_overwriting_inputs(
        outputs, {f'INPUT {source}': source for source, _ in jobs})
    try:
        estimator = estimator_config(args.estimator, args.estimator_options,
                                     layout=args.layout,
                                     max_persons=args.max_persons)
    except ValueError as error:
        sys.exit(f'error: {error}')
    start = time.perf_counter()
    try:
        summary = extract_many(jobs, estimator, args.workers, fps=fps)
    except (PoseBackendMissing, KeyError, ValueError) as error:
        sys.exit(f'error: {error}')
    print()
    for line in summary.lines():
        print(line)
    if args.preview:
        print(f'previews: {write_previews(jobs)} written '
              '(<name>_poses.mp4 beside each JSON)')
    print(f'total {time.perf_counter() - start:.1f} s; JSON files in '
          f'{args.out_dir}')
    if not summary.written and not summary.skipped:
        sys.exit(1)


if __name__ == '__main__':
    main()
