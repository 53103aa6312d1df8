"""Project skeleton coordinates onto an image: views, rotation, fitting.

3-D joints (NTU camera space: x right, y up, z away from the camera) are
rotated to a chosen view and projected orthographically onto the view's
``(x, y)`` plane. 2-D joints (OpenPose/COCO image coordinates, y down) are
drawn as they are. Either way, one scale and offset for the whole clip
fit every valid joint onto the canvas, so the camera stays still.
"""
from typing import Dict, Tuple, Union

import numpy as np

# name -> (azimuth, elevation) in degrees
VIEWS: Dict[str, Tuple[float, float]] = {
    'front': (0.0, 0.0),
    'side': (90.0, 0.0),
    'top': (0.0, 90.0),
}

View = Union[str, Tuple[float, float]]


def resolve_view(view: View) -> Tuple[float, float]:
    """``(azimuth, elevation)`` of a named view or of the pair itself."""
    if isinstance(view, str):
        if view not in VIEWS:
            raise ValueError(
                f'unknown view {view!r}; expected one of {sorted(VIEWS)} '
                'or an (azimuth, elevation) pair in degrees')
        return VIEWS[view]
    azimuth, elevation = view
    return float(azimuth), float(elevation)


def view_rotation(azimuth: float, elevation: float) -> np.ndarray:
    """The ``(3, 3)`` rotation ``R_x(elevation) @ R_y(azimuth)``.

    Azimuth turns the scene about the vertical y axis (90: x' = z, the
    depth becomes the horizontal image axis, a side view); elevation then
    tilts it about the x axis (90: y' = -z, a view from above where joints
    near the camera appear higher). Angles are in degrees.
    """
    a, e = np.deg2rad(azimuth), np.deg2rad(elevation)
    about_y = np.array([[np.cos(a), 0.0, np.sin(a)], [0.0, 1.0, 0.0],
                        [-np.sin(a), 0.0, np.cos(a)]])
    about_x = np.array([[1.0, 0.0, 0.0], [0.0, np.cos(e), -np.sin(e)],
                        [0.0, np.sin(e), np.cos(e)]])
    return about_x @ about_y


def project_points(points: np.ndarray, view: View = 'front') -> np.ndarray:
    """Orthographic projection of 3-D points ``(..., 3)`` to ``(..., 2)``.

    The result is ``(x', y')`` of the rotated points, y up.
    """
    points = np.asarray(points, dtype=np.float64)
    if points.shape[-1] != 3:
        raise ValueError(
            f'project_points expects (..., 3) points, got {points.shape}')
    rotation = view_rotation(*resolve_view(view))
    return (points @ rotation.T)[..., :2]


def fit_to_canvas(points: np.ndarray,
                  valid: np.ndarray,
                  width: int,
                  height: int,
                  margin: float = 0.1,
                  y_up: bool = True) -> np.ndarray:
    """Scale and shift 2-D points ``(..., 2)`` into pixel coordinates.

    One uniform scale maps the bounding box of the ``valid`` points into
    the canvas less a margin, centred; with ``y_up`` the vertical axis is
    flipped (image rows grow downwards).

    Args:
        points (np.ndarray): ``(..., 2)`` coordinates.
        valid (np.ndarray): Boolean ``(...)`` mask of the joints to fit.
        width (int): Canvas width in pixels.
        height (int): Canvas height in pixels.
        margin (float): Border on each side as a fraction of the smaller
            canvas side. Defaults to 0.1.
        y_up (bool): The data's y axis points up. Defaults to True.

    Returns:
        np.ndarray: float ``(..., 2)`` pixel ``(column, row)``.
    """
    points = np.asarray(points, dtype=np.float64)
    valid = np.asarray(valid, dtype=bool)
    if y_up:
        points = points * np.array([1.0, -1.0])
    border = margin * min(width, height)
    inner = np.array([width - 2 * border, height - 2 * border])
    chosen = points[valid]
    if chosen.size == 0:
        return np.broadcast_to(np.array([width, height]) / 2.0,
                               points.shape).copy()
    low, high = chosen.min(axis=0), chosen.max(axis=0)
    extent = high - low
    spread = extent > 1e-12
    scale = (inner[spread] / extent[spread]).min() if spread.any() else 1.0
    centre = (low + high) / 2.0
    return (points - centre) * scale + np.array([width, height]) / 2.0
