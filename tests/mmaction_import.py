"""Import the real MMAction2 1.2.0 ``mmaction.models`` (tests, benchmarks).

``tools/setup_env.sh`` installs it (``mmcv-lite==2.1.0 einops scipy
importlib_metadata``, then ``mmaction2==1.2.0`` without its heavy
dependencies). Its wheel lacks ``mmaction.models.localizers.drn``, which
``mmaction.models`` imports, so empty stand-ins go into ``sys.modules``
first (nothing here uses DRN).
"""
import sys
import types
import warnings

INSTALL = ('pip install mmcv-lite==2.1.0 einops scipy importlib_metadata && '
           'pip install --no-deps mmaction2==1.2.0 (tools/setup_env.sh does '
           'this)')


class MMActionUnavailable(ImportError):
    """MMAction2 is not installed or does not import; says how to fix it."""


def import_mmaction_models() -> types.ModuleType:
    """``mmaction.models``, or :class:`MMActionUnavailable`."""
    try:
        import mmaction  # noqa: F401
    except ImportError as error:
        raise MMActionUnavailable(
            f'MMAction2 1.2.0 is not installed ({error}); install it with: '
            f'{INSTALL}') from error
    for name in ('mmaction.models.localizers.drn',
                 'mmaction.models.localizers.drn.drn'):
        if name not in sys.modules:
            stand_in = types.ModuleType(name)
            stand_in.DRN = None  # the one name the package imports
            sys.modules[name] = stand_in
    try:
        with warnings.catch_warnings():  # mmcv-lite lacks its CUDA ops
            warnings.simplefilter('ignore', UserWarning)
            import mmaction.models as models
    except ImportError as error:
        raise MMActionUnavailable(
            f'mmaction.models does not import ({error}); install it with: '
            f'{INSTALL}') from error
    return models
