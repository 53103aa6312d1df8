"""The recognizers' shared base: modes, targets and result packing."""
import pytest
import torch

from stgcn_reg.models.recognizers import (
    BaseSkeletonRecognizer,
    EmotionRecognizer,
    SkeletonRecognizer,
    TwoStreamRecognizer,
)
from stgcn_reg.models.recognizers.base_recognizer import pack_results


class Doubler(BaseSkeletonRecognizer):
    """A model of the base alone: scores are twice the inputs."""

    def predict_scores(self, inputs):
        return 2 * inputs

    def loss(self, inputs, data_samples):
        labels = self.labels(data_samples).float()
        return dict(loss=(self.predict_scores(inputs)[:, 0] - labels).sum())

    def result_columns(self, outputs, samples):
        return dict(scores=outputs)


def test_every_recognizer_has_the_base():
    for cls in (SkeletonRecognizer, EmotionRecognizer, TwoStreamRecognizer):
        assert issubclass(cls, BaseSkeletonRecognizer)


def test_modes_dispatch_to_the_subclass():
    model = Doubler()
    x = torch.ones(2, 3)
    torch.testing.assert_close(model(x), 2 * x)
    assert model(x, dict(label=torch.tensor([1, 2])), 'loss')['loss'] == 1
    results = model(x, dict(index=torch.tensor([4, 5]),
                            sample_name=['a', 'b']), mode='predict')
    assert [(r['index'], r['sample_name']) for r in results] == [
        (4, 'a'), (5, 'b')]
    assert isinstance(results[0]['index'], int)
    torch.testing.assert_close(results[1]['scores'], 2 * x[1])
    with pytest.raises(ValueError, match='unknown forward mode'):
        model(x, mode='logits')
    with pytest.raises(ValueError, match='"label" tensor of class indices'):
        model(x, None, mode='loss')


def test_results_without_ids_hold_the_columns_only():
    results = pack_results(dict(scores=torch.zeros(2, 3), loss=[0.5, 1.5]),
                           {})
    assert [set(r) for r in results] == [{'scores', 'loss'}] * 2
    assert results[1]['loss'] == 1.5
