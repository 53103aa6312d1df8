"""Benchmark the package; results go to a JSON file and a table.

Examples:
    python tools/benchmark.py model --preset ntu \
        --variants ours,plain,mmaction2 --out benchmarks/model_ntu.json
    python tools/benchmark.py model --preset demo --threads 1 --clock cpu
    python tools/benchmark.py augment --out benchmarks/augment.json
    python tools/benchmark.py data
    python tools/benchmark.py data --copies 200 --feeder-samples 512 \
        --out benchmarks/data_benchmark_results.json
    python tools/benchmark.py data --quick --out /tmp/data.json
    python tools/benchmark.py goals  # every CPU speed goal, one table
"""

import os.path as osp
import sys

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, REPO_ROOT)


def main() -> None:
    """Parse the command line (``benchmarks/cli_args.py``) and run its
    subcommand (``benchmarks/cli_commands.py``)."""
    from benchmarks.cli_args import parse_args
    from benchmarks.cli_commands import COMMANDS
    args = parse_args(__doc__.splitlines()[0])
    COMMANDS[args.command](args)


if __name__ == '__main__':
    main()
