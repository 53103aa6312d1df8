"""The MMAction2 / PYSKL annotation feeder: layout, splits, bad input."""

import pickle

import numpy as np
import pytest
import torch

from stgcn_reg.datasets import PoseAnnotationDataset
from stgcn_reg.registry import DATASETS


def make_annotations(dims: int, num: int = 4, seed: int = 0) -> list:
    """MMAction2-style clips: 2D coco with scores or 3D ntu without.

    Clip i has 1 + i % 3 persons and 6 + i frames.
    """
    rng = np.random.default_rng(seed)
    joints = 17 if dims == 2 else 25
    annotations = []
    for i in range(num):
        persons, frames = 1 + i % 3, 6 + i
        keypoint = rng.normal(size=(persons, frames, joints, dims))
        annotation = dict(
            frame_dir=f'clip{i}',
            label=i % 3,
            keypoint=keypoint.astype(np.float32),
            total_frames=frames,
            img_shape=(1080, 1920),
            original_shape=(1080, 1920),
        )
        if dims == 2:
            score = rng.uniform(0.1, 1, size=(persons, frames, joints))
            annotation['keypoint_score'] = score.astype(np.float16)
        annotations.append(annotation)
    return annotations


def write_annotations(path, annotations, split=None) -> str:
    """Pickle a dict with splits, or a plain list when split is None."""
    content = (
        annotations
        if split is None
        else dict(split=split, annotations=annotations)
    )
    with open(path, 'wb') as file:
        pickle.dump(content, file)
    return str(path)


def expected_sample(annotation, max_persons, num_frames):
    """(C, T, V, M) built element by element, the slow obvious way."""
    keypoint = annotation['keypoint']
    score = annotation.get('keypoint_score')
    persons, frames, joints, dims = keypoint.shape
    out = np.zeros((3, num_frames, joints, max_persons), np.float32)
    for m in range(min(persons, max_persons)):
        for t in range(min(frames, num_frames)):
            for v in range(joints):
                out[:dims, t, v, m] = keypoint[m, t, v]
                if dims == 2:
                    out[2, t, v, m] = score[m, t, v]
    return out


def test_2d_clips_get_scores_as_third_channel(tmp_path):
    annotations = make_annotations(2)
    names = [a['frame_dir'] for a in annotations]
    path = write_annotations(tmp_path / 'a.pkl', annotations, dict(all=names))
    dataset = PoseAnnotationDataset(
        path, 'all', num_classes=3, layout='coco', num_frames=8
    )
    assert len(dataset) == 4
    for index, annotation in enumerate(annotations):
        item = dataset[index]
        assert item['data_samples'] == dict(
            label=index % 3, index=index, sample_name=f'clip{index}'
        )
        assert item['inputs'].dtype == torch.float32
        np.testing.assert_allclose(
            item['inputs'].numpy(), expected_sample(annotation, 2, 8)
        )


def test_3d_clips_keep_their_length_without_num_frames(tmp_path):
    annotations = make_annotations(3)
    path = write_annotations(tmp_path / 'a.pkl', annotations)
    dataset = PoseAnnotationDataset(path, layout='ntu-rgb+d', max_persons=3)
    for index, annotation in enumerate(annotations):
        frames = annotation['keypoint'].shape[1]
        inputs = dataset[index]['inputs'].numpy()
        assert inputs.shape == (3, frames, 25, 3)
        np.testing.assert_array_equal(
            inputs, expected_sample(annotation, 3, frames)
        )


def test_2d_without_scores_scores_detected_joints(tmp_path):
    annotation = make_annotations(2, num=1)[0]
    del annotation['keypoint_score']
    annotation['keypoint'][0, 2, 5] = 0  # joint 5 undetected in frame 2
    path = write_annotations(tmp_path / 'a.pkl', [annotation])
    inputs = PoseAnnotationDataset(path, num_frames=10)[0]['inputs']
    score = inputs[2].numpy()  # (T, V, M)
    assert score[2, 5, 0] == 0
    assert score[:6, :, 0].sum() == 6 * 17 - 1
    assert not score[6:].any() and not score[:, :, 1].any()  # padding


def test_split_selection_keeps_file_order(tmp_path):
    annotations = make_annotations(3)
    split = dict(train=['clip3', 'clip0'], val=['clip1', 'clip2'])
    path = write_annotations(tmp_path / 'a.pkl', annotations, split)
    train = PoseAnnotationDataset(path, 'train')
    names = [train[i]['data_samples']['sample_name'] for i in range(2)]
    assert names == ['clip0', 'clip3']
    assert len(PoseAnnotationDataset(path, 'val')) == 2
    assert len(PoseAnnotationDataset(path)) == 4  # no split: every clip


def test_pipeline_from_config(default_scope, tmp_path):
    path = write_annotations(tmp_path / 'a.pkl', make_annotations(3))
    dataset = DATASETS.build(
        dict(
            type='PoseAnnotationDataset',
            ann_file='a.pkl',
            data_root=str(tmp_path),
            num_frames=20,
            pipeline=[dict(type='RandomChoose', window_size=8)],
        )
    )
    assert path == dataset.ann_file
    assert dataset[3]['inputs'].shape == (3, 8, 25, 2)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='ann_file.*nope.pkl'):
        PoseAnnotationDataset(str(tmp_path / 'nope.pkl'))


def test_unknown_split_lists_the_available_ones(tmp_path):
    split = dict(xsub_train=['clip0'], xsub_val=['clip1'])
    path = write_annotations(tmp_path / 'a.pkl', make_annotations(3), split)
    with pytest.raises(
        KeyError,
        match=r"a.pkl.*unknown split 'xview'.*\['xsub_train', 'xsub_val'\]",
    ):
        PoseAnnotationDataset(path, 'xview')


def test_split_of_a_plain_list_file(tmp_path):
    path = write_annotations(tmp_path / 'a.pkl', make_annotations(3))
    with pytest.raises(ValueError, match="a.pkl.*no 'split'.*split=None"):
        PoseAnnotationDataset(path, 'xsub_train')


def test_missing_frame_dir_is_named(tmp_path):
    split = dict(train=['clip0', 'clip9'])
    path = write_annotations(tmp_path / 'a.pkl', make_annotations(3), split)
    with pytest.raises(ValueError, match="a.pkl.*'train'.*'clip9'"):
        PoseAnnotationDataset(path, 'train')


@pytest.mark.parametrize(
    'keypoint, message',
    [
        (np.zeros((6, 17, 2)), r'\(M, T, V, C\).*shape \(6, 17, 2\)'),
        (np.zeros((1, 6, 17, 4)), r'C=2 \(2D\) or C=3.*\(1, 6, 17, 4\)'),
        ([[0.0]], 'numeric numpy array'),
    ],
)
def test_bad_keypoint_is_reported(tmp_path, keypoint, message):
    annotations = make_annotations(3, num=2)
    annotations[1]['keypoint'] = keypoint
    path = write_annotations(tmp_path / 'a.pkl', annotations)
    with pytest.raises(
        ValueError, match=f"a.pkl.*#1.*'clip1'.*'keypoint'.*{message}"
    ):
        PoseAnnotationDataset(path)


def test_bad_score_shape_is_reported(tmp_path):
    annotations = make_annotations(2, num=1)
    annotations[0]['keypoint_score'] = np.ones((1, 6))
    path = write_annotations(tmp_path / 'a.pkl', annotations)
    with pytest.raises(ValueError, match=r"'keypoint_score'.*\(1, 6, 17\)"):
        PoseAnnotationDataset(path)


def test_layout_and_label_checks(tmp_path):
    path = write_annotations(tmp_path / 'a.pkl', make_annotations(2))
    with pytest.raises(ValueError, match=r"V=17.*'ntu-rgb\+d' has 25"):
        PoseAnnotationDataset(path, layout='ntu-rgb+d')
    with pytest.raises(ValueError, match=r"'clip2'.*is 2, outside \[0, 2\)"):
        PoseAnnotationDataset(path, num_classes=2)


def test_missing_field_and_bad_container(tmp_path):
    annotations = make_annotations(3, num=2)
    del annotations[0]['label']
    path = write_annotations(tmp_path / 'a.pkl', annotations)
    with pytest.raises(ValueError, match="a.pkl.*#0.*no 'label'"):
        PoseAnnotationDataset(path)
    with open(path, 'wb') as file:
        pickle.dump(dict(labels=[0]), file)
    with pytest.raises(ValueError, match="a.pkl.*'annotations'.*'labels'"):
        PoseAnnotationDataset(path)


def test_bad_options(tmp_path):
    with pytest.raises(ValueError, match='max_persons.*got 0'):
        PoseAnnotationDataset('a.pkl', max_persons=0)
    with pytest.raises(ValueError, match='num_frames.*got 1.5'):
        PoseAnnotationDataset('a.pkl', num_frames=1.5)


def test_malicious_pickle_is_refused(tmp_path):
    marker = tmp_path / 'pwned'

    class Exploit:
        def __reduce__(self):
            import os

            return os.system, (f'touch {marker}',)

    annotations = make_annotations(3, num=1)
    annotations[0]['label'] = Exploit()
    path = write_annotations(tmp_path / 'a.pkl', annotations)
    with pytest.raises(pickle.UnpicklingError, match='a.pkl.*system'):
        PoseAnnotationDataset(path)
    assert not marker.exists()
