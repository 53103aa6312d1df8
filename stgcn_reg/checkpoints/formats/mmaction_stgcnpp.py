"""MMAction2/PYSKL ST-GCN++ state dicts: telling them apart, their key
names against our ``STGCNPP``'s, and the variants we cannot hold.

MMAction2 builds ST-GCN++ as ``STGCN(gcn_adaptive='init',
gcn_with_res=True, tcn_type='mstcn')``. Per block ``i`` its keys are
``backbone.gcn.{i}.`` + ``gcn.A`` (the learned graph, one per block),
``gcn.{bn,conv,down}``, ``tcn.{branches,transform,bn}`` and
``residual.{conv,bn}``; ours are ``backbone.blocks.{i}.`` + the same
names, except that a dilated branch's temporal conv is ``branches.{b}.3``
here (``branches.{b}.3.conv`` there) and the block shortcut is
``residual.{0,1}`` here.
"""
import re
from typing import Iterable, List, Mapping, Optional

import torch

from stgcn_reg.checkpoints.errors import MMActionCheckpointMismatchError

THEIR_BLOCK_KEY = re.compile(r'backbone\.gcn\.(?P<i>\d+)\.(?P<rest>.+)')
OUR_BLOCK_KEY = re.compile(r'backbone\.blocks\.(?P<i>\d+)\.(?P<rest>.+)')
# the tensors of one of our STGCNPP blocks (the rest after the block)
_OUR_PARTS = re.compile(r'(gcn\.(A|bn\.|conv\.|down\.)|tcn\.(branches\.|'
                        r'transform\.|bn\.)|residual\.[01]\.).*')
# (ours, theirs) renames inside a block, as regex substitutions
_TO_THEIRS = ((re.compile(r'tcn\.branches\.(\d+)\.3\.'),
               r'tcn.branches.\1.3.conv.'),
              (re.compile(r'residual\.0\.'), 'residual.conv.'),
              (re.compile(r'residual\.1\.'), 'residual.bn.'))
_TO_OURS = ((re.compile(r'tcn\.branches\.(\d+)\.3\.conv\.'),
             r'tcn.branches.\1.3.'),
            (re.compile(r'residual\.conv\.'), 'residual.0.'),
            (re.compile(r'residual\.bn\.'), 'residual.1.'))
OUR_GRAPH = 'backbone.blocks.{}.gcn.A'.format
THEIR_GRAPH = 'backbone.gcn.{}.gcn.A'.format


def _renamed(rest: str, rules) -> str:
    """``rest`` under the first rule matching at its start."""
    for pattern, replacement in rules:
        if pattern.match(rest):
            return pattern.sub(replacement, rest, count=1)
    return rest


def is_their_stgcnpp(keys: Iterable[str]) -> bool:
    """Whether MMAction2/PYSKL keys have multi-scale temporal convs
    (``tcn_type='mstcn'``), the mark of ST-GCN++."""
    return any(
        re.fullmatch(r'backbone\.gcn\.\d+\.tcn\.branches\..+', key)
        for key in keys)


def is_our_stgcnpp(keys: Iterable[str]) -> bool:
    """Whether our keys are an ``STGCNPP`` backbone's (learned graphs and
    multi-scale temporal convs)."""
    keys = list(keys)
    return OUR_GRAPH(0) in keys and any(
        re.fullmatch(r'backbone\.blocks\.\d+\.tcn\.branches\..+', key)
        for key in keys)


def stgcnpp_key_for(model_key: str) -> Optional[str]:
    """MMAction2's name of one of our ``STGCNPP`` block keys, or None."""
    match = OUR_BLOCK_KEY.fullmatch(model_key)
    if match is None or not _OUR_PARTS.fullmatch(match['rest']):
        return None
    rest = _renamed(match['rest'], _TO_THEIRS)
    return f'backbone.gcn.{match["i"]}.{rest}'


def our_stgcnpp_key_for(their_key: str) -> Optional[str]:
    """Our ``STGCNPP`` name of an MMAction2 ST-GCN++ block key, or None."""
    match = THEIR_BLOCK_KEY.fullmatch(their_key)
    if match is None:
        return None
    ours = f'backbone.blocks.{match["i"]}.' + _renamed(match['rest'],
                                                       _TO_OURS)
    return ours if stgcnpp_key_for(ours) == their_key else None


def learned_graphs(state_dict: Mapping[str, torch.Tensor],
                   key_of=THEIR_GRAPH) -> List[torch.Tensor]:
    """Every block's ``(K, V, V)`` graph, block 0 first, up to the first
    block without one."""
    graphs = []
    while torch.is_tensor(state_dict.get(key_of(len(graphs)))):
        graphs.append(state_dict[key_of(len(graphs))])
    return graphs


def unsupported_stgcnpp(source: Mapping[str, torch.Tensor]) -> List[str]:
    """What an MMAction2 ST-GCN++ file has that our ``STGCNPP`` lacks,
    one line each (empty when it fits)."""
    problems = []
    edge_importance = [key for key in source if key.endswith('.gcn.PA')]
    if edge_importance:
        problems.append(
            f'an edge importance {edge_importance[0]} (gcn_adaptive='
            "'importance' or 'offset'): STGCNPP learns the graph itself "
            "(gcn_adaptive='init') only")
    if not learned_graphs(source):
        problems.append('no graph backbone.gcn.0.gcn.A')
    unit_tcn = [key for key in source
                if re.fullmatch(r'backbone\.gcn\.\d+\.tcn\.conv\..+', key)]
    if unit_tcn:
        problems.append(
            f'blocks with a single temporal conv ({unit_tcn[0]}, '
            "tcn_type='unit_tcn') beside multi-scale ones")
    conv = source.get('backbone.gcn.0.gcn.conv.weight')
    bn = source.get('backbone.gcn.0.gcn.bn.weight')
    if (torch.is_tensor(conv) and torch.is_tensor(bn) and conv.dim() == 4
            and conv.shape[1] != bn.shape[0]
            and 'backbone.gcn.0.gcn.down.0.weight' not in source):
        problems.append(
            'no shortcut in the graph conv (backbone.gcn.0.gcn.down.*, '
            'gcn_with_res=False): STGCNPP always has it')
    return problems


def unsupported_stgcn(source: Mapping[str, torch.Tensor]) -> List[str]:
    """What an MMAction2 ST-GCN file (single temporal convs) has that
    neither our ``STGCN`` nor ``STGCNPP`` holds, one line each."""
    problems = []
    graphs = learned_graphs(source)
    if any(g.shape != graphs[0].shape
           or not torch.allclose(g.float(), graphs[0].float(), atol=1e-6)
           for g in graphs[1:]):
        problems.append("a learned graph per block (gcn_adaptive='init') "
                        "with single temporal convs (tcn_type='unit_tcn')")
    if any('.gcn.down.' in key for key in source):
        problems.append('a shortcut in the graph conv (gcn_with_res=True) '
                        "with single temporal convs (tcn_type='unit_tcn')")
    return problems


def check_supported(source: Mapping[str, torch.Tensor], where: str) -> None:
    """Raise a one-line error naming what of an MMAction2 file we cannot
    hold (:func:`unsupported_stgcnpp`, :func:`unsupported_stgcn`)."""
    plus_plus = is_their_stgcnpp(source)
    problems = (unsupported_stgcnpp if plus_plus else unsupported_stgcn)(
        source)
    if problems:
        raise MMActionCheckpointMismatchError(
            f'{where}: an MMAction2/PYSKL ST-GCN{"++" if plus_plus else ""}'
            ' with ' + '; '.join(problems) + ', which is not supported')
