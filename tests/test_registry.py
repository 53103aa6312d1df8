"""Every registry node resolves its location and finds its members."""
import mmengine.runner  # noqa: F401 (registers all of mmengine's parts)
import pytest
from mmengine.config import Config
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import DefaultScope

from stgcn_reg import registry

EXPECTED_MEMBERS = {
    'MODELS': 'STGCN',
    'GRAPHS': 'Graph',
    'DATASETS': 'SkeletonDataset',
    'TRANSFORMS': 'RandomMove',
    'METRICS': 'Accuracy',
    'HOOKS': 'SafeCheckpointHook',
    'MODEL_WRAPPERS': 'DeviceAwareDDP',
    'OPTIM_WRAPPERS': 'CPUAmpOptimWrapper',
    'VISUALIZERS': 'LazyFigureVisualizer',
    # lookup-only nodes fall back to mmengine's parts
    'LOOPS': 'EpochBasedTrainLoop',
    'DATA_SAMPLERS': 'DefaultSampler',
    'FUNCTIONS': 'default_collate',
    'OPTIMIZERS': 'SGD',
    'OPTIM_WRAPPER_CONSTRUCTORS': 'DefaultOptimWrapperConstructor',
    'PARAM_SCHEDULERS': 'MultiStepLR',
    'EVALUATOR': 'Evaluator',
    'LOG_PROCESSORS': 'LogProcessor',
    'VISBACKENDS': 'LocalVisBackend',
    'WEIGHT_INITIALIZERS': 'Normal',
}


@pytest.mark.parametrize('node_name,member', sorted(EXPECTED_MEMBERS.items()))
def test_every_node_finds_its_members(node_name, member):
    node = getattr(registry, node_name)
    assert node.scope == 'stgcn_reg'
    assert node.parent is not None
    assert node.get(member) is not None, f'{node_name} lacks {member}'


def test_models_node_is_child_of_mmengine_root():
    assert MMENGINE_MODELS.children['stgcn_reg'] is registry.MODELS


def test_root_registry_finds_members_in_default_scope():
    with DefaultScope.overwrite_default_scope('stgcn_reg'):
        graph = MMENGINE_MODELS.build(dict(
            type='STGCN',
            graph_cfg=dict(type='Graph', layout='coco'),
            channels=(8, ),
            strides=(1, )))
    assert graph.num_node == 17


def test_unknown_type_names_the_registry_and_type(default_scope):
    with pytest.raises(KeyError, match='NoSuchBackbone'):
        registry.MODELS.build(dict(type='NoSuchBackbone'))


def test_unknown_type_in_config_is_reported(default_scope, tmp_path):
    cfg_file = tmp_path / 'bad.py'
    cfg_file.write_text(
        "model = dict(type='SkeletonRecognizer', "
        "backbone=dict(type='STGCNN'), cls_head=dict(type='ClsHead', "
        "num_classes=2))\n")
    cfg = Config.fromfile(str(cfg_file))
    with pytest.raises(KeyError, match="STGCNN"):
        registry.MODELS.build(cfg.model)
