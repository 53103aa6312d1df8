"""Let ``torch.load(weights_only=True)`` read mmengine's own checkpoints."""


def allow_mmengine_checkpoints() -> None:
    pass
