"""Config values written back as config source."""
from stgcn_reg.compat.config_text import (
    SAME,
    Name,
    diff_from_base,
    format_statement,
)


def test_diff_keeps_only_what_the_base_lacks():
    base = dict(a=1, b=dict(c=(1, 2), d='x'), e=[dict(type='T')])
    assert diff_from_base(dict(a=1, b=dict(c=[1, 2])), base) is SAME
    assert diff_from_base(dict(a=2, b=dict(c=[1, 2], d='y'), f=None),
                          base) == dict(a=2, b=dict(d='y'))
    # lists and _delete_ dicts replace the base's whole
    assert diff_from_base([dict(type='T'), 1], base['e']) == [
        dict(type='T'), 1
    ]
    delete = dict(_delete_=True, d='x')
    assert diff_from_base(delete, base['b']) == delete


def test_statements_wrap_to_79_columns_and_run():
    value = dict(backbone=dict(graph_cfg=dict(layout='openpose',
                                              strategy='distance'),
                               channels=[64] * 10, dropout=0.5),
                 pipeline=Name('train_pipeline'), flag=True, none=None)
    text = format_statement('model', value)
    assert all(len(line) <= 79 for line in text.splitlines())
    assert 'pipeline=train_pipeline' in text
    namespace = dict(train_pipeline=[1])
    exec(text, namespace)
    assert namespace['model']['pipeline'] == [1]
    assert namespace['model']['backbone']['channels'] == [64] * 10
    assert format_statement('x', [1, 'a']) == "x = [1, 'a']"
