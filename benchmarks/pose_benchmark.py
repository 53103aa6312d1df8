"""Pose extraction and the live video demo, timed on the shared clips."""
import math
import platform
import time
from typing import Callable, Dict, List

import numpy as np


def _median_fps(run: Callable[[], int], repeats: int) -> Dict[str, float]:
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        frames = run()
        rates.append(frames / (time.perf_counter() - start))
    return dict(fps=float(np.median(rates)), spread=float(np.ptp(rates)))


def bench_extraction(frames: List[np.ndarray], max_persons: int,
                     repeats: int) -> Dict[str, float]:
    """Frames per second of MediaPipePose (slots included, no decoding)."""
    from stgcn_reg.pose import MediaPipePose, estimate_video
    estimator = MediaPipePose(max_persons=max_persons)

    def run() -> int:
        people = estimate_video(estimator, frames)
        run.found = [sum(p[m] is not None for p in people)
                     for m in range(max_persons)]
        return len(frames)

    result = _median_fps(run, repeats)
    result['frames_found_per_slot'] = run.found
    estimator.close()
    return result


def bench_live_demo(frames: List[np.ndarray], config: str,
                    repeats: int) -> Dict[str, float]:
    """The demo loop as a 30 fps camera would run it: poses, the model on
    a sliding window (stride chosen so it keeps up), drawing."""
    import torch

    from stgcn_reg.apis import init_recognizer
    from stgcn_reg.apis.video_inference import (
        inference_video,
        seconds_per_window,
        temporal_receptive_field,
    )
    from stgcn_reg.pose import MediaPipePose
    from stgcn_reg.visualization.video_overlay import draw_labels, draw_people
    model, cfg = init_recognizer(config)
    estimator = MediaPipePose(max_persons=2)
    window = temporal_receptive_field(model)
    model_seconds = seconds_per_window(model, cfg, 'openpose', window)
    stride = max(window // 5, math.ceil(1.5 * model_seconds * 30))

    def on_frame(frame, people, latest) -> None:
        image = np.ascontiguousarray(frame[..., ::-1])
        draw_people(image, people, 'openpose')
        draw_labels(image, [] if latest is None else [str(latest.labels)])

    def run() -> int:
        with torch.no_grad():
            inference_video(model, cfg, frames, estimator, window, stride,
                            5, on_frame)
        return len(frames)

    result = _median_fps(run, repeats)
    result.update(window=window, stride=stride,
                  model_seconds_per_window=model_seconds,
                  parameters=sum(p.numel() for p in model.parameters()))
    estimator.close()
    return result


def run_pose_benchmark(video: str, config: str, repeats: int = 3) -> dict:
    """Every measurement, with the machine it ran on."""
    import torch

    from stgcn_reg.cli.amp_policy import cpu_model
    from stgcn_reg.pose import VideoSource
    with VideoSource(video) as source:
        frames = list(source)
    mirrored = [frame[:, ::-1] for frame in frames[::-1]]
    joined = [np.ascontiguousarray(np.concatenate([a, b], 1))
              for a, b in zip(frames, mirrored)]
    return dict(
        machine=dict(cpu=cpu_model(), threads=torch.get_num_threads(),
                     python=platform.python_version(),
                     torch=torch.__version__),
        video=video, size=list(frames[0].shape[1::-1]), frames=len(frames),
        one_person=bench_extraction(frames, 1, repeats),
        two_people=bench_extraction(joined, 2, repeats),
        live_demo=bench_live_demo(frames + frames, config, repeats))


def format_pose_report(results: dict) -> str:
    """Markdown table of :func:`run_pose_benchmark`'s results."""
    one, two, live = (results['one_person'], results['two_people'],
                      results['live_demo'])
    width, height = results['size']
    return '\n'.join([
        '# Pose extraction and live demo',
        '',
        f'Machine: {results["machine"]["cpu"]}, '
        f'{results["machine"]["threads"]} threads, torch '
        f'{results["machine"]["torch"]}. Video: {results["video"]} '
        f'({width}x{height}, {results["frames"]} frames); median of the '
        'repeats (spread in brackets).',
        '',
        '| measurement | frames/s | goal |',
        '|---|---|---|',
        f'| MediaPipePose, one person, {width}x{height} | '
        f'{one["fps"]:.1f} ({one["spread"]:.1f}) | >= 60 |',
        f'| MediaPipePose, two people side by side, {2 * width}x{height} | '
        f'{two["fps"]:.1f} ({two["spread"]:.1f}) | >= 30 |',
        f'| live demo loop (poses + ST-GCN window {live["window"]}, stride '
        f'{live["stride"]}, {live["parameters"]:,} parameters, drawing) | '
        f'{live["fps"]:.1f} ({live["spread"]:.1f}) | >= 25 |',
        '',
        f'Two people: found in {two["frames_found_per_slot"]} of '
        f'{results["frames"]} frames per slot. The model takes '
        f'{live["model_seconds_per_window"] * 1000:.0f} ms per window.',
        ''])
