"""High-level calls: read single clips, predict their actions."""
from .clip_reader import (
    CLIP_SUFFIXES,
    Clip,
    find_clip_files,
    read_clip_file,
    read_clips,
    read_dataset_sample,
)
from .inference import (
    ClipPrediction,
    build_test_pipeline,
    check_label_names,
    class_name,
    init_recognizer,
    load_label_names,
    load_weights,
    model_device,
    model_layout,
    predict_clip,
    prepare_input,
)
from .model_runner import is_onnx_file, load_recognizer
from .prediction_report import format_table, prediction_record

__all__ = [
    'CLIP_SUFFIXES', 'Clip', 'ClipPrediction', 'build_test_pipeline',
    'check_label_names', 'class_name', 'find_clip_files', 'format_table',
    'init_recognizer', 'is_onnx_file', 'load_label_names',
    'load_recognizer', 'load_weights', 'model_device', 'model_layout',
    'predict_clip', 'prediction_record', 'prepare_input', 'read_clip_file',
    'read_clips', 'read_dataset_sample'
]
