"""See what the model sees: skeleton drawings, curves, confusion matrices."""
from .confusion_matrix import (
    confusion_matrix,
    dump_confusion_matrix,
    format_pairs,
    most_confused_pairs,
    plot_confusion_matrix,
)
from .image_io import VIDEO_SUFFIXES, write_image, write_video
from .joint_importance import (
    joint_importance,
    model_joint_heat,
    normalize_heat,
)
from .projection import (
    VIEWS,
    fit_to_canvas,
    project_points,
    resolve_view,
    view_rotation,
)
from .skeleton_renderer import (
    PERSON_COLOURS,
    RenderStyle,
    SkeletonRenderer,
    caption_lines,
    contact_sheet,
    heat_colour,
    layout_for_joints,
    person_colour,
)
from .training_curves import curves_table, plot_training_curves
from .training_logs import (
    CURVES,
    RunCurves,
    epoch_curves,
    find_scalar_logs,
    load_run,
    read_scalar_log,
)

__all__ = [
    'CURVES', 'PERSON_COLOURS', 'RenderStyle', 'RunCurves',
    'SkeletonRenderer', 'VIDEO_SUFFIXES', 'VIEWS', 'caption_lines',
    'confusion_matrix', 'contact_sheet', 'curves_table',
    'dump_confusion_matrix', 'epoch_curves', 'find_scalar_logs',
    'fit_to_canvas', 'format_pairs', 'heat_colour', 'joint_importance',
    'layout_for_joints', 'load_run', 'model_joint_heat', 'most_confused_pairs',
    'normalize_heat', 'person_colour', 'plot_confusion_matrix',
    'plot_training_curves', 'project_points', 'read_scalar_log',
    'resolve_view', 'view_rotation', 'write_image', 'write_video'
]
