"""Registry nodes of stgcn_reg, children of mmengine's roots.

Each node names the subpackage that registers its members in ``locations``,
so a config with ``default_scope = 'stgcn_reg'`` finds every built-in part
without ``custom_imports``.
"""
from mmengine.registry import DATA_SAMPLERS as MMENGINE_DATA_SAMPLERS
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import EVALUATOR as MMENGINE_EVALUATOR
from mmengine.registry import FUNCTIONS as MMENGINE_FUNCTIONS
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import INFERENCERS as MMENGINE_INFERENCERS
from mmengine.registry import LOG_PROCESSORS as MMENGINE_LOG_PROCESSORS
from mmengine.registry import LOOPS as MMENGINE_LOOPS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODEL_WRAPPERS as MMENGINE_MODEL_WRAPPERS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import (
    OPTIM_WRAPPER_CONSTRUCTORS as MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS,
)
from mmengine.registry import OPTIM_WRAPPERS as MMENGINE_OPTIM_WRAPPERS
from mmengine.registry import OPTIMIZERS as MMENGINE_OPTIMIZERS
from mmengine.registry import PARAM_SCHEDULERS as MMENGINE_PARAM_SCHEDULERS
from mmengine.registry import TASK_UTILS as MMENGINE_TASK_UTILS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import VISBACKENDS as MMENGINE_VISBACKENDS
from mmengine.registry import VISUALIZERS as MMENGINE_VISUALIZERS
from mmengine.registry import (
    WEIGHT_INITIALIZERS as MMENGINE_WEIGHT_INITIALIZERS,
)
from mmengine.registry import Registry


def _member_node(name: str, parent: Registry, location: str) -> Registry:
    """A child of ``parent`` whose members ``stgcn_reg.<location>`` adds."""
    return Registry(name, parent=parent, scope='stgcn_reg',
                    locations=[f'stgcn_reg.{location}'])


def _lookup_node(parent: Registry) -> Registry:
    """An empty child node: the Runner switches every registry to the
    ``stgcn_reg`` scope, and without a child it warns before falling back
    to mmengine's built-ins (loops, optimizers, samplers, ...)."""
    return Registry(parent.name, parent=parent, scope='stgcn_reg')


# Backbones, heads and recognizers.
MODELS = _member_node('model', MMENGINE_MODELS, 'models')
# Skeleton graphs (layout + partition strategy). One child per scope is
# allowed under each root, so graphs take the TASK_UTILS slot.
GRAPHS = _member_node('graph', MMENGINE_TASK_UTILS, 'graphs')
# Feeders: skeleton datasets.
DATASETS = _member_node('dataset', MMENGINE_DATASETS, 'datasets')
# Per-sample augmentations and formatting.
TRANSFORMS = _member_node('transform', MMENGINE_TRANSFORMS,
                          'datasets.transforms')
# Evaluation metrics.
METRICS = _member_node('metric', MMENGINE_METRICS, 'evaluation')
# Training hooks.
HOOKS = _member_node('hook', MMENGINE_HOOKS, 'engine.hooks')
# Distributed wrappers that also work on CPU (gloo).
MODEL_WRAPPERS = _member_node('model_wrapper', MMENGINE_MODEL_WRAPPERS,
                              'engine')
# Optimizer wrappers, e.g. bf16 autocast on CPU.
OPTIM_WRAPPERS = _member_node('optim_wrapper', MMENGINE_OPTIM_WRAPPERS,
                              'engine')
# Visualizers: mmengine's, with the figure made on first drawing.
VISUALIZERS = _member_node('visualizer', MMENGINE_VISUALIZERS, 'engine')
# Pose estimators (frames in, people out) for the video tools. One child
# per scope is allowed under each root, so they take the INFERENCERS slot.
POSE_ESTIMATORS = _member_node('pose_estimator', MMENGINE_INFERENCERS,
                               'pose')


# Lookup-only nodes (no members): they resolve to mmengine's own parts.
LOOPS = _lookup_node(MMENGINE_LOOPS)
DATA_SAMPLERS = _lookup_node(MMENGINE_DATA_SAMPLERS)
FUNCTIONS = _lookup_node(MMENGINE_FUNCTIONS)
OPTIMIZERS = _lookup_node(MMENGINE_OPTIMIZERS)
OPTIM_WRAPPER_CONSTRUCTORS = _lookup_node(MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS)
PARAM_SCHEDULERS = _lookup_node(MMENGINE_PARAM_SCHEDULERS)
EVALUATOR = _lookup_node(MMENGINE_EVALUATOR)
LOG_PROCESSORS = _lookup_node(MMENGINE_LOG_PROCESSORS)
VISBACKENDS = _lookup_node(MMENGINE_VISBACKENDS)
WEIGHT_INITIALIZERS = _lookup_node(MMENGINE_WEIGHT_INITIALIZERS)
