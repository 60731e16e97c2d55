"""PyTorch CPU reference for bench/training.mjs: the same MLP 784-300-100-10 (ReLU, softmax cross-entropy),
batch 128, Adam lr 1e-3, on random data of the same shape; prints one JSON line with the median epoch time.

Usage: python bench/reference_torch.py [--n 10000] [--epochs 3] [--threads N]
(`--threads`: torch.set_num_threads; default: PyTorch's own choice, one per core.)
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import torch
from torch import nn


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    x = torch.randn(args.n, 784)
    y = torch.randint(0, 10, (args.n,))
    model = nn.Sequential(nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 100), nn.ReLU(), nn.Linear(100, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    times = []
    for _ in range(args.epochs + 1):  # the first epoch is a warm-up
        perm = torch.randperm(args.n)
        t0 = time.perf_counter()
        for s in range(0, args.n, args.batch):
            idx = perm[s : s + args.batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - t0)
    print(
        json.dumps(
            {
                "epochSeconds": statistics.median(times[1:]),
                "epochs": times[1:],
                "torch": torch.__version__,
                "threads": torch.get_num_threads(),
            }
        )
    )


if __name__ == "__main__":
    main()
