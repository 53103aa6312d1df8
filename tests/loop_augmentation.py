"""RandomChoose and RandomMove written frame by frame, as the original
ST-GCN feeder tools do: the baseline of the augmentation benchmark.

They draw the same random numbers in the same order as the package's
vectorised transforms and compute every value with the same float
operations, so on the same seed the outputs are equal; only the Python
loops over frames differ.
"""
import numpy as np

from stgcn_reg.datasets.transforms import RandomMove
from stgcn_reg.datasets.transforms.augmentation import _cos_sin


class LoopRandomChoose:
    """``RandomChoose`` with per-frame loops (validity test and copy).

    Args:
        window_size (int): Number of output frames.
    """

    def __init__(self, window_size: int) -> None:
        self.window_size = window_size

    def __call__(self, results: dict) -> dict:
        keypoint = np.asarray(results['keypoint'], dtype=np.float32)
        channels, frames, joints, persons = keypoint.shape
        valid = [t for t in range(frames) if np.any(keypoint[:, t] != 0)]
        begin, end = (valid[0], valid[-1] + 1) if valid else (0, 0)
        size = self.window_size
        out = np.zeros((channels, size, joints, persons), np.float32)
        if end - begin <= size:
            offset = np.random.randint(0, size - (end - begin) + 1)
            for t in range(begin, end):
                out[:, offset + t - begin] = keypoint[:, t]
        else:
            start = np.random.randint(begin, end - size + 1)
            for t in range(size):
                out[:, t] = keypoint[:, start + t]
        results['keypoint'] = out
        return results


class LoopRandomMove:
    """``RandomMove`` as the original ``random_move``: a ``np.linspace``
    per segment between control frames, then one frame at a time.

    Args:
        **kwargs: The candidates of :class:`RandomMove`.
    """

    def __init__(self, **kwargs) -> None:
        self.transform = RandomMove(**kwargs)

    def __call__(self, results: dict) -> dict:
        keypoint = np.asarray(results['keypoint'], dtype=np.float32)
        num_frames = keypoint.shape[1]
        out = keypoint.copy()
        if num_frames == 0:
            results['keypoint'] = out
            return results
        node, controls = self.transform.draw(num_frames)
        curves = np.zeros((4, num_frames))
        for i in range(len(node) - 1):
            for curve, control in zip(curves, controls):
                curve[node[i]:node[i + 1]] = np.linspace(
                    control[i], control[i + 1], node[i + 1] - node[i])
        for t in range(num_frames):
            angle, scale, t_x, t_y = curves[:, t]
            cos, sin = _cos_sin(np.array(angle))
            x, y = keypoint[0, t], keypoint[1, t]
            present = np.any(keypoint[:, t] != 0, axis=0)
            out[0, t] = np.where(present, (cos * scale) * x +
                                 (-sin * scale) * y + t_x, 0.0)
            out[1, t] = np.where(present, (sin * scale) * x +
                                 (cos * scale) * y + t_y, 0.0)
        results['keypoint'] = out
        return results
