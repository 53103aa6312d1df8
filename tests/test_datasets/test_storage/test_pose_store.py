"""The annotation-pickle store: one built ``(3, T, V, M)`` sample a read."""
import pickle

import numpy as np
import pytest

from stgcn_reg.datasets.storage import PoseAnnotationStore


def make_annotations(dims: int) -> list:
    """Four clips of 1 + i % 2 persons and 6 + i frames, scores for 2D."""
    rng = np.random.default_rng(dims)
    joints = 17 if dims == 2 else 25
    annotations = []
    for i in range(4):
        shape = (1 + i % 2, 6 + i, joints)
        annotation = dict(frame_dir=f'clip{i}', label=i % 3,
                          keypoint=rng.normal(size=(*shape, dims)))
        if dims == 2:
            annotation['keypoint_score'] = rng.uniform(size=shape)
        annotations.append(annotation)
    return annotations


def write_annotations(path, annotations) -> str:
    with open(path, 'wb') as file:
        pickle.dump(annotations, file)
    return str(path)


def expected_sample(annotation: dict, num_frames: int) -> np.ndarray:
    """(3, T, V, 2): coordinates, then the score of 2D poses."""
    keypoint = annotation['keypoint'][:, :num_frames]
    persons, frames, joints, dims = keypoint.shape
    out = np.zeros((3, num_frames, joints, 2))
    out[:dims, :frames, :, :persons] = keypoint.transpose(3, 1, 2, 0)
    if dims == 2:
        score = annotation['keypoint_score'][:, :num_frames]
        out[2, :frames, :, :persons] = score.transpose(1, 2, 0)
    return out.astype(np.float32)


@pytest.mark.parametrize('dims', [2, 3])
def test_samples_names_and_labels(tmp_path, dims):
    annotations = make_annotations(dims)
    path = write_annotations(tmp_path / 'a.pkl', annotations)
    store = PoseAnnotationStore(path, max_persons=2, num_frames=8)
    assert len(store) == 4 and store.names == [f'clip{i}' for i in range(4)]
    assert store.labels == [0, 1, 2, 0] and store.dtype == np.float32
    joints = 17 if dims == 2 else 25
    assert store.sample_shape == (3, 8, joints, 2)
    for index, annotation in enumerate(annotations):
        np.testing.assert_allclose(store.read(index),
                                   expected_sample(annotation, 8))


def test_clip_lengths_without_num_frames(tmp_path):
    path = write_annotations(tmp_path / 'a.pkl', make_annotations(3))
    store = PoseAnnotationStore(path)
    assert store.sample_shape is None  # clips have 6 to 9 frames
    assert [store.read(i).shape[1] for i in range(4)] == [6, 7, 8, 9]


def test_non_finite_poses_are_named(tmp_path):
    annotations = make_annotations(3)
    annotations[1]['keypoint'][0, 0, 0, 0] = np.inf
    store = PoseAnnotationStore(write_annotations(tmp_path / 'a.pkl',
                                                  annotations))
    with pytest.raises(ValueError, match=r"a.pkl'.*sample #1 contains 1"):
        store.read(1)
