#!/usr/bin/env python3
"""Generate tests/golden/torch.json: paths of torch.optim optimizers and lr schedulers in float64.

Run once with PyTorch installed (`pip install torch`); the tests read the committed JSON and
never need torch. Each case names the Descent spec that must reproduce it.

    python3 tools/torch_golden.py > tests/golden/torch.json
"""
import json
import math

import torch

torch.set_default_dtype(torch.float64)


def rosenbrock(p):
    x, y = p[0], p[1]
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def canyon(p, kappa=10.0, angle=30.0):
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    u = p[0] * c + p[1] * s
    v = p[1] * c - p[0] * s
    return 0.5 * (u * u + kappa * v * v)


SURFACES = {
    "rosenbrock": rosenbrock,
    "quadratic:kappa=10,angle=30": canyon,
}

# (Descent optimizer spec, torch class, kwargs, surface, start, steps, scheduler or None)
CASES = [
    ("gd:lr=0.001", torch.optim.SGD, dict(lr=1e-3), "rosenbrock", (-1.5, 2.0), 50, None),
    ("momentum:lr=0.001", torch.optim.SGD, dict(lr=1e-3, momentum=0.9), "rosenbrock", (-1.5, 2.0), 50, None),
    ("nesterov:lr=0.001", torch.optim.SGD, dict(lr=1e-3, momentum=0.9, nesterov=True), "rosenbrock", (-1.5, 2.0), 50, None),
    ("gd:lr=0.05,momentum=0.8,dampening=0.3,weight_decay=0.1", torch.optim.SGD,
     dict(lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.1), "quadratic:kappa=10,angle=30", (-2.5, 2.0), 50, None),
    ("adagrad:lr=0.1", torch.optim.Adagrad, dict(lr=0.1), "rosenbrock", (-1.5, 2.0), 50, None),
    ("adagrad:lr=0.1,lr_decay=0.01,weight_decay=0.05,initial_accumulator_value=0.1", torch.optim.Adagrad,
     dict(lr=0.1, lr_decay=0.01, weight_decay=0.05, initial_accumulator_value=0.1), "rosenbrock", (-1.5, 2.0), 50, None),
    ("rmsprop", torch.optim.RMSprop, dict(), "rosenbrock", (-1.5, 2.0), 50, None),
    ("rmsprop:lr=0.001,alpha=0.9,centered=true,momentum=0.5,weight_decay=0.01", torch.optim.RMSprop,
     dict(lr=0.001, alpha=0.9, centered=True, momentum=0.5, weight_decay=0.01), "rosenbrock", (-1.5, 2.0), 50, None),
    ("adadelta", torch.optim.Adadelta, dict(), "rosenbrock", (-1.5, 2.0), 50, None),
    ("adadelta:rho=0.95,weight_decay=0.01,lr=0.5", torch.optim.Adadelta,
     dict(rho=0.95, weight_decay=0.01, lr=0.5), "quadratic:kappa=10,angle=30", (-2.5, 2.0), 50, None),
    ("adam:lr=0.01", torch.optim.Adam, dict(lr=0.01), "rosenbrock", (-1.5, 2.0), 200, None),
    ("adam:lr=0.01,beta1=0.8,beta2=0.99,amsgrad=true,weight_decay=0.01", torch.optim.Adam,
     dict(lr=0.01, betas=(0.8, 0.99), amsgrad=True, weight_decay=0.01), "rosenbrock", (-1.5, 2.0), 200, None),
    ("adamw:lr=0.01,weight_decay=0.1", torch.optim.AdamW, dict(lr=0.01, weight_decay=0.1), "rosenbrock", (-1.5, 2.0), 200, None),
    ("nadam:lr=0.01", torch.optim.NAdam, dict(lr=0.01), "rosenbrock", (-1.5, 2.0), 200, None),
    ("nadam:lr=0.01,weight_decay=0.01,momentum_decay=0.01", torch.optim.NAdam,
     dict(lr=0.01, weight_decay=0.01, momentum_decay=0.01), "rosenbrock", (-1.5, 2.0), 100, None),
    ("adam:lr=0.05", torch.optim.Adam, dict(lr=0.05), "rosenbrock", (-1.5, 2.0), 60,
     ("step:step_size=10,gamma=0.5", lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=10, gamma=0.5))),
    ("momentum:lr=0.02", torch.optim.SGD, dict(lr=0.02, momentum=0.9), "quadratic:kappa=10,angle=30", (-2.5, 2.0), 60,
     ("cosine:t_max=60,eta_min=0.001",
      lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=60, eta_min=0.001))),
]

# (Descent schedule spec, torch scheduler factory); lr(t) for t = 0 .. 40 with base lr 0.1.
SCHEDULES = [
    ("constant", lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda t: 1.0)),
    ("step:step_size=3,gamma=0.5", lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)),
    ("exp:gamma=0.9", lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9)),
    ("cosine:t_max=40,eta_min=0.001", lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=40, eta_min=0.001)),
    ("linear:t_max=25", lambda o: torch.optim.lr_scheduler.PolynomialLR(o, total_iters=25, power=1.0)),
    ("invsqrt", lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda t: 1.0 / math.sqrt(t + 1))),
    ("restarts:t_0=3,t_mult=2,eta_min=0.01",
     lambda o: torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.01)),
    ("restarts:t_0=7", lambda o: torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=7)),
    ("warmup:steps=8", lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=1 / 8, total_iters=7)),
]


def path(spec, cls, kwargs, surface, start, steps, scheduler):
    p = torch.tensor(start, requires_grad=True)
    opt = cls([p], **kwargs)
    sched = scheduler[1](opt) if scheduler else None
    points = [list(map(float, p.detach()))]
    for _ in range(steps):
        opt.zero_grad()
        SURFACES[surface](p).backward()
        opt.step()
        if sched:
            sched.step()
        points.append(list(map(float, p.detach())))
    return points


def schedule_lrs(factory, n=41):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1)
    sched = factory(opt)
    lrs = []
    for _ in range(n):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return lrs


def main():
    out = {
        "torch": torch.__version__,
        "paths": [
            {
                "optimizer": spec,
                "surface": surface,
                "start": list(start),
                "schedule": scheduler[0] if scheduler else "constant",
                "points": path(spec, cls, kwargs, surface, start, steps, scheduler),
            }
            for spec, cls, kwargs, surface, start, steps, scheduler in CASES
        ],
        "schedules": [{"schedule": spec, "base_lr": 0.1, "lr": schedule_lrs(f)} for spec, f in SCHEDULES],
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
