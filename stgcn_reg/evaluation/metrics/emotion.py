"""BOLD emotion metrics: mAP, mean ROC AUC, mean R^2 and their ERS.

Category ground truth is a score in [0, 1]; AP and AUC binarise it as
``score >= threshold``. ``threshold`` defaults to 0.5; set it to match the
protocol you compare with. Values are fractions in [0, 1] (R^2 at most
1), not percent, and ``ERS = (mR2 + (mAP + mRA) / 2) / 2`` as defined for
BOLD (Luo et al., IJCV 2020).
"""
from typing import Any, Dict, List, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric

from stgcn_reg.registry import METRICS

from .ranking import average_precision, column_means, r2_score, roc_auc

# BOLD's continuous dimensions, in the order of its label files
DIMENSIONS = ('Valence', 'Arousal', 'Dominance')


def _stack(results: List[dict], key: str, metric: str) -> np.ndarray:
    if not results:
        raise ValueError(f'{metric}: no evaluated samples')
    if key not in results[0]:
        raise ValueError(
            f'{metric} needs "{key}" in every evaluated sample, got keys '
            f'{sorted(results[0])}; does the model have the matching head '
            'and the dataset targets?')
    return np.stack([np.asarray(result[key]) for result in results])


def _to_numpy(value: Any) -> np.ndarray:
    return value.numpy() if hasattr(value, 'numpy') else np.asarray(value)


def _named(prefix: str, values: Dict[str, float]) -> Dict[str, float]:
    return {f'{prefix}_{name}': value for name, value in values.items()}


class _EmotionMetricBase(BaseMetric):
    """Keeps the predicted and true values of the keys a metric needs.

    Args:
        collect_device (str): Where results are gathered across ranks.
            Defaults to 'cpu'.
        prefix (str, optional): Prefix of the metric names. Defaults to
            ``'emotion'`` (``emotion/mAP``, ``emotion/mR2``, ...).
    """

    default_prefix = 'emotion'
    keys: Sequence[str] = ()

    def process(self, data_batch: Any, data_samples: Sequence[dict]) -> None:
        """Keep this metric's keys of each predicted sample."""
        for sample in data_samples:
            missing = [key for key in self.keys if key not in sample]
            if missing:
                raise ValueError(
                    f'{type(self).__name__} needs {missing} in the model '
                    f'predictions, got keys {sorted(sample)}; does the '
                    'model have the matching head and the dataset targets?')
            self.results.append(
                {key: _to_numpy(sample[key]) for key in self.keys})

    def _stacked(self, results: List[dict]) -> List[np.ndarray]:
        """Each of this metric's keys over the gathered results."""
        return [_stack(results, key, type(self).__name__)
                for key in self.keys]


@METRICS.register_module()
class EmotionCategoryMetric(_EmotionMetricBase):
    """mAP and mean ROC AUC (mRA) of multi-label category scores.

    A category without a positive (for AUC also: without a negative)
    ground-truth sample is left out of the mean and named in a warning.

    Args:
        threshold (float): Ground-truth scores ``>= threshold`` are
            positive. Defaults to 0.5.
        category_names (sequence of str, optional): Names for warnings and
            per-category results. Defaults to the column indices.
        per_category (bool): Also report ``AP_<name>`` and
            ``AUC_<name>``. Defaults to False.
        collect_device, prefix: As :class:`_EmotionMetricBase`'s.
    """

    keys = ('category_scores', 'categories')

    def __init__(self,
                 threshold: float = 0.5,
                 category_names: Optional[Sequence[str]] = None,
                 per_category: bool = False,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.threshold = threshold
        self.category_names = category_names
        self.per_category = per_category

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """mAP, mRA (and per-category values) of the gathered results."""
        return self.calculate(*self._stacked(results), self.threshold,
                              self.category_names, self.per_category)

    @staticmethod
    def calculate(scores: np.ndarray,
                  targets: np.ndarray,
                  threshold: float = 0.5,
                  names: Optional[Sequence[str]] = None,
                  per_category: bool = False) -> Dict[str, float]:
        """mAP and mRA over the categories with a defined value.

        Args:
            scores (array): ``(N, K)`` predicted scores.
            targets (array): ``(N, K)`` ground-truth scores (binarised at
                ``threshold``) or 0/1 labels.
            threshold (float): Binarising threshold. Defaults to 0.5.
            names (sequence of str, optional): Category names.
            per_category (bool): Also return ``AP_<name>``, ``AUC_<name>``.

        Returns:
            dict: ``mAP`` and ``mRA`` (fractions).
        """
        binary = (np.asarray(targets, np.float64) >= threshold).astype(int)
        m_ap, aps, _ = column_means(average_precision, scores, binary, names,
                                    'mAP', 'no positive sample')
        m_ra, aucs, _ = column_means(roc_auc, scores, binary, names, 'mRA',
                                     'no positive or no negative sample')
        metrics = dict(mAP=m_ap, mRA=m_ra)
        if per_category:
            metrics.update(_named('AP', aps), **_named('AUC', aucs))
        return metrics


@METRICS.register_module()
class EmotionDimensionMetric(_EmotionMetricBase):
    """Mean R^2 (mR2) of continuous ratings, and R^2 per dimension.

    A dimension whose ground truth is constant is left out of the mean and
    named in a warning.

    Args:
        dimension_names (sequence of str): Names of the dimensions, used in
            the results (``R2_Valence``). Defaults to :data:`DIMENSIONS`.
        collect_device, prefix: As :class:`_EmotionMetricBase`'s.
    """

    keys = ('dimension_scores', 'dimensions')

    def __init__(self,
                 dimension_names: Sequence[str] = DIMENSIONS,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.dimension_names = tuple(dimension_names)

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """mR2 and R^2 per dimension of the gathered results."""
        return self.calculate(*self._stacked(results), self.dimension_names)

    @staticmethod
    def calculate(preds: np.ndarray,
                  targets: np.ndarray,
                  names: Optional[Sequence[str]] = None) -> Dict[str, float]:
        """mR2 and ``R2_<name>`` per dimension.

        Args:
            preds (array): ``(N, D)`` predicted ratings.
            targets (array): ``(N, D)`` true ratings (same units).
            names (sequence of str, optional): Dimension names.

        Returns:
            dict: ``mR2`` and ``R2_<name>`` for each dimension.
        """
        m_r2, r2s, _ = column_means(r2_score, preds, targets, names, 'mR2',
                                    'constant ground truth')
        return dict(mR2=m_r2, **_named('R2', r2s))


@METRICS.register_module()
class EmotionMetric(EmotionCategoryMetric):
    """mAP, mRA, mR2 and the Emotion Recognition Score of a joint model.

    ``ERS = (mR2 + (mAP + mRA) / 2) / 2``; needs a model with both a
    category and a dimension head.

    Args:
        threshold (float): Category ground-truth scores ``>= threshold``
            are positive. Defaults to 0.5.
        category_names (sequence of str, optional): Category names for
            warnings and per-category results.
        dimension_names (sequence of str): Dimension names. Defaults to
            :data:`DIMENSIONS`.
        per_category (bool): Also report ``AP_<name>`` and
            ``AUC_<name>``. Defaults to False.
        collect_device, prefix: As :class:`_EmotionMetricBase`'s.
    """

    keys = EmotionCategoryMetric.keys + EmotionDimensionMetric.keys

    def __init__(self,
                 threshold: float = 0.5,
                 category_names: Optional[Sequence[str]] = None,
                 dimension_names: Sequence[str] = DIMENSIONS,
                 per_category: bool = False,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        # the category settings are the category metric's
        super().__init__(threshold, category_names, per_category,
                         collect_device, prefix)
        self.dimension_names = tuple(dimension_names)

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """All four metrics of the gathered results."""
        return self.calculate(*self._stacked(results),
                              threshold=self.threshold,
                              category_names=self.category_names,
                              dimension_names=self.dimension_names,
                              per_category=self.per_category)

    @staticmethod
    def calculate(category_scores: np.ndarray,
                  categories: np.ndarray,
                  dimension_scores: np.ndarray,
                  dimensions: np.ndarray,
                  threshold: float = 0.5,
                  category_names: Optional[Sequence[str]] = None,
                  dimension_names: Optional[Sequence[str]] = None,
                  per_category: bool = False) -> Dict[str, float]:
        """mAP, mRA, mR2 (see the other two metrics) and ERS.

        Args:
            category_scores (array): ``(N, K)`` predicted category scores.
            categories (array): ``(N, K)`` ground-truth category scores.
            dimension_scores (array): ``(N, D)`` predicted ratings.
            dimensions (array): ``(N, D)`` true ratings.
            threshold (float): Category binarising threshold.
            category_names (sequence of str, optional): Category names.
            dimension_names (sequence of str, optional): Dimension names.
            per_category (bool): Also return per-category AP and AUC.

        Returns:
            dict: ``mAP``, ``mRA``, ``mR2``, ``R2_<name>`` and ``ERS``.
        """
        metrics = EmotionCategoryMetric.calculate(
            category_scores, categories, threshold, category_names,
            per_category)
        metrics.update(EmotionDimensionMetric.calculate(
            dimension_scores, dimensions, dimension_names))
        metrics['ERS'] = emotion_recognition_score(
            metrics['mAP'], metrics['mRA'], metrics['mR2'])
        return metrics


def emotion_recognition_score(m_ap: float, m_ra: float, m_r2: float) -> float:
    """``ERS = (mR2 + (mAP + mRA) / 2) / 2`` (NaN if any input is)."""
    return float((m_r2 + (m_ap + m_ra) / 2.0) / 2.0)
