"""Building blocks of the ST-GCN backbone."""
from .graph_conv import GraphConv
from .st_gcn_block import ResidualProjection, STGCNBlock
from .temporal_conv import TemporalConv

__all__ = ['GraphConv', 'ResidualProjection', 'STGCNBlock', 'TemporalConv']
