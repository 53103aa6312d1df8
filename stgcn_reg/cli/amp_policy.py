"""Which mixed-precision dtype pays on this machine (``--amp``)."""
import sys
from typing import Any, Dict, List, Optional, Set, Tuple

import torch

from stgcn_reg.utils.cpu_info import cpu_flags, cpu_model

# CPU flags (as /proc/cpuinfo spells them) that make bf16 matmuls fast:
# AVX512-BF16 (Cooper Lake, Zen 4+) and AMX tiles (Sapphire Rapids+)
FAST_BF16_FLAGS = ('avx512_bf16', 'amx_bf16')
REPORTED_FLAGS = ('avx2', 'avx512f', 'avx512_bf16', 'amx_bf16', 'amx_tile')
AMP_DTYPES = ('auto', 'bf16', 'fp16')


def reported_flags(flags: Optional[Set[str]] = None) -> Dict[str, bool]:
    """Presence of the flags that decide fp32 and bf16 speed."""
    flags = cpu_flags() if flags is None else flags
    return {name: name in flags for name in REPORTED_FLAGS}


def fast_bf16_flags(flags: Optional[Set[str]] = None) -> List[str]:
    """The :data:`FAST_BF16_FLAGS` the CPU has (``flags``, else read from
    /proc/cpuinfo): empty where bf16 is emulated."""
    flags = cpu_flags() if flags is None else flags
    return [name for name in FAST_BF16_FLAGS if name in flags]


def has_fast_bf16() -> bool:
    """Whether this CPU computes bf16 in hardware (``--amp`` picks it)."""
    return bool(fast_bf16_flags())


def choose_amp_dtype(device: str, requested: str = 'auto',
                     flags: Optional[Set[str]] = None,
                     what: str = 'training') -> Tuple[Optional[str], str]:
    """The autocast dtype for ``--amp`` and a message saying why.

    ``auto`` on CUDA is float16 (with loss scaling); on a CPU it is
    bfloat16 when the CPU has AVX512-BF16 or AMX, and None (stay in fp32)
    otherwise, since bf16 is emulated there and slower than fp32.
    ``bf16`` / ``fp16`` force that dtype.

    Args:
        device (str): ``cpu`` or ``cuda``.
        requested (str): ``auto``, ``bf16`` or ``fp16``.
        flags (set of str, optional): CPU flags; read from /proc/cpuinfo
            when None.
        what (str): What runs (``training``, ``inference``), for the
            message.

    Returns:
        tuple: (``'bfloat16'``, ``'float16'`` or None, message).
    """
    if requested not in AMP_DTYPES:
        raise ValueError(f'--amp-dtype must be one of {AMP_DTYPES}, got '
                         f'{requested!r}')
    if requested == 'bf16':
        return 'bfloat16', f'mixed precision: bfloat16 autocast on {device}'
    if requested == 'fp16':
        return 'float16', f'mixed precision: float16 autocast on {device}'
    if device == 'cuda':
        return 'float16', ('mixed precision: float16 autocast with dynamic '
                           'loss scaling on CUDA')
    fast = fast_bf16_flags(flags)
    if fast:
        return 'bfloat16', ('mixed precision: bfloat16 autocast on the CPU '
                            f'(it has {", ".join(fast)})')
    faster = (' For faster inference on this CPU export an int8 model: '
              'tools/export_onnx.py CONFIG CHECKPOINT --out m.onnx --int8.'
              if what == 'inference' else '')
    return None, (
        f'--amp: this CPU ({cpu_model()}) has no fast bfloat16 (neither '
        'avx512_bf16 nor amx_bf16 in /proc/cpuinfo); bf16 would be emulated '
        f'and slower than fp32, so {what} stays in fp32. Pass '
        f'--amp-dtype bf16 to use bf16 anyway.{faster}')


def autocast_dtype(name: Optional[str]) -> Optional[torch.dtype]:
    """``'bfloat16'`` -> ``torch.bfloat16`` (None stays None)."""
    return None if name is None else getattr(torch, name)


def wants_amp(args: Any) -> bool:
    """Whether a tool's ``--amp`` or ``--amp-dtype`` was given."""
    return bool(args.amp or args.amp_dtype)


def exit_if_amp_for_onnx(args: Any, runs_in_onnxruntime: bool) -> None:
    """End the tool in one line when ``--amp`` asks mixed precision of a
    model ONNX Runtime runs (in float32 only)."""
    if wants_amp(args) and runs_in_onnxruntime:
        sys.exit(f'error: --amp: {args.checkpoint} runs in ONNX Runtime in '
                 'float32; use the torch checkpoint for mixed precision')


def inference_amp_dtype(args: Any, device: str) -> Optional[torch.dtype]:
    """The autocast dtype a tool's ``--amp`` / ``--amp-dtype`` choose for
    inference on ``device``, the choice printed; None: float32."""
    if not wants_amp(args):
        return None
    name, message = choose_amp_dtype(device, args.amp_dtype or 'auto',
                                     what='inference')
    print(message)
    return autocast_dtype(name)
