"""Write per-sample class scores to a pickle for later ensembling."""
from typing import Any, Dict, List, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric

from stgcn_reg.registry import METRICS
from stgcn_reg.utils import write_pickle_atomic


@METRICS.register_module()
class DumpScores(BaseMetric):
    """Dump the scores of every evaluated sample in dataset order.

    The pickle holds ``dict(sample_names=list, scores=ndarray (N, K),
    labels=ndarray (N,))``; two runs' ``scores`` can be summed for
    score fusion. The file is written atomically.

    Args:
        out_file (str): Output ``.pkl`` path.
        collect_device (str): Where results are gathered across ranks.
            Defaults to 'cpu'.
    """

    default_prefix = 'dump'

    def __init__(self, out_file: str, collect_device: str = 'cpu') -> None:
        super().__init__(collect_device=collect_device)
        if not out_file.endswith(('.pkl', '.pickle')):
            raise ValueError(
                f'DumpScores: out_file must end with .pkl, got {out_file!r}')
        self.out_file = out_file

    def process(self, data_batch: Any, data_samples: Sequence[dict]) -> None:
        """Keep the index, name, scores and label of each sample."""
        for sample in data_samples:
            self.results.append(
                dict(
                    index=sample.get('index', len(self.results)),
                    sample_name=sample.get('sample_name'),
                    scores=sample['scores'].numpy(),
                    label=sample.get('label', -1)))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Sort by dataset index and write the pickle; reports no metric."""
        ordered = sorted(results, key=lambda result: result['index'])
        payload = dict(
            sample_names=[result['sample_name'] for result in ordered],
            scores=np.stack([result['scores'] for result in ordered]),
            labels=np.array([result['label'] for result in ordered]))
        write_pickle_atomic(payload, self.out_file)
        return {}

