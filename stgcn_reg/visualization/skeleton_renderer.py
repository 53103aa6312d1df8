"""Draw skeleton clips ``(C, T, V, M)`` as images with OpenCV.

Bones come from the graph layout, one colour per person; a text panel
above the drawing shows the frame index, the true label and the top
predictions. Joints may be coloured by a per-joint heat in ``[0, 1]``
(e.g. the learned edge importance of a trained model).
"""
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple, Union

import cv2
import numpy as np

from stgcn_reg.graphs.layouts import LAYOUTS, Layout, get_layout

from .projection import View, fit_to_canvas, project_points

Colour = Tuple[int, int, int]  # B, G, R
# person m is drawn in PERSON_COLOURS[m % len(PERSON_COLOURS)]
PERSON_COLOURS: Tuple[Colour, ...] = ((200, 100, 0), (0, 120, 255),
                                      (40, 160, 0), (180, 0, 180),
                                      (0, 0, 200), (150, 150, 0))
_FONT = cv2.FONT_HERSHEY_SIMPLEX

Prediction = Tuple[str, float]


@dataclass(frozen=True)
class RenderStyle:
    """Sizes and colours of a rendering.

    Args:
        width (int): Drawing width in pixels. Defaults to 480.
        height (int): Drawing height in pixels (the text panel is added
            above it). Defaults to 480.
        margin (float): Border around the skeletons, as a fraction of the
            smaller side. Defaults to 0.1.
        bone_thickness (int): Line width of bones. Defaults to 3.
        joint_radius (int): Radius of joints (doubled at heat 1).
            Defaults to 4.
        background (tuple): BGR background. Defaults to white.
        text_colour (tuple): BGR text colour. Defaults to black.
        font_scale (float): OpenCV font scale of the panel. Defaults to
            0.5.
    """

    width: int = 480
    height: int = 480
    margin: float = 0.1
    bone_thickness: int = 3
    joint_radius: int = 4
    background: Colour = (255, 255, 255)
    text_colour: Colour = (0, 0, 0)
    font_scale: float = 0.5

    @property
    def line_height(self) -> int:
        """Pixel height of one panel line."""
        return int(round(40 * self.font_scale))


def layout_for_joints(num_joints: int) -> str:
    """The first built-in layout with ``num_joints`` joints: 25
    ``ntu-rgb+d``, 24 ``ntu_edge``, 18 ``openpose``, 17 ``coco``."""
    for name, layout in LAYOUTS.items():
        if layout.num_node == num_joints:
            return name
    known = {layout.num_node: name for name, layout in LAYOUTS.items()}
    raise ValueError(
        f'no built-in layout has {num_joints} joints (known: {known}); '
        'give the layout')


def person_colour(person: int) -> Colour:
    """BGR colour of person slot ``person``."""
    return PERSON_COLOURS[person % len(PERSON_COLOURS)]


def heat_colour(heat: float) -> Colour:
    """BGR colour of a heat in ``[0, 1]`` (OpenCV's JET map)."""
    level = np.uint8(round(float(np.clip(heat, 0.0, 1.0)) * 255))
    pixel = cv2.applyColorMap(np.full((1, 1), level, np.uint8),
                              cv2.COLORMAP_JET)[0, 0]
    return int(pixel[0]), int(pixel[1]), int(pixel[2])


def caption_lines(frame: int,
                  num_frames: int,
                  true_label: Optional[str] = None,
                  predictions: Optional[Sequence[Prediction]] = None
                  ) -> List[str]:
    """The panel text: frame index, true label, numbered predictions."""
    lines = [f'frame {frame} / {num_frames}']
    if true_label is not None:
        lines.append(f'true: {true_label}')
    if predictions:
        lines.append(f'top-{len(predictions)}:')
        lines += [
            f'{rank}. {name}  {score:.3f}'
            for rank, (name, score) in enumerate(predictions, start=1)
        ]
    return lines


class SkeletonRenderer:
    """Render skeleton clips of one layout from one view.

    Args:
        layout (str | Layout): Graph layout whose bones are drawn.
        view (str | tuple): ``front``, ``side``, ``top`` or an
            ``(azimuth, elevation)`` pair in degrees; used for 3-D data.
            Defaults to ``'front'``.
        coords (str): ``'3d'`` (x, y, z, y up), ``'2d'`` (image x, y, y
            down, an optional 3rd channel is the joint score) or
            ``'auto'`` (2-D for layouts of image coordinates,
            :attr:`~stgcn_reg.graphs.Layout.image_coordinates`: ``openpose``
            and ``coco``).
            Defaults to ``'auto'``.
        style (RenderStyle, optional): Sizes and colours.

    Examples:
        >>> renderer = SkeletonRenderer('ntu-rgb+d', view='side')
        >>> frames = renderer.render(sample, true_label='drink water')
        >>> frames[0].shape
        (640, 480, 3)
    """

    def __init__(self,
                 layout: Union[str, Layout],
                 view: View = 'front',
                 coords: str = 'auto',
                 style: Optional[RenderStyle] = None) -> None:
        self.layout = get_layout(layout) if isinstance(layout, str) else layout
        if coords == 'auto':
            coords = '2d' if self.layout.image_coordinates else '3d'
        if coords not in ('2d', '3d'):
            raise ValueError(
                f"coords must be '2d', '3d' or 'auto', got {coords!r}")
        self.coords = coords
        self.view = view
        self.style = style or RenderStyle()

    def _check(self, sample: np.ndarray) -> np.ndarray:
        sample = np.asarray(sample, dtype=np.float64)
        need = 3 if self.coords == '3d' else 2
        if sample.ndim != 4 or sample.shape[0] < need:
            raise ValueError(
                f'expected a skeleton clip (C, T, V, M) with C >= {need} '
                f'for {self.coords} coordinates, got shape {sample.shape}')
        if sample.shape[2] != self.layout.num_node:
            raise ValueError(
                f'clip of shape {sample.shape} has V={sample.shape[2]} '
                f'joints but layout {self.layout.name!r} has '
                f'{self.layout.num_node}; choose the layout of the data')
        return sample

    def valid_joints(self, sample: np.ndarray) -> np.ndarray:
        """Boolean ``(T, V, M)``: joints that are present.

        A joint is absent when its coordinates are all zero (padding,
        missing bodies) or, for 2-D data with a score channel, when its
        score is zero (not detected).
        """
        sample = self._check(sample)
        if self.coords == '2d' and sample.shape[0] >= 3:
            return sample[2] > 0
        dims = 3 if self.coords == '3d' else 2
        return np.any(sample[:dims] != 0, axis=0)

    def project(self, sample: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Pixel ``(column, row)`` positions ``(T, V, M, 2)`` in the
        drawing (rows below the text panel) and the ``(T, V, M)`` mask of
        present joints."""
        sample = self._check(sample)
        valid = self.valid_joints(sample)
        if self.coords == '3d':
            points = project_points(sample[:3].transpose(1, 2, 3, 0),
                                    self.view)
        else:
            points = sample[:2].transpose(1, 2, 3, 0)
        style = self.style
        pixels = fit_to_canvas(points, valid, style.width, style.height,
                               style.margin, y_up=self.coords == '3d')
        return pixels, valid

    def panel_height(self, num_lines: int) -> int:
        """Height of a text panel of ``num_lines`` lines."""
        return self.style.line_height * num_lines + self.style.line_height // 2

    def draw_frame(self,
                   pixels: np.ndarray,
                   valid: np.ndarray,
                   caption: Sequence[str] = (),
                   heat: Optional[np.ndarray] = None) -> np.ndarray:
        """One BGR image: the text panel above the drawn skeletons.

        Args:
            pixels (np.ndarray): ``(V, M, 2)`` positions in the drawing.
            valid (np.ndarray): ``(V, M)`` joints present.
            caption (sequence of str): Panel lines.
            heat (np.ndarray, optional): ``(V,)`` joint heat in ``[0, 1]``.

        Returns:
            np.ndarray: uint8 ``(panel + height, width, 3)``.
        """
        style = self.style
        canvas = np.empty((style.height, style.width, 3), np.uint8)
        canvas[:] = style.background
        points = np.round(pixels).astype(np.int64)
        persons = [m for m in range(valid.shape[1]) if valid[:, m].any()]
        for m in persons:
            for i, j in self.layout.edges:
                if valid[i, m] and valid[j, m]:
                    cv2.line(canvas, tuple(map(int, points[i, m])),
                             tuple(map(int, points[j, m])), person_colour(m),
                             style.bone_thickness, cv2.LINE_8)
        for m in persons:
            for v in np.flatnonzero(valid[:, m]):
                level = None if heat is None else float(heat[v])
                colour = (person_colour(m)
                          if level is None else heat_colour(level))
                radius = style.joint_radius * (1 + (level or 0.0))
                cv2.circle(canvas, tuple(map(int, points[v, m])),
                           int(round(radius)), colour, -1, cv2.LINE_8)
        return np.vstack([self._panel(caption), canvas])

    def _panel(self, lines: Sequence[str]) -> np.ndarray:
        style = self.style
        panel = np.empty((self.panel_height(len(lines)), style.width, 3),
                         np.uint8)
        panel[:] = style.background
        for row, text in enumerate(lines, start=1):
            cv2.putText(panel, text, (6, row * style.line_height), _FONT,
                        style.font_scale, style.text_colour, 1, cv2.LINE_AA)
        return panel

    def render(self,
               sample: np.ndarray,
               true_label: Optional[str] = None,
               predictions: Optional[Sequence[Prediction]] = None,
               heat: Optional[np.ndarray] = None,
               trim: bool = True) -> List[np.ndarray]:
        """Draw every frame of a clip ``(C, T, V, M)``.

        Args:
            sample (np.ndarray): The clip.
            true_label (str, optional): Shown on every frame.
            predictions (sequence, optional): ``(name, score)`` pairs,
                best first, shown on every frame.
            heat (np.ndarray, optional): ``(V,)`` joint heat in ``[0, 1]``.
            trim (bool): Leave out the empty frames after the last one
                with a joint (zero padding). Defaults to True.

        Returns:
            list[np.ndarray]: One BGR image per frame.
        """
        pixels, valid = self.project(sample)
        last = valid.shape[0]
        if trim:
            occupied = np.flatnonzero(valid.any(axis=(1, 2)))
            last = int(occupied[-1]) + 1 if occupied.size else 1
        if heat is not None:
            heat = np.asarray(heat, dtype=np.float64)
            if heat.shape != (self.layout.num_node, ):
                raise ValueError(
                    f'heat must have one value per joint '
                    f'({self.layout.num_node},), got shape {heat.shape}')
        return [
            self.draw_frame(
                pixels[t], valid[t],
                caption_lines(t, last, true_label, predictions), heat)
            for t in range(last)
        ]


def contact_sheet(frames: Sequence[np.ndarray],
                  num_tiles: int = 8,
                  columns: int = 4,
                  background: Colour = (255, 255, 255)) -> np.ndarray:
    """A grid of ``num_tiles`` frames spread evenly over the clip.

    Tiles keep their size; an incomplete last row is filled with
    ``background``.
    """
    if not frames:
        raise ValueError('contact_sheet needs at least one frame')
    count = min(num_tiles, len(frames))
    picks = np.linspace(0, len(frames) - 1, count).round().astype(int)
    tile_h, tile_w = frames[0].shape[:2]
    columns = max(1, min(columns, count))
    rows = -(-count // columns)
    sheet = np.empty((rows * tile_h, columns * tile_w, 3), np.uint8)
    sheet[:] = background
    for position, index in enumerate(picks):
        row, column = divmod(position, columns)
        sheet[row * tile_h:(row + 1) * tile_h,
              column * tile_w:(column + 1) * tile_w] = frames[index]
    return sheet
