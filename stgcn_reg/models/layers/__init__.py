"""Building blocks of the ST-GCN backbone."""
from .adaptive_graph_conv import AdaptiveGraphConv
from .block_checkpoint import checkpoint_block
from .graph_conv import GraphConv
from .multiscale_temporal_conv import MultiScaleTemporalConv
from .onednn_safe_conv import OneDNNSafeConv2d
from .st_gcn_block import ResidualProjection, STGCNBlock
from .stgcn_pp_block import STGCNPPBlock
from .temporal_conv import TemporalConv

__all__ = [
    'AdaptiveGraphConv', 'GraphConv', 'MultiScaleTemporalConv',
    'OneDNNSafeConv2d', 'ResidualProjection', 'STGCNBlock', 'STGCNPPBlock',
    'TemporalConv', 'checkpoint_block'
]
