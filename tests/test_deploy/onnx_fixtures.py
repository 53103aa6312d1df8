"""Helpers of the ONNX tests: a tiny demo model with random weights in a
real mmengine checkpoint, and its export by the real tool (once per test
process, shared by the test files that ask)."""
import os.path as osp
from typing import Dict

import torch
from tool_runner import DEMO_CONFIG, TINY_MODEL, run_tool, tool

# TINY_MODEL (--cfg-options strings) as init_recognizer takes it
TINY = {'model.backbone.channels': [8, 8, 16, 16],
        'model.backbone.strides': [1, 2, 1, 1],
        'model.cls_head.in_channels': 16}
NAMES = [f'action {i}' for i in range(8)]  # the demo config's 8 classes


def randomised(model: torch.nn.Module, seed: int = 0) -> torch.nn.Module:
    """Weights and BatchNorm statistics moved off their initial values, so
    that folding and every layer matter and clips get distinct scores."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.add_(0.3 * torch.randn(parameter.shape,
                                             generator=generator))
        for module in model.modules():
            if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
                module.running_mean.normal_(0, 0.2, generator=generator)
                module.running_var.uniform_(0.5, 2.0, generator=generator)
    return model


def save_tiny_checkpoint(config: str, path: str, seed: int = 0) -> str:
    """A tiny model of ``config``, randomised, as an mmengine checkpoint."""
    from mmengine.runner.checkpoint import save_checkpoint

    from stgcn_reg.apis import init_recognizer
    torch.manual_seed(seed)
    model, _ = init_recognizer(config, cfg_options=TINY)
    save_checkpoint(dict(meta=dict(epoch=1),
                         state_dict=randomised(model, seed).state_dict()),
                    path)
    return path


_EXPORTED: Dict[str, Dict[str, str]] = {}


def exported_demo_model(tmp_path_factory) -> Dict[str, str]:
    """The demo model exported by tools/export_onnx.py with class names:
    paths of the checkpoint, the .onnx file and the tool's output."""
    if 'demo' in _EXPORTED:
        return _EXPORTED['demo']
    folder = tmp_path_factory.mktemp('onnx')
    checkpoint = save_tiny_checkpoint(DEMO_CONFIG, str(folder / 'tiny.pth'))
    names = folder / 'names.txt'
    names.write_text('\n'.join(NAMES) + '\n')
    out = str(folder / 'tiny.onnx')
    output = run_tool(tool('export_onnx.py'), DEMO_CONFIG, checkpoint,
                      '--out', out, '--frames', '24', '--label-names',
                      str(names), '--cfg-options', *TINY_MODEL,
                      cwd=str(folder))
    _EXPORTED['demo'] = dict(
        folder=str(folder), checkpoint=checkpoint, onnx=out,
        names=str(names), output=output, config=osp.abspath(DEMO_CONFIG))
    return _EXPORTED['demo']
