"""The config that trains on a dataset made from your own videos."""
import os.path as osp
from typing import List, Optional

from stgcn_reg.utils import atomic_path

_TEMPLATE = '''\
# Written by tools/videos_to_dataset.py: {num_train} training and {num_val}
# validation clips of {num_classes} classes from {source}
# ({layout} joints, T={num_frames}, M={num_persons}, {rate}). Train with
#   python tools/train.py {config}
# and fine-tune from Kinetics-skeleton weights with --load-from (a new
# class count leaves their classifier out).
_base_ = [{base!r}]

data_root = {data_root!r}
num_classes = {num_classes}
class_names = {classes!r}
# frames per second the clips were read at (None: each video's own);
# tools/infer.py and tools/demo_video.py read videos at it too
video_fps = {fps!r}
feeder = dict(type='SkeletonDataset', num_classes=num_classes,
              layout={layout!r})

model = dict(
    backbone=dict(graph_cfg=dict(layout={layout!r})),
    cls_head=dict(num_classes=num_classes))
{train_dataloader}{val_dataloader}test_dataloader = val_dataloader
'''
# one dataloader of the written config, over a split's arrays
_LOADER = '''\
{name} = dict(
    batch_size={batch_size},
    dataset=dict(
        feeder,
        data_path=data_root + '{split}_data.npy',
        label_path=data_root + '{split}_label.pkl'))
'''


def write_dataset_config(out_dir: str, base_config: str, source: str,
                         classes: List[str], layout: str, num_frames: int,
                         num_persons: int, num_train: int,
                         num_val: int, fps: Optional[float] = None) -> str:
    """Write ``out_dir/config.py`` inheriting ``base_config``; its path.
    ``fps``: the rate the clips' frames were read at (None: each video's
    own)."""
    path = osp.join(out_dir, 'config.py')
    batch_size = max(1, min(32, num_train))
    loaders = {
        name: _LOADER.format(name=name, batch_size=batch_size, split=split)
        for name, split in (('train_dataloader', 'train'),
                            ('val_dataloader', 'val' if num_val else 'train'))
    }
    text = _TEMPLATE.format(
        num_train=num_train, num_val=num_val, num_classes=len(classes),
        source=source, layout=layout, num_frames=num_frames,
        num_persons=num_persons, config=path, fps=fps,
        rate=f'{fps:g} fps' if fps else "each video's own frame rate",
        base=osp.abspath(base_config),
        data_root=osp.abspath(out_dir) + osp.sep, classes=classes,
        **loaders)
    with atomic_path(path) as temp:
        with open(temp, 'w', encoding='utf-8') as file:
            file.write(text)
    return path


def write_label_map(out_dir: str, classes: List[str]) -> str:
    """``label_map.txt``: class i on line i (for tools/infer.py and the
    video demo's ``--label-names``)."""
    path = osp.join(out_dir, 'label_map.txt')
    with atomic_path(path) as temp:
        with open(temp, 'w', encoding='utf-8') as file:
            file.write(''.join(f'{name}\n' for name in classes))
    return path
