"""Registry nodes of stgcn_reg, children of mmengine's roots.

Each node names the subpackage that registers its members in ``locations``,
so a config with ``default_scope = 'stgcn_reg'`` finds every built-in part
without ``custom_imports``.
"""
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODEL_WRAPPERS as MMENGINE_MODEL_WRAPPERS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import OPTIM_WRAPPERS as MMENGINE_OPTIM_WRAPPERS
from mmengine.registry import TASK_UTILS as MMENGINE_TASK_UTILS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import Registry

# Backbones, heads and recognizers.
MODELS = Registry(
    'model', parent=MMENGINE_MODELS, locations=['stgcn_reg.models'])
# Skeleton graphs (layout + partition strategy). One child per scope is
# allowed under each root, so graphs take the TASK_UTILS slot.
GRAPHS = Registry(
    'graph', parent=MMENGINE_TASK_UTILS, locations=['stgcn_reg.graphs'])
# Feeders: skeleton datasets.
DATASETS = Registry(
    'dataset', parent=MMENGINE_DATASETS, locations=['stgcn_reg.datasets'])
# Per-sample augmentations and formatting.
TRANSFORMS = Registry(
    'transform',
    parent=MMENGINE_TRANSFORMS,
    locations=['stgcn_reg.datasets.transforms'])
# Evaluation metrics.
METRICS = Registry(
    'metric', parent=MMENGINE_METRICS, locations=['stgcn_reg.evaluation'])
# Training hooks.
HOOKS = Registry(
    'hook', parent=MMENGINE_HOOKS, locations=['stgcn_reg.engine.hooks'])
# Distributed wrappers that also work on CPU (gloo).
MODEL_WRAPPERS = Registry(
    'model_wrapper',
    parent=MMENGINE_MODEL_WRAPPERS,
    locations=['stgcn_reg.engine'])
# Optimizer wrappers, e.g. bf16 autocast on CPU.
OPTIM_WRAPPERS = Registry(
    'optim_wrapper',
    parent=MMENGINE_OPTIM_WRAPPERS,
    locations=['stgcn_reg.engine'])
