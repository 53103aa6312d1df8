"""What converting one MMAction2 config collects: notes and missing parts.

Shared by the model, data and runtime mappings of
:mod:`stgcn_reg.compat.mmaction_config`: a :class:`Conversion` gathers
one note per value that is not converted exactly and one entry per
MMAction2 part stgcn_reg does not have, so that a config fails once,
naming all of them, instead of at the first.
"""
from typing import Any, Dict, Iterable, List, Optional, Tuple

from mmengine.registry import Registry

# a value a config does not set (``None`` can be a set value)
UNSET = object()


class MissingMMActionParts(ValueError):
    """An MMAction2 config needs parts that stgcn_reg does not have."""


class Conversion:
    """Notes and missing parts of converting the MMAction2 config ``path``.

    Args:
        path (str): The MMAction2 config, named in every message.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.notes: List[str] = []
        self.missing: List[str] = []

    def note(self, text: str) -> None:
        """Record a value that is not converted exactly (once)."""
        if text not in self.notes:
            self.notes.append(text)

    def lack(self, part: str) -> None:
        """Record an MMAction2 part we do not have (once)."""
        if part not in self.missing:
            self.missing.append(part)

    def check(self) -> None:
        """Raise :class:`MissingMMActionParts` naming every missing part."""
        if self.missing:
            raise MissingMMActionParts(
                f'{self.path}: needs MMAction2 parts that stgcn_reg does not '
                f'have: {"; ".join(self.missing)}')

    def error(self, key: str, expected: str, got: Any) -> ValueError:
        """A one-line error naming the file, the key and what was expected."""
        return ValueError(f'{self.path}: {key}: expected {expected}, got '
                          f'{got!r}')

    def component(self, cfg: Any, key: str) -> Dict[str, Any]:
        """``cfg`` as a plain dict with a string ``type``, or an error."""
        if not isinstance(cfg, dict) or not isinstance(cfg.get('type'), str):
            raise self.error(key, "a dict with a 'type'", cfg)
        return dict(cfg)


def take(args: Dict[str, Any], defaults: Dict[str, Any]) -> Dict[str, Any]:
    """Pop the ``defaults`` keys from ``args``, filling in the defaults."""
    return {key: args.pop(key, default) for key, default in defaults.items()}


def call_text(name: str, args: Dict[str, Any]) -> str:
    """``name(key=value, ...)``, how a missing part is named."""
    return f'{name}(' + ', '.join(f'{k}={v!r}' for k, v in args.items()) + ')'


def find_type(registry: Registry, name: str) -> Optional[type]:
    """The class registered as ``name`` in ours or mmengine's ``registry``
    (not in another package's: ``mmaction.X`` may name MMAction2's)."""
    if '.' in name and name.split('.')[0] not in ('stgcn_reg', 'mmengine'):
        return None
    # mmengine's parts register when imported: loops, hooks, optimizers
    # and schedulers (runner), samplers (dataset), visualizers, backends
    import mmengine.dataset  # noqa: F401
    import mmengine.runner  # noqa: F401
    import mmengine.visualization  # noqa: F401
    try:
        return registry.get(name)
    except (KeyError, ImportError):
        return None


def build_ours(registry: Registry, cfg: Dict[str, Any]) -> Any:
    """Build ``cfg`` with our class of its type, whatever the default scope
    (a KeyError when we have none)."""
    args = dict(cfg)
    cls = find_type(registry, args.pop('type'))
    if cls is None:
        raise KeyError(f'no {cfg["type"]!r} in our {registry.name} registry')
    return cls(**args)


def check_types(conv: Conversion, registry: Registry,
                items: Iterable[Tuple[str, Any]], what: str) -> None:
    """Record as missing every ``(key, cfg)`` whose type we do not have."""
    for key, cfg in items:
        kind = cfg.get('type') if isinstance(cfg, dict) else None
        if isinstance(kind, str) and find_type(registry, kind) is None:
            conv.lack(f'{what} {kind} ({key})')
