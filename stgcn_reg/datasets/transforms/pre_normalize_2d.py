"""MMAction2's 2-D pre-normalization: pixel coordinates to [-1, 1]."""

from typing import Optional, Sequence, Tuple

import numpy as np

from stgcn_reg.registry import TRANSFORMS

from .common import get_keypoint, transform_repr


def _check_shape(name: str, value: Sequence) -> Tuple:
    """``value`` as a ``(height, width)`` tuple of positive numbers."""
    try:
        height, width = value
        positive = float(height) > 0 and float(width) > 0
    except (TypeError, ValueError):
        positive = False
    if not positive or isinstance(height, bool) or isinstance(width, bool):
        raise ValueError(
            f'PreNormalize2D: {name} must be (height, width), two positive '
            f'numbers, got {value!r}')
    return height, width


@TRANSFORMS.register_module()
class PreNormalize2D:
    """Map image coordinates to [-1, 1] by the video's resolution.

    As MMAction2's ``PreNormalize2D``, with ``(h, w)`` the sample's
    ``img_shape`` (or ``img_shape`` of the transform when the sample has
    none)::

        x' = (x - w / 2) / (w / 2)        y' = (y - h / 2) / (h / 2)

    on channels 0 and 1 of every joint, undetected ones (0, 0) too, which
    become (-1, -1) as in MMAction2; other channels (a score) are kept.
    A person that is all zero in every frame is padding (our feeders pad
    persons before the pipeline, MMAction2 only after it, in
    ``FormatGCNInput``) and stays zero.

    With ``threshold`` set, joints whose score (channel 2) is at most
    ``threshold`` get x' = y' = 0 afterwards, as PYSKL's
    ``PreNormalize2D`` (its default 0.01) does.

    Required Keys:
        - keypoint: float32 array of shape (C, T, V, M), C >= 2, channels
          (x, y[, score]) in pixels.
        - img_shape (optional): (height, width) of the video.

    Modified Keys:
        - keypoint: float32 array of shape (C, T, V, M).

    Args:
        img_shape (tuple): ``(height, width)`` used when the sample has no
            ``img_shape``. Defaults to ``(1080, 1920)``, MMAction2's.
        threshold (float, optional): PYSKL's score threshold; None (as
            MMAction2) masks nothing. Defaults to None.

    Examples:
        >>> import numpy as np
        >>> keypoint = np.full((3, 2, 17, 1), 540.0, dtype=np.float32)
        >>> out = PreNormalize2D()(dict(keypoint=keypoint,
        ...                             img_shape=(1080, 1080)))
        >>> float(out['keypoint'][0, 0, 0, 0])
        0.0
    """

    def __init__(self, img_shape: Sequence = (1080, 1920),
                 threshold: Optional[float] = None) -> None:
        self.img_shape = _check_shape('img_shape', img_shape)
        if threshold is not None and not isinstance(
                threshold, (int, float, np.floating, np.integer)):
            raise ValueError(
                f'PreNormalize2D: threshold must be a number or None, got '
                f'{threshold!r}')
        self.threshold = threshold

    def __call__(self, results: dict) -> dict:
        keypoint = get_keypoint(results, self).copy()
        if keypoint.shape[0] < 2:
            raise ValueError(
                f"PreNormalize2D: results['keypoint'] needs channels (x, "
                f'y), got C={keypoint.shape[0]} (shape {keypoint.shape}, '
                'axis 0)')
        height, width = _check_shape("results['img_shape']",
                                     results.get('img_shape',
                                                 self.img_shape))
        real = np.any(keypoint != 0, axis=(0, 1, 2))  # (M,)
        people = keypoint[..., real]
        people[0] = (people[0] - width / 2) / (width / 2)
        people[1] = (people[1] - height / 2) / (height / 2)
        if self.threshold is not None and keypoint.shape[0] > 2:
            people[:2, people[2] <= self.threshold] = 0
        keypoint[..., real] = people
        results['keypoint'] = keypoint
        return results

    def __repr__(self) -> str:
        return transform_repr(self, 'img_shape', 'threshold')
