# Components are looked up in stgcn_reg's registries first; no
# imports of our own modules are needed in configs for built-in parts.
default_scope = 'stgcn_reg'

# Hooks every run has: timing, logging, LR schedule, checkpoints, seeds.
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # save_interval of the original tool; best checkpoint by top-1;
    # atomic writes, so a kill during a save never breaks a checkpoint
    checkpoint=dict(
        type='SafeCheckpointHook',
        interval=10,
        max_keep_ckpts=3,
        save_best='acc/top1',
        rule='greater'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    # every rank ends each epoch with the same BatchNorm statistics, so
    # in-training validation measures the model that is saved
    sync_norm_stats=dict(type='SyncNormStatsHook'),
)

# Before training, check data against model (channels, joints, labels);
# stop with a clear message when the loss turns NaN/inf; keep the random
# generators' states in checkpoints so --resume continues exactly.
custom_hooks = [
    dict(type='DataModelCheckHook'),
    dict(type='NonFiniteLossHook'),
    dict(type='RandomStateHook'),
]

# Environment: fork workers, one OpenCV thread, NCCL on GPUs (tools switch
# to gloo on CPU-only machines).
env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)

# DDP wrapper that also works for CPU modules (gloo).
model_wrapper_cfg = dict(
    type='stgcn_reg.DeviceAwareDDP',
    broadcast_buffers=False,
    find_unused_parameters=False)

# Text log, JSON scalar log (vis_data/scalars.json) and resolved config.
# Smooth only training losses and timings over the window; evaluation
# metrics such as acc/mean_loss are logged as computed.
log_processor = dict(
    type='LogProcessor',
    window_size=20,
    by_epoch=True,
    mean_pattern=r'^(loss.*|time|data_time|grad_norm)$')
vis_backends = [dict(type='LocalVisBackend')]
# mmengine's Visualizer, its matplotlib figure made only when it draws
visualizer = dict(type='LazyFigureVisualizer', vis_backends=vis_backends)
log_level = 'INFO'

load_from = None
resume = False
randomness = dict(seed=None, deterministic=False)
