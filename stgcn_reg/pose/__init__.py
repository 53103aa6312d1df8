"""Pose estimation from video: estimators (registry location of
``POSE_ESTIMATORS``), people kept in stable slots, video sources, and the
Kinetics-skeleton JSON that every reader here takes."""
from .backend_imports import PoseBackendMissing
from .estimator import OUTPUT_LAYOUTS, PersonPose, PoseEstimator
from .mediapipe_pose import MediaPipePose
from .slots import SlotAssigner, rank_slots
from .video_poses import (
    VideoPoses,
    estimate_video,
    extract_video_poses,
    write_kinetics_json,
)
from .video_source import VideoReadError, VideoSource

__all__ = [
    'MediaPipePose', 'OUTPUT_LAYOUTS', 'PersonPose', 'PoseBackendMissing',
    'PoseEstimator', 'SlotAssigner', 'VideoPoses', 'VideoReadError',
    'VideoSource', 'estimate_video', 'extract_video_poses', 'rank_slots',
    'write_kinetics_json'
]
