"""Read single skeleton clips for inference and visualisation.

A clip is a float32 ``(C, T, V, M)`` array with a name and, when the
source says it, a 0-based label. Sources: raw NTU ``.skeleton`` files,
Kinetics-skeleton / OpenPose-demo ``.json`` files, ``.npy`` arrays
(``(C, T, V, M)`` or a stack ``(N, C, T, V, M)``), one sample of a
prepared dataset (``.npy`` + label ``.pkl`` or an HDF5 file) by index or
sample name, and videos, when the caller gives a reader for them
(:class:`~stgcn_reg.apis.video_clips.VideoClipReader`).
"""
import json
import os
import os.path as osp
from dataclasses import dataclass
from typing import Callable, List, Optional, Tuple, Union

import numpy as np

from stgcn_reg.datasets.feeder_checks import (
    check_finite_sample,
    check_skeleton_values,
)
from stgcn_reg.datasets.readers import SkeletonFormatError
from stgcn_reg.datasets.readers.kinetics_json import read_kinetics_video
from stgcn_reg.datasets.readers.ntu_names import parse_ntu_name
from stgcn_reg.datasets.readers.ntu_skeleton import read_ntu_sample
from stgcn_reg.datasets.storage import H5Store, NpyStore, SkeletonStore
from stgcn_reg.pose.video_source import VIDEO_SUFFIXES

CLIP_SUFFIXES = ('.skeleton', '.json', '.npy')
H5_SUFFIXES = ('.h5', '.hdf5')


@dataclass
class Clip:
    """One skeleton clip.

    Attributes:
        name (str): Sample name (file stem, ``stem#i`` for a stack, or the
            dataset's sample name).
        path (str): The file it came from.
        data (np.ndarray): float32 ``(C, T, V, M)``.
        label (int, optional): 0-based class when the source gives one.
        note (str, optional): What reading left out, for the user (e.g.
            the frames of a video beyond the clip's length).
    """

    name: str
    path: str
    data: np.ndarray
    label: Optional[int] = None
    note: Optional[str] = None


def _ntu_label(path: str) -> Optional[int]:
    try:
        return parse_ntu_name(path).label
    except ValueError:
        return None


def _kinetics_header(path: str) -> Tuple[int, Optional[int]]:
    """``(frame_index_base, label)`` guessed from a JSON clip.

    Files with a frame 0 are 0-based (the OpenPose demo); others 1-based
    (the Kinetics release). The label is ``label_index`` when >= 0. A file
    that does not parse gives ``(1, None)``; the reader then reports it.
    """
    try:
        with open(path, encoding='utf-8') as file:
            content = json.load(file)
        frames = content.get('data') or []
        base = 0 if any(
            isinstance(frame, dict) and frame.get('frame_index') == 0
            for frame in frames) else 1
        label = content.get('label_index')
    except (ValueError, AttributeError, OSError):
        return 1, None
    good = isinstance(label, int) and not isinstance(label, bool)
    return base, label if good and label >= 0 else None


def _npy_clips(path: str) -> List[Clip]:
    stem = osp.splitext(osp.basename(path))[0]
    source = _open_npy(path)
    if isinstance(source, np.ndarray):
        check_finite_sample(f'clip {path!r}', 0, source)
        return [Clip(stem, path, np.asarray(source, np.float32))]
    return [
        Clip(f'{stem}#{i}', path, source.read(i)) for i in range(len(source))
    ]


def _open_npy(path: str,
              label_path: Optional[str] = None
              ) -> Union[NpyStore, np.ndarray]:
    """A store of an ``(N, C, T, V, M)`` stack, or a ``(C, T, V, M)`` clip
    array."""
    try:
        return NpyStore(path, label_path)
    except ValueError as error:
        if 'expected a 5-D array' not in str(error):
            raise
    array = np.load(path, mmap_mode='r', allow_pickle=False)
    if array.ndim != 4 or not np.issubdtype(array.dtype, np.number):
        raise ValueError(
            f'clip {path!r}: expected a numeric (C, T, V, M) array or a '
            f'stack (N, C, T, V, M), got shape {array.shape} of dtype '
            f'{array.dtype}')
    check_skeleton_values(f'clip {path!r}', array.shape, array.dtype,
                          axes='CTVM')
    return array


def read_clip_file(path: str,
                   max_frames: int = 300,
                   max_bodies: int = 2,
                   frame_index_base: Union[str, int] = 'auto',
                   video_reader: Optional[Callable[[str], Clip]] = None
                   ) -> List[Clip]:
    """The clips of one file (one, or N for an ``(N, C, T, V, M)`` stack).

    Raw files are read as the gendata tools read them: NTU to
    ``(3, max_frames, 25, max_bodies)`` (label from the ``A###`` field),
    Kinetics JSON to ``(3, max_frames, 18, max_bodies)`` (x - 0.5,
    y - 0.5, score; label from ``label_index``).

    Args:
        path (str): A ``.skeleton``, ``.json`` or ``.npy`` file.
        max_frames (int): Frames T of raw files. Defaults to 300.
        max_bodies (int): Persons M of raw files. Defaults to 2.
        frame_index_base (str | int): 0 or 1 for JSON ``frame_index``
            numbering, or ``'auto'`` (0 when a frame 0 exists). Defaults
            to ``'auto'``.
        video_reader (callable, optional): Reads a video file as one
            clip; without it a video is a ValueError that says which
            tools take videos.

    Raises:
        FileNotFoundError: No such file.
        ValueError: Unknown suffix or a malformed file (a
            :class:`SkeletonFormatError` names the file and line).
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'clip file {path!r} not found')
    suffix = osp.splitext(path)[1].lower()
    stem = osp.splitext(osp.basename(path))[0]
    if suffix == '.skeleton':
        data = read_ntu_sample(path, max_frames, max_bodies)
        return [Clip(stem, path, data, _ntu_label(path))]
    if suffix == '.json':
        base, label = _kinetics_header(path)
        if frame_index_base != 'auto':
            base = int(frame_index_base)
        data, dropped = read_kinetics_video(
            path, max_frames, num_person_in=5, num_person_out=max_bodies,
            frame_index_base=base)
        note = None
        if dropped:
            note = (f'{path}: {dropped} frames past the first {max_frames} '
                    'left out (--max-frames)')
        return [Clip(stem, path, data, label, note)]
    if suffix == '.npy':
        return _npy_clips(path)
    if suffix in VIDEO_SUFFIXES:
        if video_reader is not None:
            return [video_reader(path)]
        raise ValueError(
            f'clip file {path!r} is a video; tools/infer.py and '
            'tools/demo_video.py take videos (they extract the poses), '
            f'here one of {CLIP_SUFFIXES} is expected')
    raise ValueError(
        f'clip file {path!r}: unsupported suffix {suffix!r}; expected one '
        f'of {CLIP_SUFFIXES}')


def find_clip_files(folder: str,
                    suffixes: Tuple[str, ...] = CLIP_SUFFIXES) -> List[str]:
    """Files of ``folder`` (not sub-folders) with one of ``suffixes``
    (default: the clip suffixes), sorted."""
    if not osp.isdir(folder):
        raise FileNotFoundError(f'folder {folder!r} not found')
    return sorted(
        osp.join(folder, name) for name in os.listdir(folder)
        if name.lower().endswith(suffixes)
        and osp.isfile(osp.join(folder, name)))


def read_clips(path: str, **kwargs) -> Tuple[List[Clip], List[str]]:
    """Clips of a file or of every clip file in a folder (and of every
    video there, given a ``video_reader``).

    A file that cannot be read is reported, not raised, so one bad clip
    does not stop a folder.

    Args:
        path (str): A clip file or a folder of them.
        **kwargs: Passed to :func:`read_clip_file`.

    Returns:
        tuple: The clips, and one error message per unreadable file.
    """
    suffixes = CLIP_SUFFIXES
    if kwargs.get('video_reader') is not None:
        suffixes += VIDEO_SUFFIXES
    files = find_clip_files(path, suffixes) if osp.isdir(path) else [path]
    if not files:
        return [], [f'{path}: no {"/".join(suffixes)} files in folder']
    clips: List[Clip] = []
    errors: List[str] = []
    for file in files:
        try:
            clips += read_clip_file(file, **kwargs)
        except SkeletonFormatError as error:
            errors.append(str(error))
        except (OSError, ValueError) as error:
            errors.append(f'{file}: {error}')
    return clips, errors


def read_dataset_sample(data_path: str,
                        label_path: Optional[str] = None,
                        index: Optional[int] = None,
                        name: Optional[str] = None) -> Clip:
    """One sample of a prepared dataset, by ``index`` or sample ``name``.

    Args:
        data_path (str): ``(N, C, T, V, M)`` ``.npy`` (with
            ``label_path``, a ``(sample_names, labels)`` pickle, for names
            and labels), an HDF5 file (``data``, ``label``,
            ``sample_name``) or a single ``(C, T, V, M)`` ``.npy``.
        label_path (str, optional): Label pickle of a ``.npy`` dataset.
        index (int, optional): Sample index (axis 0).
        name (str, optional): Sample name, instead of ``index``.

    Raises:
        ValueError: Neither or both of ``index`` and ``name``, an index out
            of range or an unknown name, naming the file.
    """
    if osp.splitext(data_path)[1].lower() in H5_SUFFIXES:
        return _stored_sample(H5Store(data_path), index, name)
    if not osp.isfile(data_path):
        raise FileNotFoundError(f'data file {data_path!r} not found')
    source = _open_npy(data_path, label_path)
    if isinstance(source, np.ndarray):
        if (index or 0) != 0 or name is not None or label_path is not None:
            raise ValueError(
                f'{data_path!r} holds a single clip {source.shape}; give no '
                'index, name or label file (or index 0)')
        return _npy_clips(data_path)[0]
    return _stored_sample(source, index, name)


def _stored_sample(store: SkeletonStore, index: Optional[int],
                   name: Optional[str]) -> Clip:
    """The sample of ``store`` chosen by ``index`` or ``name``."""
    path = store.path
    try:
        position = _position(path, len(store), store.names or [], index,
                             name)
        sample = store.read(position)
    finally:
        store.close()
    return Clip(store.names[position] if store.names else f'#{position}',
                path, sample,
                store.labels[position] if store.labels else None)


def _position(where: str, count: int, names: List[str],
              index: Optional[int], name: Optional[str]) -> int:
    if (index is None) == (name is None):
        raise ValueError(
            f'{where!r}: give either a sample index or a sample name')
    if name is not None:
        if not names:
            raise ValueError(
                f'{where!r}: choosing a sample by name needs the sample '
                'names (the label file of a .npy dataset)')
        if name not in names:
            raise ValueError(
                f'{where!r}: no sample named {name!r} among {len(names)} '
                f'samples (e.g. {names[:3]})')
        return names.index(name)
    if not -count <= index < count:
        raise ValueError(
            f'{where!r}: sample index {index} out of range; the file has '
            f'{count} samples')
    return index % count
