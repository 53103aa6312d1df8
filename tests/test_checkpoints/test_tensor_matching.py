"""Foreign tensors are matched onto a model's keys and checked."""
import torch

from stgcn_reg.checkpoints.tensor_matching import (
    expected_keys,
    match_tensors,
)


def test_problems_are_collected_and_the_head_can_be_skipped():
    target = {'body.w': torch.zeros(2), 'head.w': torch.zeros(3),
              'body.n': torch.zeros(())}
    expected, unmapped = expected_keys(
        list(target) + ['extra'],
        lambda key: [] if key == 'extra' else ['their.' + key])
    assert unmapped == ['extra']
    source = {'their.body.w': torch.ones(2, dtype=torch.float64),
              'their.head.w': torch.ones(4), 'junk': 1}
    match = match_tensors(source, target, expected,
                          lambda key: key.startswith('head.'),
                          fill_missing=lambda key: key.endswith('.n'))
    assert match.converted['body.w'].dtype == torch.float32
    assert match.mismatched == [
        'their.head.w: file (4,) vs model (3,) (head.w)']
    assert match.only_head_differs
    assert match.unexpected == ['junk (shape ?)']
    assert list(match.converted) == ['body.w', 'body.n']
    skipped = match_tensors(source, target, expected,
                            lambda key: key.startswith('head.'), True)
    assert skipped.mismatched == [] and not skipped.only_head_differs
    assert skipped.missing == [
        'their.body.n (model key body.n, shape ())']
    assert skipped.listing()[0] == '  missing from the file (1):'
