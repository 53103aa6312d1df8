"""MMAction2/PYSKL key names map to ours and back."""
from stgcn_reg.checkpoints.formats.mmaction_keys import (
    head_format_of,
    mmaction_keys_for,
    our_key_for,
    with_our_keys,
)


def test_names_go_both_ways():
    for ours in ('backbone.blocks.3.residual.bn.running_var',
                 'backbone.edge_importance.9', 'backbone.data_bn.weight',
                 'cls_head.fc.bias'):
        (theirs,) = mmaction_keys_for(ours, 10)
        assert our_key_for(theirs) == ours
    assert mmaction_keys_for('backbone.A', 2) == [
        'backbone.gcn.0.gcn.A', 'backbone.gcn.1.gcn.A']
    assert our_key_for('backbone.gcn.0.gcn.A') == 'backbone.A'
    assert our_key_for('backbone.gcn.1.gcn.A') is None
    assert our_key_for('cls_head.fc_cls.weight') == 'cls_head.fc.weight'
    assert mmaction_keys_for('neck.fc.weight', 10) == []


def test_pyskl_heads_are_recognised():
    pyskl = {'cls_head.fc_cls.weight': 1, 'backbone.gcn.1.gcn.A': 2}
    assert head_format_of(pyskl) == 'pyskl'
    assert head_format_of({'cls_head.fc.weight': 1}) == 'mmaction'
    assert list(with_our_keys(pyskl)) == ['cls_head.fc.weight']
