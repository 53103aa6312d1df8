"""Check the arguments of the configured hooks before training starts.

A misspelt hook argument otherwise fails late: ``CheckpointHook`` keeps
unknown keyword arguments and passes them to ``Runner.save_checkpoint``,
which raises only when the first checkpoint is saved, after an epoch of
training. Each hook in ``default_hooks`` and ``custom_hooks`` is looked up
in the registry of the config's scope and its keys are compared with the
arguments its ``__init__`` (and, through ``**kwargs``, its base classes')
accepts.
"""
import difflib
import inspect
from typing import Any, Iterator, Mapping, Optional, Set, Tuple

from mmengine.hooks import CheckpointHook
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import Registry

from stgcn_reg.registry import HOOKS

# keys the Runner takes off a hook config before building the hook
RUNNER_HOOK_KEYS = frozenset(('type', 'priority'))
# hooks whose ``**kwargs`` accept nothing more: CheckpointHook forwards them
# to Runner.save_checkpoint, whose every argument it already passes
CLOSED_KWARGS = (CheckpointHook, )
CUTOFF = 0.8


def _registry(scope: Optional[str]) -> Optional[Registry]:
    """The hook registry the Runner builds from; None for a foreign scope."""
    if scope == 'stgcn_reg':
        return HOOKS
    if scope in (None, 'mmengine'):
        return MMENGINE_HOOKS
    return None


def accepted_arguments(hook_class: type) -> Optional[Set[str]]:
    """Keyword arguments ``hook_class(...)`` accepts, following ``**kwargs``
    up the base classes; None when they cannot be known."""
    accepted: Set[str] = set()
    for cls in hook_class.__mro__:
        if cls is object:
            return None
        if '__init__' not in vars(cls):
            continue
        parameters = inspect.signature(vars(cls)['__init__']).parameters
        accepted.update(
            name for name, parameter in list(parameters.items())[1:]
            if parameter.kind in (parameter.POSITIONAL_OR_KEYWORD,
                                  parameter.KEYWORD_ONLY))
        takes_more = any(parameter.kind is parameter.VAR_KEYWORD
                         for parameter in parameters.values())
        if not takes_more or cls in CLOSED_KWARGS:
            return accepted
    return None


def _registered_names(registry: Registry) -> Set[str]:
    names: Set[str] = set()
    while registry is not None:
        names.update(registry.module_dict)
        registry = registry.parent
    return names


def _configured_hooks(cfg: Mapping) -> Iterator[Tuple[str, Any]]:
    """``(where, hook config)`` of every hook the config sets."""
    default_hooks = cfg.get('default_hooks') or {}
    if isinstance(default_hooks, Mapping):
        for name, hook in default_hooks.items():
            yield f'default_hooks.{name}', hook
    custom_hooks = cfg.get('custom_hooks') or []
    if isinstance(custom_hooks, (list, tuple)):
        for index, hook in enumerate(custom_hooks):
            yield f'custom_hooks[{index}]', hook


def _hook_problem(where: str, hook: Mapping,
                  registry: Registry) -> Optional[str]:
    hook_type = hook.get('type')
    if isinstance(hook_type, str):
        hook_class = registry.get(hook_type)
        if hook_class is None:  # the Runner names it; add a did-you-mean
            close = [] if '.' in hook_type else difflib.get_close_matches(
                hook_type, sorted(_registered_names(registry)), n=1,
                cutoff=CUTOFF)
            return (f'{where}.type {hook_type!r} is not a registered hook; '
                    f'did you mean {close[0]!r}?') if close else None
    elif isinstance(hook_type, type):
        hook_class = hook_type
    else:
        return None
    accepted = accepted_arguments(hook_class)
    if accepted is None:
        return None
    unknown = sorted(set(hook) - accepted - RUNNER_HOOK_KEYS)
    if not unknown:
        return None
    close = difflib.get_close_matches(unknown[0], sorted(accepted), n=1)
    hint = f'; did you mean {close[0]!r}?' if close else ''
    return (f'{where} ({hook_class.__name__}) has no argument '
            f'{unknown[0]!r}{hint} (it accepts {", ".join(sorted(accepted))})')


def hook_argument_problems(cfg: Mapping) -> Iterator[str]:
    """Yield one message per configured hook with an unknown type or
    argument."""
    registry = _registry(cfg.get('default_scope'))
    if registry is None:
        return
    for where, hook in _configured_hooks(cfg):
        if isinstance(hook, Mapping):
            problem = _hook_problem(where, hook, registry)
            if problem:
                yield problem
