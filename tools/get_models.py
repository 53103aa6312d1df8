"""Download the released ST-GCN models and convert them for their configs.

The original tool's get_models.sh fetched st_gcn.kinetics.pt,
st_gcn.ntu-xsub.pt and st_gcn.ntu-xview.pt; each is downloaded here into
a cache (resumable: an interrupted download continues on the next run),
checked and converted into <out-dir>/<config name>.pth for the config it
fits. A failed download or conversion writes nothing.

Examples:
    python tools/get_models.py                      # all three
    python tools/get_models.py --models ntu-xsub
    python tools/test.py configs/stgcn_ntu_xsub.py \
        checkpoints/stgcn_ntu_xsub.pth
"""
import argparse
import os.path as osp
import sys

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, REPO_ROOT)


def parse_args() -> argparse.Namespace:
    """Command line of the downloader."""
    from stgcn_reg.checkpoints import released_models as released
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--models', nargs='+',
                        choices=list(released.RELEASED_MODELS),
                        default=list(released.RELEASED_MODELS),
                        help='which models (default: all)')
    parser.add_argument('--base-url', default=released.DEFAULT_BASE_URL,
                        help='server folder holding the .pt files '
                        '(default: %(default)s)')
    parser.add_argument('--out-dir', default=osp.join(REPO_ROOT,
                                                      'checkpoints'),
                        help='where the converted checkpoints go (default: '
                        'checkpoints/ in the repository)')
    parser.add_argument('--cache-dir',
                        help=f'download cache (default: ${released.CACHE_ENV} '
                        'or ~/.cache/stgcn_reg)')
    parser.add_argument('--no-progress', action='store_true',
                        help='no progress bar')
    return parser.parse_args()


def main() -> None:
    """Fetch and convert each model; exit 1 if any failed."""
    args = parse_args()
    from stgcn_reg.checkpoints import UnsafeCheckpointError
    from stgcn_reg.checkpoints import released_models as released
    from stgcn_reg.utils.download import DownloadError
    failed = []
    for name in args.models:
        model = released.RELEASED_MODELS[name]
        try:
            out = released.get_released_model(
                name, args.out_dir, REPO_ROOT, base_url=args.base_url,
                cache=args.cache_dir, progress=not args.no_progress)
        except (OSError, ValueError, UnsafeCheckpointError) as error:
            print(f'error: {name}: {error}', file=sys.stderr)
            if isinstance(error, DownloadError):
                print(f'  hint: fetch {model.filename} elsewhere and run '
                      f'tools/convert_stgcn_checkpoint.py {model.filename} '
                      f'{osp.join(args.out_dir, model.checkpoint_name)} '
                      f'--config {model.config}, '
                      'or give --base-url a mirror', file=sys.stderr)
            failed.append(name)
            continue
        print(f'{name}: {model.filename} -> {out} (for {model.config})')
    if failed:
        sys.exit(f'error: not converted: {", ".join(failed)}')


if __name__ == '__main__':
    main()
