"""tools/visualize.py: videos and contact sheets from every kind of input."""
import json

import cv2
import numpy as np
import pytest
import torch
from conftest import write_skeleton_files
from PIL import Image
from tool_runner import DEMO_CONFIG, TINY_MODEL, run_tool, tool

from stgcn_reg.apis import init_recognizer
from stgcn_reg.datasets.converters.npy_to_h5 import convert_npy_to_h5
from stgcn_reg.visualization import person_colour

SIZE = 200


def known_clip(num_frames: int = 3) -> np.ndarray:
    """Two people, one bone each (joints 0-1): person 0 horizontal at the
    top, person 1 vertical below the middle (see test_skeleton_renderer)."""
    sample = np.zeros((3, num_frames, 25, 2), np.float32)
    sample[:, :, 0, 0] = [[-1], [1], [3]]
    sample[:, :, 1, 0] = [[1], [1], [3]]
    sample[:, :, 0, 1] = [[0], [-1], [3]]
    sample[:, :, 1, 1] = [[0], [0], [3]]
    return sample


def read_png(path) -> np.ndarray:
    """BGR pixels of a PNG."""
    return np.asarray(Image.open(path).convert('RGB'))[..., ::-1]


def test_single_clip_to_gif_and_sheet_with_bones_in_place(tmp_path):
    np.save(tmp_path / 'clip.npy', known_clip())
    output = run_tool(tool('visualize.py'), 'clip.npy', '--out', 'clip.gif',
                      '--size', str(SIZE), '--tiles', '1', cwd=str(tmp_path))
    assert 'clip: 3 frames, layout ntu-rgb+d, 3d' in output
    with Image.open(tmp_path / 'clip.gif') as gif:
        assert gif.n_frames == 3
    sheet = read_png(tmp_path / 'clip.png')
    drawing = sheet[sheet.shape[0] - SIZE:]
    assert sheet.shape[1] == SIZE
    assert tuple(drawing[20, 100]) == person_colour(0)
    assert tuple(drawing[140, 100]) == person_colour(1)
    assert tuple(drawing[60, 50]) == (255, 255, 255)


def test_dataset_sample_by_name_and_hdf5_by_index(tmp_path):
    data = np.stack([known_clip(5), -known_clip(5)])
    data_path, label_path = write_skeleton_files(
        str(tmp_path), 'val', data, [1, 0], ['first', 'second'])
    (tmp_path / 'names.txt').write_text('walk\nrun\n')
    output = run_tool(tool('visualize.py'), data_path, '--label-path',
                      label_path, '--name', 'second', '--label-names',
                      'names.txt', '--view', 'side', '--out', 'second.mp4',
                      '--tiles', '4', '--columns', '2', '--size', '120',
                      cwd=str(tmp_path))
    assert 'second: 5 frames' in output
    capture = cv2.VideoCapture(str(tmp_path / 'second.mp4'))
    assert int(capture.get(cv2.CAP_PROP_FRAME_COUNT)) == 5
    capture.release()
    sheet = read_png(tmp_path / 'second.png')
    assert sheet.shape[1] == 2 * 120 and sheet.shape[0] > 2 * 120
    convert_npy_to_h5(data_path, label_path, str(tmp_path / 'val.h5'))
    output = run_tool(tool('visualize.py'), 'val.h5', '--index', '0',
                      '--out', 'h5.gif', cwd=str(tmp_path))
    assert 'first: 5 frames' in output
    assert (tmp_path / 'h5.png').is_file()


def test_predictions_and_heat_from_a_model(tmp_path):
    options = dict(item.split('=') for item in TINY_MODEL)
    options = {key: json.loads(value) for key, value in options.items()}
    model, _ = init_recognizer(DEMO_CONFIG, cfg_options=options)
    torch.save(dict(state_dict=model.state_dict()), tmp_path / 'tiny.pth')
    np.save(tmp_path / 'clip.npy', known_clip())
    names = [f'action{i}' for i in range(8)]
    (tmp_path / 'names.txt').write_text('\n'.join(names) + '\n')
    output = run_tool(tool('visualize.py'), 'clip.npy', '--config',
                      DEMO_CONFIG, '--checkpoint', 'tiny.pth', '--heat',
                      '--label-names', 'names.txt', '--topk', '3', '--out',
                      'pred.gif', '--cfg-options', *TINY_MODEL,
                      cwd=str(tmp_path))
    ranked = [line.split()[1] for line in output.splitlines()
              if line.startswith('  ') and line.split()[0] in ('1.', '2.',
                                                               '3.')]
    assert len(ranked) == 3 and set(ranked) <= set(names)
    assert (tmp_path / 'pred.png').is_file()


@pytest.mark.parametrize('args, message', [
    (['clip.npy', '--heat'], '--heat needs --config and --checkpoint'),
    (['clip.npy', '--config', 'x.py'], 'give --config and --checkpoint'),
    (['clip.npy', '--index', '2'], 'holds a single clip'),
    (['missing.npy'], "data file 'missing.npy' not found"),
])
def test_bad_requests_end_with_a_message(tmp_path, args, message):
    np.save(tmp_path / 'clip.npy', known_clip())
    output = run_tool(tool('visualize.py'), *args, cwd=str(tmp_path),
                      expect_rc=1)
    assert message in output and 'Traceback' not in output
