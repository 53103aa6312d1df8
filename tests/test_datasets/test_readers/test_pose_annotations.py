"""A clip of an MMAction2 / PYSKL pose pickle as a ``(3, T, V, M)`` sample."""
import numpy as np

from stgcn_reg.datasets.readers.pose_annotations import pose_to_skeleton


def test_persons_and_frames_are_cropped_and_padded():
    keypoint = np.arange(3 * 5 * 2 * 3, dtype=np.float32).reshape(3, 5, 2, 3)
    out = pose_to_skeleton(keypoint, max_persons=2, num_frames=4)
    assert out.shape == (3, 4, 2, 2)
    np.testing.assert_array_equal(out, keypoint[:2, :4].transpose(3, 1, 2, 0))
    out = pose_to_skeleton(keypoint[:1, :3], max_persons=2, num_frames=4)
    assert not out[:, 3].any() and not out[..., 1].any()
