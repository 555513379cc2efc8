#!/usr/bin/env python3
"""Generate tests/golden/torch_data.json: torch's float64 numbers for Descent's data surfaces.

- each case's points (printed by `descent data SPEC --format json`), so the tests also pin
  the generators bit for bit;
- torch.nn losses (MSELoss, L1Loss, HuberLoss, SoftMarginLoss, and the hinges written with
  clamp) of the model at a few θ: the mean loss and its gradient by autograd;
- torch.optim.SGD on each surface (full batch);
- the index slices of DataLoader(range(n), batch_size=B, shuffle=False) over two epochs.

Run once with PyTorch installed; the tests read the committed JSON and never need torch.

    cargo build --no-default-features
    python3 tools/torch_data_golden.py target/debug/descent > tests/golden/torch_data.json
"""
import json
import subprocess
import sys

import torch

torch.set_default_dtype(torch.float64)
DESCENT = sys.argv[1] if len(sys.argv) > 1 else "target/debug/descent"


def points(spec):
    out = subprocess.run([DESCENT, "data", spec, "--format", "json"], check=True, capture_output=True)
    return json.loads(out.stdout)


def regression(loss):
    def f(theta, pts):
        x = torch.tensor([p["x"] for p in pts])
        y = torch.tensor([p["y"] for p in pts])
        return loss(theta[0] * x + theta[1], y)
    return f


def classification(loss, bias=0.0):
    def f(theta, pts):
        x1 = torch.tensor([p["x1"] for p in pts])
        x2 = torch.tensor([p["x2"] for p in pts])
        y = torch.tensor([p["label"] for p in pts])
        return loss(theta[0] * x1 + theta[1] * x2 + bias, y)
    return f


hinge = lambda s, y: torch.clamp(1 - y * s, min=0).mean()
squared_hinge = lambda s, y: (torch.clamp(1 - y * s, min=0) ** 2).mean()

# (Descent surface, data, torch loss of (θ, points), lr, start, steps)
CASES = [
    ("linear-regression:loss=mse", "line:n=20", regression(torch.nn.MSELoss()), 0.1, (-1.0, 2.0), 40),
    ("linear-regression:loss=mae", "outliers:n=20", regression(torch.nn.L1Loss()), 0.1, (-1.0, 2.0), 40),
    ("linear-regression:loss=huber,delta=0.5", "outliers:n=20", regression(torch.nn.HuberLoss(delta=0.5)), 0.2, (-1.0, 2.0), 40),
    ("linear-classifier:loss=logistic", "blobs:n=20,separation=1.5", classification(torch.nn.SoftMarginLoss()), 0.5, (-1.0, 1.0), 40),
    ("linear-classifier:loss=hinge,bias=0.3", "blobs:n=20,separation=1.5", classification(hinge, 0.3), 0.2, (-1.0, 1.0), 40),
    ("linear-classifier:loss=squared-hinge", "blobs:n=20,separation=1.5", classification(squared_hinge), 0.2, (-1.0, 1.0), 40),
]
THETAS = [(0.3, -0.7), (1.7, 0.4), (-2.1, 1.3)]

cases = []
for surface, data, loss, lr, start, steps in CASES:
    pts = points(data)["points"]
    evals = []
    for t in THETAS:
        theta = torch.tensor(t, requires_grad=True)
        value = loss(theta, pts)
        value.backward()
        evals.append({"theta": list(t), "value": value.item(), "gradient": theta.grad.tolist()})
    theta = torch.tensor(start, requires_grad=True)
    opt = torch.optim.SGD([theta], lr=lr)
    path = [theta.tolist()]
    for _ in range(steps):
        opt.zero_grad()
        loss(theta, pts).backward()
        opt.step()
        path.append(theta.tolist())
    cases.append({"surface": surface, "data": data, "points": pts, "evals": evals,
                  "optimizer": f"gd:lr={lr}", "start": list(start), "path": path})

loaders = []
for n, b in [(10, 4), (7, 7), (5, 2), (9, 3)]:
    loader = torch.utils.data.DataLoader(range(n), batch_size=b, shuffle=False, drop_last=False)
    batches = [batch.tolist() for _ in range(2) for batch in loader]
    loaders.append({"n": n, "batch": b, "batches": batches})

json.dump({"torch": torch.__version__, "cases": cases, "loaders": loaders}, sys.stdout, indent=1)
print()
