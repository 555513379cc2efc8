#!/usr/bin/env python3
"""Time torch's float64 MLP steps on one thread, for comparison with Descent's networks.

- full-batch Adam steps (zero_grad, forward, nn.CrossEntropyLoss, backward, step) on a
  2-16-16-3 and a 2-64-64-3 tanh net over 150 points;
- Hessian-vector products by double backward (gradient with create_graph=True, then the
  gradient of ∇f·v) on a 2-32-32-3 tanh net (1,251 parameters) over 200 points, beside the
  plain gradient (forward + backward) of the same net for scale.

Each figure is the median over REPEATS runs of STEPS steps after a warm-up; the other runs
are printed too. torch.set_num_threads(1), float64 default dtype, CPU.

    python3 tools/torch_net_bench.py [steps] [repeats]
"""
import math
import statistics
import sys
import time

import torch
from torch import nn

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
REPEATS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
WARMUP = 200


def spiral(n, k=3, seed=0):
    g = torch.Generator()
    g.manual_seed(seed)
    j = torch.arange(n) // k
    y = torch.arange(n) % k
    r = 0.2 + 1.8 * j / (n // k)
    t = 2 * math.pi * (0.8 * j / (n // k) + y / k)
    x = torch.stack([r * torch.cos(t), r * torch.sin(t)], dim=1) + 0.15 * torch.randn(n, 2, generator=g)
    return x, y


def mlp(widths, seed=0):
    torch.manual_seed(seed)
    layers = []
    for a, b in zip(widths[:-2], widths[1:-1]):
        layers += [nn.Linear(a, b), nn.Tanh()]
    layers.append(nn.Linear(widths[-2], widths[-1]))
    return nn.Sequential(*layers)


def timed(step, steps):
    """Median, all runs: µs per call of `step` over runs of `steps` calls."""
    for _ in range(WARMUP):
        step()
    runs = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        runs.append((time.perf_counter() - t0) / steps * 1e6)
    return statistics.median(runs), runs


def report(label, params, median, runs):
    others = ", ".join(f"{r:.1f}" for r in runs)
    print(f"{label:44s} {params:5d} params  {median:9.1f} µs/step  {1e6 / median:9.0f} steps/s   (runs: {others})")


def adam_bench(widths, n):
    x, y = spiral(n)
    model = mlp(widths)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss(model(x), y).backward()
        opt.step()

    median, runs = timed(step, STEPS)
    params = sum(p.numel() for p in model.parameters())
    report(f"adam {'-'.join(map(str, widths))} tanh, n={n}", params, median, runs)


def hvp_bench(widths, n):
    x, y = spiral(n)
    model = mlp(widths)
    params = list(model.parameters())
    count = sum(p.numel() for p in params)
    g = torch.Generator()
    g.manual_seed(1)
    v = [torch.randn(p.shape, generator=g) for p in params]
    loss = nn.CrossEntropyLoss()

    def gradient():
        return torch.autograd.grad(loss(model(x), y), params)

    def hvp():
        grads = torch.autograd.grad(loss(model(x), y), params, create_graph=True)
        dot = sum((a * b).sum() for a, b in zip(grads, v))
        return torch.autograd.grad(dot, params)

    name = "-".join(map(str, widths))
    median, runs = timed(gradient, STEPS)
    report(f"gradient {name} tanh, n={n}", count, median, runs)
    median, runs = timed(hvp, STEPS)
    report(f"hvp (double backward) {name} tanh, n={n}", count, median, runs)


def main():
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread, float64, "
          f"median of {REPEATS} runs × {STEPS} steps after {WARMUP} warm-up")
    adam_bench([2, 16, 16, 3], 150)
    adam_bench([2, 64, 64, 3], 150)
    hvp_bench([2, 32, 32, 3], 200)


if __name__ == "__main__":
    main()
