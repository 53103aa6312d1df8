"""The config of a pose estimator from the tools' flags, checked before
anything is built (so a wrong option is one line, not a traceback from a
worker process)."""
import inspect
from typing import Any, Mapping, Optional

from stgcn_reg.registry import POSE_ESTIMATORS

# what the tools set from their own flags (--layout, --max-persons, the
# model's layout): an option may not set them too
_FROM_FLAGS = ('layout', 'max_persons')


def estimator_config(name: str, options: Optional[Mapping[str, Any]] = None,
                     **from_flags: Any) -> dict:
    """``dict(type=name, **options, **from_flags)`` for
    ``POSE_ESTIMATORS.build``, after checking that ``name`` is registered
    and that it takes every option.

    Raises:
        ValueError: An unknown estimator, an option it does not take, or
            an option that a flag of the tool sets.
    """
    estimator = POSE_ESTIMATORS.get(name)
    if estimator is None:
        known = ', '.join(sorted(POSE_ESTIMATORS.module_dict))
        raise ValueError(f'--estimator {name!r} is not a registered pose '
                         f'estimator (registered: {known})')
    options = dict(options or {})
    for key in options:
        if key in _FROM_FLAGS:
            flag = '--' + key.replace('_', '-')
            raise ValueError(f'--estimator-options {key}: set by the tool '
                             f"(the model's layout or {flag}), not here")
    parameters = inspect.signature(estimator).parameters
    takes_any = any(p.kind is p.VAR_KEYWORD for p in parameters.values())
    taken = [p for p in parameters if p not in ('self', *_FROM_FLAGS)]
    for key in options:
        if key not in parameters and not takes_any:
            raise ValueError(
                f'--estimator-options {key}: {name} takes no such option '
                f'(it takes: {", ".join(taken) or "none"})')
    return dict(type=name, **options, **from_flags)
