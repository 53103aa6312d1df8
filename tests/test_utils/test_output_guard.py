"""The output guard: an output may never be one of the inputs."""
import os

import pytest

from stgcn_reg.utils import (
    OutputOverwritesInputError,
    exit_if_overwriting_inputs,
    refuse_overwriting_inputs,
)
from stgcn_reg.utils.output_guard import files_in


@pytest.fixture
def scores(tmp_path):
    path = tmp_path / 'scores.pkl'
    path.write_bytes(b'scores')
    return path


def refusal(outputs, inputs) -> str:
    with pytest.raises(OutputOverwritesInputError) as error:
        refuse_overwriting_inputs(outputs, inputs)
    message = str(error.value)
    assert '\n' not in message
    return message


def test_same_path_is_refused_naming_both(scores):
    message = refusal({'--out': str(scores)}, {'SCORES.pkl': str(scores)})
    assert message.startswith(f"--out '{scores}' is the input SCORES.pkl")
    assert message.count(str(scores)) == 2


@pytest.mark.parametrize('link', ['symlink', 'hardlink', 'folder symlink'])
def test_links_to_an_input_are_refused(tmp_path, scores, link):
    if link == 'symlink':
        out = tmp_path / 'out.pkl'
        out.symlink_to(scores)
    elif link == 'hardlink':
        out = tmp_path / 'out.pkl'
        os.link(scores, out)
    else:
        (tmp_path / 'alias').symlink_to(tmp_path)
        out = tmp_path / 'alias' / 'scores.pkl'
    message = refusal({'--out': str(out)}, {'input': str(scores)})
    assert str(out) in message and str(scores) in message


def test_relative_and_absolute_paths_meet(tmp_path, scores, monkeypatch):
    monkeypatch.chdir(tmp_path)
    refusal({'--out': './scores.pkl'}, {'input': str(scores)})
    # neither exists yet: the real paths decide
    refusal({'--out': 'sub/../new.pkl'}, {'input': str(tmp_path / 'new.pkl')})


def test_two_outputs_on_one_file_are_refused(tmp_path):
    message = refusal({'--out': str(tmp_path / 'a.md'),
                       '--out (report)': str(tmp_path / 'a.md')}, {})
    assert 'same file as --out' in message


def test_distinct_missing_and_url_paths_pass(tmp_path, scores):
    other = tmp_path / 'other.pkl'
    other.write_bytes(b'other')
    refuse_overwriting_inputs(
        {'--out': str(tmp_path / 'new.pkl'), '--dump': None, '--sheet': ''},
        {'a': str(scores), 'b': str(other), 'checkpoint': None,
         'url': 'https://example.org/scores.pkl'})
    refuse_overwriting_inputs({'--out': str(other)}, {'a': str(scores)})
    assert scores.read_bytes() == b'scores'


def test_exit_helper_ends_with_one_error_line(scores):
    with pytest.raises(SystemExit) as error:
        exit_if_overwriting_inputs({'--out': str(scores)},
                                   {'input': str(scores)})
    assert str(error.value.code).startswith('error: --out ')
    exit_if_overwriting_inputs({'--out': None}, {'input': str(scores)})


def test_files_in_lists_matching_files(tmp_path):
    (tmp_path / 'a.skeleton').write_text('0\n')
    (tmp_path / 'B.SKELETON').write_text('0\n')
    (tmp_path / 'notes.txt').write_text('')
    files = files_in(str(tmp_path), ('.skeleton',), '--data-path')
    assert sorted(files) == ['--data-path file B.SKELETON',
                             '--data-path file a.skeleton']
    assert files_in(str(tmp_path / 'missing'), ('.json',), 'x') == {}
