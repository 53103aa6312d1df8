"""View rotation, orthographic projection and fitting onto the canvas."""
import numpy as np
import pytest

from stgcn_reg.visualization import (
    VIEWS,
    fit_to_canvas,
    project_points,
    resolve_view,
    view_rotation,
)


def test_front_view_keeps_x_and_y():
    points = np.array([[0.3, -1.2, 4.0], [-2.0, 0.5, 1.0]])
    np.testing.assert_allclose(project_points(points, 'front'),
                               points[:, :2], atol=1e-12)


def test_side_view_shows_depth_horizontally():
    depth, right, up = [0, 0, 1.0], [1.0, 0, 0], [0, 1.0, 0]
    projected = project_points(np.array([depth, right, up]), 'side')
    np.testing.assert_allclose(projected, [[1, 0], [0, 0], [0, 1]],
                               atol=1e-12)


def test_top_view_shows_depth_vertically_nearer_higher():
    projected = project_points(np.array([[0, 0, 1.0], [0, 1.0, 0],
                                         [1.0, 0, 0]]), 'top')
    np.testing.assert_allclose(projected, [[0, -1], [0, 0], [1, 0]],
                               atol=1e-12)


def test_custom_angles_follow_the_formula():
    azimuth, elevation = 30.0, 20.0
    a, e = np.deg2rad(azimuth), np.deg2rad(elevation)
    x, y, z = 0.4, -0.7, 2.5
    # turn about y, then tilt about x
    x1, z1 = x * np.cos(a) + z * np.sin(a), -x * np.sin(a) + z * np.cos(a)
    expected = [x1, y * np.cos(e) - z1 * np.sin(e)]
    np.testing.assert_allclose(
        project_points(np.array([x, y, z]), (azimuth, elevation)), expected,
        atol=1e-12)


@pytest.mark.parametrize('angles', [(0, 0), (37, -12), (90, 90), (200, 45)])
def test_rotation_is_proper_and_keeps_lengths(angles):
    rotation = view_rotation(*angles)
    np.testing.assert_allclose(rotation @ rotation.T, np.eye(3), atol=1e-12)
    assert np.linalg.det(rotation) == pytest.approx(1.0)
    points = np.random.default_rng(0).normal(size=(5, 3))
    np.testing.assert_allclose(np.linalg.norm(points @ rotation.T, axis=1),
                               np.linalg.norm(points, axis=1))


def test_views_by_name_and_unknown_name():
    assert resolve_view('side') == VIEWS['side'] == (90.0, 0.0)
    assert resolve_view((10, 5)) == (10.0, 5.0)
    with pytest.raises(ValueError, match="unknown view 'back'"):
        resolve_view('back')
    with pytest.raises(ValueError, match=r'\(\.\.\., 3\)'):
        project_points(np.zeros((2, 2)))


def test_fit_maps_the_valid_box_inside_the_margin_y_up():
    points = np.array([[-1.0, 1.0], [1.0, 1.0], [0.0, -1.0], [50.0, 50.0]])
    valid = np.array([True, True, True, False])  # the far point is absent
    pixels = fit_to_canvas(points, valid, 200, 200, margin=0.1)
    # box [-1, 1]^2, 160 px inside a 20 px border: 80 px per unit
    np.testing.assert_allclose(pixels[:3], [[20, 20], [180, 20], [100, 180]])


def test_fit_uses_one_scale_for_both_axes_and_keeps_image_y_down():
    points = np.array([[0.0, 0.0], [4.0, 1.0]])
    pixels = fit_to_canvas(points, np.ones(2, bool), 300, 100, margin=0.1,
                           y_up=False)
    # width allows 280/4 = 70 px per unit, height 80/1 = 80: 70 wins
    np.testing.assert_allclose(pixels, [[10, 15], [290, 85]])


def test_fit_of_a_single_point_or_nothing_is_centred():
    single = fit_to_canvas(np.array([[3.0, 4.0]]), np.array([True]), 100,
                           80)
    np.testing.assert_allclose(single, [[50, 40]])
    empty = fit_to_canvas(np.zeros((2, 2)), np.zeros(2, bool), 100, 80)
    np.testing.assert_allclose(empty, [[50, 40], [50, 40]])
