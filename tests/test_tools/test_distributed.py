"""Real multi-process runs on CPU (gloo): torchrun, two nodes, SLURM."""
import glob
import json
import os
import os.path as osp
import pickle
import re
import shutil
import socket
import stat
import subprocess
import sys

import numpy as np
import pytest
import torch
from tool_runner import (
    DEMO_CONFIG,
    TINY_MODEL,
    data_options,
    make_demo_data,
    run_tool,
    tool,
)

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def launch(args, cwd, **env_vars) -> subprocess.Popen:
    # one thread per process (torchrun's default for several processes on
    # a node; tools.run_tool's too): the processes of a run do not
    # oversubscribe the cores, and all runs compute alike, bit for bit
    env = dict(os.environ, PYTHON=sys.executable, CUDA_VISIBLE_DEVICES='',
               OMP_NUM_THREADS='1')
    env.update(env_vars)
    return subprocess.Popen(['bash', *args], cwd=str(cwd), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def finish(proc: subprocess.Popen) -> str:
    output, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0, output[-4000:]
    return output


def train_args(work_dir, data, epochs='1'):
    return ['--work-dir', str(work_dir), '--epochs', epochs, '--batch-size',
            '8', '--eval-interval', '1', '--cfg-options', *TINY_MODEL,
            *data_options(data)]


@pytest.fixture(scope='module')
def demo_data(tmp_path_factory) -> str:
    # 7 validation clips: not divisible by 2 processes
    return make_demo_data(str(tmp_path_factory.mktemp('data')), num_val=7)


# a hook loaded with custom_imports: each rank saves its model's buffers
# (BatchNorm statistics) at every epoch end, after they were synchronised
BUFFER_DUMP = '''
import os

import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook

from stgcn_reg.registry import HOOKS


@HOOKS.register_module()
class DumpRankBuffers(Hook):

    priority = 'LOW'

    def after_train_epoch(self, runner):
        model = getattr(runner.model, 'module', runner.model)
        name = f'buffers_rank{get_rank()}_epoch{runner.epoch + 1}.pt'
        torch.save({k: v.clone() for k, v in model.named_buffers()},
                   os.path.join(runner.work_dir, name))
'''


def dump_config(folder) -> str:
    """Write the demo config with the DumpRankBuffers hook into folder."""
    (folder / 'buffer_dump.py').write_text(BUFFER_DUMP)
    config = folder / 'dump_config.py'
    config.write_text(
        f"_base_ = ['{DEMO_CONFIG}']\n"
        "custom_imports = dict(imports=['buffer_dump'], "
        "allow_failed_imports=False)\n"
        "custom_hooks = [dict(type='DataModelCheckHook'), "
        "dict(type='NonFiniteLossHook'), dict(type='RandomStateHook'), "
        "dict(type='DumpRankBuffers')]\n")
    return str(config)


def exact_args(data, epochs, *extra) -> list:
    """train.py options of the deterministic runs (after --work-dir)."""
    return ['--epochs', str(epochs), '--batch-size', '8', '--seed', '3',
            '--deterministic', '--lr', '0.5', '--save-interval', '1',
            '--eval-interval', '1', *extra, '--cfg-options', *TINY_MODEL,
            'model.backbone.dropout=0.3', *data_options(data)]


def dist_train(folder, work_dir, data, epochs, *extra) -> str:
    """tools/dist_train.sh with 2 processes, deterministic, every rank's
    buffers dumped at each epoch end."""
    return finish(launch(
        [tool('dist_train.sh'), dump_config(folder), '2', '--work-dir',
         str(work_dir), *exact_args(data, epochs, *extra)],
        folder, PORT=str(free_port()), PYTHONPATH=str(folder)))


@pytest.fixture(scope='module')
def two_rank_run(demo_data, tmp_path_factory):
    folder = tmp_path_factory.mktemp('two_ranks')
    output = dist_train(folder, folder / 'work', demo_data, 4)
    return folder / 'work', output


def test_dist_train_two_processes(two_rank_run):
    work_dir, output = two_rank_run
    assert 'Distributed training: True' in output
    # 32 clips, 4 per process and step: 4 steps per epoch on each rank
    assert 'Epoch(train) [1][4/4]' in output
    assert 'Epoch(val) [1]' in output
    assert osp.isfile(work_dir / 'epoch_4.pth')


def test_ranks_hold_the_same_batchnorm_statistics(two_rank_run):
    work_dir, _ = two_rank_run
    for epoch in (1, 4):
        ranks = [torch.load(work_dir / f'buffers_rank{r}_epoch{epoch}.pt')
                 for r in (0, 1)]
        assert ranks[0].keys() == ranks[1].keys()
        for key in ranks[0]:
            assert torch.equal(ranks[0][key], ranks[1][key]), key
    saved = torch.load(work_dir / 'epoch_4.pth', weights_only=False)
    for key, value in ranks[0].items():
        assert torch.equal(saved['state_dict'][key], value), key


def metrics_of(output) -> dict:
    line = re.search(r'Epoch\(test\).*', output).group(0)
    return dict(re.findall(r'(acc/\w+): ([\d.]+)', line))


@pytest.fixture(scope='module')
def single_test(two_rank_run, demo_data, tmp_path_factory):
    """tools/test.py in one process on the two-rank run's last checkpoint,
    scores dumped: the output and the dump file."""
    work_dir, _ = two_rank_run
    folder = tmp_path_factory.mktemp('single_test')
    output = run_tool(
        tool('test.py'), DEMO_CONFIG, str(work_dir / 'epoch_4.pth'),
        '--work-dir', str(folder), '--dump', str(folder / 'one.pkl'),
        '--cfg-options', *TINY_MODEL, *data_options(demo_data),
        cwd=str(folder))
    return output, folder / 'one.pkl'


def test_validation_in_training_equals_testing_the_checkpoint(
        two_rank_run, single_test):
    work_dir, _ = two_rank_run
    logged = [json.loads(line) for line in open(glob.glob(
        str(work_dir / '*' / 'vis_data' / 'scalars.json'))[0])]
    last_val = [e for e in logged if 'acc/top1' in e][-1]
    tested = metrics_of(single_test[0])
    # 7 validation clips over 2 ranks (one padded, not counted); printed
    # with 4 decimals
    for key in ('acc/top1', 'acc/top5', 'acc/mean_loss'):
        assert tested[key] == f'{last_val[key]:.4f}', key


def test_two_rank_resume_is_exact(two_rank_run, slurm_run, demo_data,
                                  tmp_path):
    straight, _ = two_rank_run
    # the interrupted run: the 2 epochs of two ranks started by srun
    # (slurm_run), resumed in a copy by torchrun with 2 processes
    work_dir = tmp_path / 'work'
    shutil.copytree(slurm_run[0], work_dir)
    output = dist_train(tmp_path, work_dir, demo_data, 4, '--resume')
    assert 'resumed epoch: 2' in output
    first = torch.load(straight / 'epoch_4.pth', weights_only=False)
    second = torch.load(work_dir / 'epoch_4.pth', weights_only=False)
    for key, value in first['state_dict'].items():
        assert torch.equal(value, second['state_dict'][key]), key
    assert sorted(n for n in os.listdir(work_dir) if n.startswith('best')) \
        == sorted(n for n in os.listdir(straight) if n.startswith('best'))


def test_two_nodes_on_loopback(demo_data, tmp_path):
    port = str(free_port())
    args = [tool('dist_train.sh'), DEMO_CONFIG, '1',
            *train_args(tmp_path / 'work', demo_data)]
    nodes = [
        launch(args, tmp_path, NNODES='2', NODE_RANK=str(rank),
               MASTER_ADDR='127.0.0.1', PORT=port) for rank in (0, 1)
    ]
    outputs = [finish(node) for node in nodes]
    assert 'Epoch(train) [1][4/4]' in outputs[0]
    assert 'Distributed training: True' in outputs[0]
    assert osp.isfile(tmp_path / 'work' / 'epoch_1.pth')


def test_distributed_test_equals_single_process(two_rank_run, single_test,
                                                demo_data, tmp_path):
    work_dir, _ = two_rank_run
    checkpoint = str(work_dir / 'epoch_4.pth')
    options = ['--cfg-options', *TINY_MODEL, *data_options(demo_data)]
    single, one_dump = single_test
    multi = finish(launch(
        [tool('dist_test.sh'), DEMO_CONFIG, checkpoint, '2', '--work-dir',
         str(tmp_path / 'work'), '--dump', str(tmp_path / 'two.pkl'),
         *options],
        tmp_path, PORT=str(free_port())))

    assert metrics_of(multi) == metrics_of(single)
    one = pickle.loads(one_dump.read_bytes())
    two = pickle.loads((tmp_path / 'two.pkl').read_bytes())
    assert len(two['sample_names']) == 7
    assert two['sample_names'] == one['sample_names']
    np.testing.assert_allclose(two['scores'], one['scores'], rtol=1e-5,
                               atol=1e-6)


FAKE_SRUN = '''#!/usr/bin/env bash
# Stand-in for srun on one machine: start --ntasks copies of the command
# with the variables SLURM sets for each task.
ntasks=1
while [[ $# -gt 0 && $1 == -* ]]; do
  case $1 in
    --ntasks=*) ntasks=${1#--ntasks=} ;;
    -p) shift ;;
  esac
  shift
done
pids=()
for ((i = 0; i < ntasks; i++)); do
  SLURM_PROCID=$i SLURM_LOCALID=$i SLURM_NTASKS=$ntasks "$@" &
  pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
exit $status
'''


@pytest.fixture(scope='module')
def slurm_run(demo_data, tmp_path_factory):
    """tools/slurm_train.sh through the stand-in srun: 2 tasks, the
    deterministic options of dist_train, 2 epochs (the interrupted run of
    test_two_rank_resume_is_exact): its work dir and output."""
    folder = tmp_path_factory.mktemp('slurm')
    bin_dir = folder / 'bin'
    bin_dir.mkdir()
    srun = bin_dir / 'srun'
    srun.write_text(FAKE_SRUN)
    srun.chmod(srun.stat().st_mode | stat.S_IEXEC)
    work_dir = folder / 'work'
    output = finish(launch(
        [tool('slurm_train.sh'), 'cpu', 'stgcn', dump_config(folder),
         str(work_dir), *exact_args(demo_data, 2)],
        folder, PATH=f'{bin_dir}{os.pathsep}{os.environ["PATH"]}',
        GPUS='2', GPUS_PER_NODE='2', MASTER_ADDR='127.0.0.1',
        MASTER_PORT=str(free_port()), PYTHONPATH=str(folder)))
    return work_dir, output


def test_slurm_train_with_a_stand_in_srun(slurm_run):
    work_dir, output = slurm_run
    assert 'Distributed launcher: slurm' in output
    assert 'Epoch(train) [1][4/4]' in output
    assert osp.isfile(work_dir / 'epoch_1.pth')
