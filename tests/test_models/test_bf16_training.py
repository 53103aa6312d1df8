"""Training under bf16 autocast (how ``--amp`` runs on CPU) learns about
as well as float32: one small model trained both ways on the demo's
synthetic actions, the held-out accuracy gap bounded."""
import numpy as np
import pytest
import torch

from stgcn_reg.cli.amp_policy import has_fast_bf16
from stgcn_reg.datasets.synthetic_actions import make_dataset
from stgcn_reg.registry import MODELS

# where bf16 is emulated (no AVX512-BF16 / AMX) --amp stays in fp32, and
# these trainings would take minutes instead of seconds
pytestmark = pytest.mark.skipif(
    not has_fast_bf16(),
    reason='this CPU has no bf16 in hardware (--amp stays fp32 here)')

# 9 epochs learn the task as 12 did (fp32 ~0.89, bf16 ~0.87 averaged over
# the two seeds): a quarter less training, the same margins
EPOCHS = 9
BATCH = 16
SEEDS = (0, 1)
LR = 0.03  # 0.1 makes single runs swing by 20 points with the threads


def centred(data: np.ndarray) -> torch.Tensor:
    """Clips relative to joint 1 (spine middle), as the demo config."""
    data = data - data[:, :, :, 1:2, :] * (data != 0).any(1, keepdims=True)
    return torch.from_numpy(np.ascontiguousarray(data, np.float32))


@pytest.fixture(scope='module')
def clips():
    train, _, train_labels = make_dataset(192, num_frames=32, seed=1)
    val, _, val_labels = make_dataset(96, num_frames=32, seed=2)
    return (centred(train), torch.tensor(train_labels),
            centred(val), torch.tensor(val_labels))


def train_and_score(clips, amp: bool, seed: int = 0,
                    **backbone) -> float:
    """Held-out top-1 after SGD with the demo's settings, scaled down."""
    x, y, val_x, val_y = clips
    torch.manual_seed(seed)
    model = MODELS.build(dict(
        type='SkeletonRecognizer',
        backbone=dict(type='STGCN', channels=(16, 16, 32, 32),
                      strides=(1, 2, 1, 2), dropout=0.1,
                      graph_cfg=dict(type='Graph', layout='ntu-rgb+d'),
                      **backbone),
        cls_head=dict(type='ClsHead', num_classes=8, in_channels=32)))
    model.init_weights()
    steps = EPOCHS * (len(x) // BATCH)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9,
                                nesterov=True, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, steps)
    generator = torch.Generator().manual_seed(0)
    model.train()
    for _ in range(EPOCHS):
        order = torch.randperm(len(x), generator=generator)
        for batch in order[:len(x) // BATCH * BATCH].view(-1, BATCH):
            with torch.autocast('cpu', torch.bfloat16, enabled=amp):
                logits = model(x[batch], mode='tensor')
            loss = torch.nn.functional.cross_entropy(logits.float(),
                                                     y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
    model.eval()
    with torch.no_grad():
        predicted = model(val_x, mode='tensor').argmax(1)
    return (predicted == val_y).float().mean().item()


def test_bf16_training_reaches_the_float32_accuracy(default_scope, clips):
    # one run's accuracy moves by several points with the seed (rounding
    # changes the path), so two seeds are averaged each way
    fp32 = np.mean([train_and_score(clips, False, seed) for seed in SEEDS])
    bf16 = np.mean([train_and_score(clips, True, seed) for seed in SEEDS])
    assert fp32 > 0.8, fp32  # the task is learnt at all
    assert bf16 >= fp32 - 0.06, (fp32, bf16)
