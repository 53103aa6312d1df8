"""Whole MMAction2 1.2.0 skeleton pipelines against ours, from a PYSKL-
style annotation pickle of real clips: the 3-D NTU recipe (PreNormalize3D,
GenSkeFeat, UniformSampleFrames) and the 2-D one (PreNormalize2D on
pixels with img_shape, GenSkeFeat with keypoint_score)."""
import pickle

import numpy as np
import pytest
from mmaction_transforms import (
    from_mm,
    looped,
    mmaction_format_gcn_input,
    mmaction_pose_transforms,
    real_kinetics_clips,
    real_ntu_clips,
    to_mm,
)

from stgcn_reg.datasets import PoseAnnotationDataset

HEIGHT, WIDTH = 256, 340  # Kinetics-skeleton videos


@pytest.fixture(scope='module')
def mm():
    return mmaction_pose_transforms()


def persons(clip: np.ndarray) -> np.ndarray:
    """MMAction2's ``(M, T, V, C)`` of the persons present in ``clip``."""
    present = np.any(clip != 0, axis=(0, 1, 2))
    return to_mm(clip[..., present])


def write_pickle(folder, annotations) -> str:
    path = str(folder / 'anno.pkl')
    names = [annotation['frame_dir'] for annotation in annotations]
    with open(path, 'wb') as file:
        pickle.dump(dict(split=dict(val=names), annotations=annotations),
                    file)
    return path


@pytest.fixture(scope='module')
def ntu_annotations():
    """Real NTU clips at their own lengths (82 to 124 frames) and looped
    to 250, one body each, as PYSKL's 3-D pickles hold them."""
    clips = list(real_ntu_clips().values())
    clips.append(looped(clips[0], 250))
    return [dict(frame_dir=f'ntu{i}', label=i, keypoint=persons(clip),
                 total_frames=clip.shape[1])
            for i, clip in enumerate(clips)]


@pytest.fixture(scope='module')
def kinetics_annotations():
    """Real Kinetics clips in pixels, (x, y) + keypoint_score, img_shape,
    as PYSKL's 2-D pickles hold them."""
    annotations = []
    for i, clip in enumerate(real_kinetics_clips().values()):
        pixels = clip * np.array([WIDTH, HEIGHT, 1], np.float32)[:, None,
                                                                None, None]
        keypoint = persons(pixels)
        annotations.append(dict(
            frame_dir=f'kinetics{i}', label=i, img_shape=(HEIGHT, WIDTH),
            keypoint=keypoint[..., :2].copy(),
            keypoint_score=keypoint[..., 2].copy(),
            total_frames=keypoint.shape[1]))
    return annotations


def mm_pipeline(mm, normalize, feats, dataset, num_clips, annotation):
    results = dict(annotation)
    for transform in (normalize, mm.GenSkeFeat(dataset, feats),
                      mm.UniformSampleFrames(100, num_clips, test_mode=True),
                      mm.PoseDecode(),
                      mmaction_format_gcn_input(num_person=2)):
        results = transform(results)
    return from_mm(results['keypoint'])


def our_items(path, layout, pipeline):
    dataset = PoseAnnotationDataset(path, split='val', layout=layout,
                                    pipeline=pipeline, test_mode=True)
    return [dataset[i]['inputs'].numpy() for i in range(len(dataset))]


@pytest.mark.parametrize('feats', [['j'], ['b'], ['jm', 'bm']])
@pytest.mark.parametrize('num_clips', [1, 10])
def test_ntu_3d_recipe_equals_mmactions(mm, default_scope, tmp_path,
                                        ntu_annotations, feats, num_clips):
    pipeline = [
        dict(type='PreNormalize3D'),
        dict(type='GenSkeFeat', dataset='nturgb+d', feats=feats),
        dict(type='UniformSampleFrames', clip_len=100, num_clips=num_clips,
             test_mode=True)]
    items = our_items(write_pickle(tmp_path, ntu_annotations), 'nturgb+d',
                      pipeline)
    for item, annotation in zip(items, ntu_annotations):
        expected = mm_pipeline(mm, mm.PreNormalize3D(), feats, 'nturgb+d',
                               num_clips, annotation)
        item = item if num_clips > 1 else item[None]
        assert item.shape == expected.shape == (num_clips, 3 * len(feats),
                                                100, 25, 2)
        # MMAction2's PreNormalize3D works in float64, ours in float32
        np.testing.assert_allclose(item, expected, rtol=0, atol=1e-6)


@pytest.mark.parametrize('feats', [['j'], ['b', 'bm'], ['jm']])
def test_kinetics_2d_recipe_equals_mmactions(mm, default_scope, tmp_path,
                                             kinetics_annotations, feats):
    pipeline = [
        dict(type='PreNormalize2D'),
        dict(type='GenSkeFeat', dataset='openpose', feats=feats),
        dict(type='UniformSampleFrames', clip_len=100, num_clips=10,
             test_mode=True)]
    items = our_items(write_pickle(tmp_path, kinetics_annotations),
                      'openpose', pipeline)
    for item, annotation in zip(items, kinetics_annotations):
        expected = mm_pipeline(mm, mm.PreNormalize2D(), feats, 'openpose',
                               10, annotation)
        assert item.shape == expected.shape == (10, 3 * len(feats), 100,
                                                18, 2)
        np.testing.assert_array_equal(item, expected)


def test_img_shape_reaches_the_pipeline(tmp_path, kinetics_annotations):
    seen = []
    annotations = [dict(kinetics_annotations[0], img_shape=(720, 1280)),
                   dict(kinetics_annotations[1])]
    del annotations[1]['img_shape']

    def record(results):
        seen.append(results.get('img_shape'))
        return results

    our_items(write_pickle(tmp_path, annotations), 'openpose', [record])
    assert seen == [(720, 1280), None]
    annotations[0]['img_shape'] = (720, )
    with pytest.raises(ValueError, match="'kinetics0'.*'img_shape' must"):
        our_items(write_pickle(tmp_path, annotations), 'openpose', [])
