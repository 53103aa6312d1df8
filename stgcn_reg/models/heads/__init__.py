"""Recognition heads."""
from .cls_head import ClsHead
from .emotion_heads import MultiLabelHead, RegressionHead

__all__ = ['ClsHead', 'MultiLabelHead', 'RegressionHead']
