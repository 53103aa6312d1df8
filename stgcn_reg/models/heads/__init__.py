"""Recognition heads."""
from .cls_head import ClsHead
from .emotion_heads import MultiLabelHead, RegressionHead
from .pooled_linear_head import PooledLinearHead

__all__ = ['ClsHead', 'MultiLabelHead', 'PooledLinearHead', 'RegressionHead']
