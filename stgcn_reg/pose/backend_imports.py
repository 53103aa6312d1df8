"""Import an optional pose backend, or say exactly how to install it."""
import os
import warnings
from types import ModuleType

MEDIAPIPE_INSTALL = (
    'pip install -e ".[pose]" && pip install --no-deps mediapipe==0.10.14 '
    '(or: bash tools/setup_env.sh)')


class PoseBackendMissing(ImportError):
    """A pose backend is not installed; the message says how to get it."""


def import_mediapipe() -> ModuleType:
    """``mediapipe`` 0.10.x with its bundled BlazePose models."""
    # its C++ side logs through glog (this) and absl (native_log_filter)
    os.environ.setdefault('GLOG_minloglevel', '2')
    # its solutions call a protobuf method that protobuf 4.x deprecates
    warnings.filterwarnings(
        'ignore', message=r'SymbolDatabase\.GetPrototype\(\) is deprecated',
        category=UserWarning)
    try:
        import mediapipe
        mediapipe.solutions.pose  # noqa: B018 (the part we need)
    except (ImportError, AttributeError) as error:
        raise PoseBackendMissing(
            f'MediaPipePose needs mediapipe 0.10.14 ({error}); install it '
            f'with: {MEDIAPIPE_INSTALL}') from error
    version = getattr(mediapipe, '__version__', '0')
    if not version.startswith('0.10.'):
        raise PoseBackendMissing(
            f'MediaPipePose needs mediapipe 0.10.x, which carries its '
            f'BlazePose models (found {version}; 1.x downloads them at run '
            f'time); install it with: {MEDIAPIPE_INSTALL}')
    return mediapipe
