"""tools/export_onnx.py and stgcn_reg.deploy: the graph, its metadata and
its logits in ONNX Runtime against ours; refused exports write nothing."""
import os

import numpy as np
import pytest
import torch
from onnx_fixtures import NAMES, TINY, exported_demo_model
from tool_runner import DEMO_CONFIG, TINY_MODEL, run_tool, tool

from stgcn_reg.apis import init_recognizer
from stgcn_reg.deploy import (
    FORMAT,
    OnnxExportError,
    OnnxRecognizer,
    OnnxRuntimeMissing,
    export_metadata,
    export_onnx,
    import_onnxruntime,
)

onnx = pytest.importorskip('onnx')
pytest.importorskip('onnxruntime')


@pytest.fixture(scope='module')
def exported(tmp_path_factory) -> dict:
    return exported_demo_model(tmp_path_factory)


@pytest.fixture(scope='module')
def ours(exported) -> torch.nn.Module:
    """The exported checkpoint loaded in torch, as tools/infer.py does."""
    model, _ = init_recognizer(DEMO_CONFIG, exported['checkpoint'],
                               cfg_options=TINY)
    return model


def test_metadata_and_free_axes(exported):
    assert 'checked in ONNX Runtime: input (1, 3, 24, 25, 2)' in \
        exported['output']
    assert 'checked in ONNX Runtime: input (3, 3, 15, 25, 1)' in \
        exported['output']
    proto = onnx.load(exported['onnx'])
    meta = {p.key: p.value for p in proto.metadata_props}
    assert meta['stgcn_reg.format'] == FORMAT
    assert (meta['graph_layout'], meta['graph_strategy']) == (
        'ntu-rgb+d', 'spatial')
    assert meta['input_layout'] == 'N,C,T,V,M'
    assert meta['dynamic_axes'] == 'N,T,M'
    assert (meta['num_classes'], meta['in_channels'],
            meta['num_joints']) == ('8', '3', '25')
    assert meta['average_clips'] == 'prob'
    assert 'TorchScript' in meta['exporter']
    runner = OnnxRecognizer(exported['onnx'])
    assert runner.class_names == NAMES
    assert runner.temporal_receptive_field > 1
    dims = [d.dim_param or d.dim_value
            for d in proto.graph.input[0].type.tensor_type.shape.dim]
    assert dims == ['N', 3, 'T', 25, 'M']

def test_each_block_runs_as_one_matmul_and_one_dilated_conv(exported,
                                                            tmp_path):
    # the graph as ONNX Runtime runs it (constants folded, portable
    # rewrites only): per block the joints of all 3 partitions aggregated
    # by one MatMul and summed by one conv dilated by V; no BatchNorm but
    # the input's (data_bn), no Split, no Einsum
    ort = import_onnxruntime()
    options = ort.SessionOptions()
    options.graph_optimization_level = (
        ort.GraphOptimizationLevel.ORT_ENABLE_BASIC)
    options.optimized_model_filepath = str(tmp_path / 'basic.onnx')
    ort.InferenceSession(exported['onnx'], options,
                         providers=['CPUExecutionProvider'])
    nodes = onnx.load(options.optimized_model_filepath).graph.node
    ops = [node.op_type for node in nodes]
    dilations = [tuple(attribute.ints) for node in nodes
                 if node.op_type == 'Conv' for attribute in node.attribute
                 if attribute.name == 'dilations']
    assert ops.count('MatMul') == 4 and dilations.count((1, 25)) == 4
    assert not {'Einsum', 'Split'} & set(ops)
    assert ops.count('BatchNormalization') == 1


@pytest.mark.parametrize('shape', [(1, 3, 40, 25, 2), (5, 3, 77, 25, 1)])
def test_logits_match_ours_at_other_batches_and_lengths(exported, ours,
                                                        shape):
    x = torch.randn(*shape, generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        expected = ours(x, mode='tensor')
    logits = OnnxRecognizer(exported['onnx'])(x)
    assert logits.shape == (shape[0], 8)
    scale = expected.abs().max()
    assert (logits - expected).abs().max() <= 1e-4 * scale
    if shape[0] > 1:  # distinct clips get distinct logits
        assert expected.std(dim=0).min() > 1e-3


@pytest.mark.parametrize('average', ['prob', 'score'])
def test_multi_clip_scores_are_averaged_as_ours(exported, ours, average):
    runner = OnnxRecognizer(exported['onnx'])
    runner.average_clips = ours.average_clips = average
    x = torch.randn(2, 3, 3, 20, 25, 2)
    with torch.no_grad():
        expected = ours(x, mode='tensor')
    torch.testing.assert_close(runner(x), expected, rtol=1e-4, atol=1e-5)


def test_static_export_fixes_the_shape(exported, ours, tmp_path):
    out = str(tmp_path / 'static.onnx')
    metadata = export_metadata(ours, 9)
    report = export_onnx(ours, out, metadata, (2, 3, 16, 25, 2),
                         dynamic=False)
    assert [c['shape'] for c in report['checks']] == [[2, 3, 16, 25, 2]]
    assert ours.training is False and os.listdir(tmp_path) == [
        'static.onnx']
    runner = OnnxRecognizer(out)
    assert runner(torch.zeros(2, 3, 16, 25, 2)).shape == (2, 8)
    with pytest.raises(ValueError, match='ONNX Runtime failed on input'):
        runner(torch.zeros(1, 3, 16, 25, 2))


class ShapeBranch(torch.nn.Module):
    """A model whose Python branch on the batch size a trace cannot keep."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, x: torch.Tensor, mode: str = 'tensor') -> torch.Tensor:
        logits = self.model(x, mode=mode)
        return logits if x.shape[0] == 2 else logits + 1


def test_a_graph_that_differs_is_refused_and_nothing_written(ours,
                                                             tmp_path):
    model = ShapeBranch(ours)
    out = tmp_path / 'bad.onnx'
    with pytest.raises(OnnxExportError, match=r'differ from the model on '
                       r'input \(1, 3, 16, 25, 2\).*nothing written'):
        export_onnx(model, str(out), export_metadata(ours, 9),
                    (2, 3, 16, 25, 2))
    assert os.listdir(tmp_path) == []
    assert model.training and not ours.training  # each mode kept


def test_models_without_logits_are_refused(default_scope):
    from stgcn_reg.registry import MODELS
    model = MODELS.build(dict(
        type='EmotionRecognizer',
        backbone=dict(type='STGCN', channels=[8, 8], strides=[1, 1],
                      graph_cfg=dict(type='Graph', layout='openpose')),
        category_head=dict(type='MultiLabelHead', num_classes=3,
                           in_channels=8))).eval()
    with pytest.raises(ValueError, match='only action recognizers'):
        export_metadata(model, 9)


def test_missing_onnxruntime_gives_the_install_command(monkeypatch,
                                                       exported):
    monkeypatch.setitem(__import__('sys').modules, 'onnxruntime', None)
    with pytest.raises(OnnxRuntimeMissing, match=r"pip install -e '\.\["
                       r"onnx\]'"):
        import_onnxruntime()
    with pytest.raises(OnnxRuntimeMissing, match='onnxruntime is not '
                       'installed'):
        OnnxRecognizer(exported['onnx'])


def test_tool_refuses_bad_outputs(exported, tmp_path):
    folder, checkpoint = exported['folder'], exported['checkpoint']
    wrong = run_tool(tool('export_onnx.py'), DEMO_CONFIG, checkpoint,
                     '--out', str(tmp_path / 'model.pth'), cwd=folder,
                     expect_rc=1)
    assert "expected a .onnx file" in wrong
    names = tmp_path / 'names.onnx'
    names.write_text('\n'.join(NAMES) + '\n')
    before = names.read_bytes()
    same = run_tool(tool('export_onnx.py'), DEMO_CONFIG, checkpoint,
                    '--out', str(names), '--label-names', str(names),
                    cwd=folder, expect_rc=1)
    assert 'is the input --label-names' in same
    assert names.read_bytes() == before
    short = tmp_path / 'short.txt'
    short.write_text('one\ntwo\n')
    count = run_tool(tool('export_onnx.py'), DEMO_CONFIG, checkpoint,
                     '--out', str(tmp_path / 'm.onnx'), '--label-names',
                     str(short), '--frames', '8', '--cfg-options',
                     *TINY_MODEL, cwd=folder, expect_rc=1)
    assert 'has 2 names but the model has 8 classes' in count
    assert sorted(os.listdir(tmp_path)) == ['names.onnx', 'short.txt']


def test_logits_in_numpy_too(exported, ours):
    x = np.random.default_rng(0).normal(size=(2, 3, 30, 25, 2))
    logits = OnnxRecognizer(exported['onnx']).logits(x)  # float64 in
    with torch.no_grad():
        expected = ours(torch.from_numpy(x).float(), mode='tensor')
    np.testing.assert_allclose(logits, expected.numpy(), rtol=1e-4,
                               atol=1e-5)
