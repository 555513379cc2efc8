#!/usr/bin/env python3
"""Generate tests/golden/torch_net.json: small MLPs trained by torch.optim in float64.

Each case is self-contained: its data points (made here from fixed torch seeds: blobs, an
xor of four clusters, a three-armed spiral, noisy regressions), the network's initial
parameters (nn.Linear's default init under torch.manual_seed(seed)), the Descent optimizer
spec, the batching, and what torch computed: the full-batch training loss (and argmax
accuracy for class data) at the parameters of step 0 … N, and the parameters after N steps.
The Rust side only needs the JSON, never torch or these generators.

    python3 tools/torch_net_golden.py > tests/golden/torch_net.json

The network is nn.Sequential(Linear(d, h1), act, Linear(h1, h2), act, …, Linear(h_last, out))
with out = K for class data and 1 for regression; `identity` means no activation module and
`hidden=0` means a single Linear(d, out) (softmax regression with cross-entropy).
Losses: nn.CrossEntropyLoss() on the logits, nn.MSELoss() (mean over all n·out elements)
against one-hot float targets for class data or the n × 1 targets for regression.
Parameters are listed per tensor in model.parameters() order: each layer's weight (out × in,
row-major, flattened), then its bias.

One step: zero_grad, the loss of the step's batch, backward, optimizer.step(). `batch: null`
is the full batch; `batch: B` are DataLoader(shuffle=False, drop_last=False) batches over
the row order, cycling through epochs (step t uses batch t mod ⌈n/B⌉; the last one may be
partial). The recorded losses are always full-batch ones.

Optimizers run with foreach=False (torch's single-tensor code, which Descent mirrors).
`lbfgs:lr=…,history_size=m` is torch.optim.LBFGS(lr, history_size=m, max_iter=1, max_eval=26,
line_search_fn="strong_wolfe", tolerance_grad=0, tolerance_change=0) stepped with a closure:
one outer iteration per step (max_eval must be raised: with max_iter=1 its default of 1 leaves
the line search max_ls = max_eval − 1 = 0 trials, and torch then just keeps the lower of
f(x) and f(x + α₀d) without any Wolfe test), α₀ = lr·min(1, 1/‖∇f‖₁) on the first step and lr after, as
Descent's 2-D lbfgs. Descent's strong-Wolfe search is its own (Nocedal & Wright 3.5/3.6),
not torch's _strong_wolfe, so the two agree only while the first trial step is accepted;
the lbfgs cases here are chosen (and asserted) so that every step's line search takes its
first trial (exactly 2 function evaluations per torch step), with both Wolfe tests passed by
a relative margin above 1e-9 so that rounding cannot flip them.

Non-finite numbers (the `blowup` case diverges on purpose) are written as null.

`hessians`: for three small nets at their init, the full-batch loss's value, gradient, exact
Hessian (torch.autograd.functional.hessian over the flat parameter vector) extreme
eigenvalues (torch.linalg.eigvalsh) and the Hessian-vector product with a fixed vector
v_i = sin(i + 1) (i = 0 … P−1, flat parameter order).
"""
import json
import math

import torch
from torch import nn

torch.set_default_dtype(torch.float64)


# ---------------------------------------------------------------------------- data sets

def gen(seed):
    g = torch.Generator()
    g.manual_seed(seed)
    return g


def blobs(n, k, seed, spread=0.6, radius=1.5):
    """k Gaussian blobs on a circle of the given radius, rows interleaved by class."""
    g = gen(seed)
    labels = [i % k for i in range(n)]
    rows = []
    for y in labels:
        a = 2 * math.pi * y / k + 0.3
        c = torch.tensor([radius * math.cos(a), radius * math.sin(a)])
        rows.append((c + spread * torch.randn(2, generator=g)).tolist())
    return rows, labels


def xor(n, seed, spread=0.35):
    """Four clusters at (±1, ±1); the label is 1 where the signs differ."""
    g = gen(seed)
    rows, labels = [], []
    corners = [(1, 1, 0), (-1, -1, 0), (1, -1, 1), (-1, 1, 1)]
    for i in range(n):
        cx, cy, y = corners[i % 4]
        rows.append((torch.tensor([cx, cy], dtype=torch.float64) + spread * torch.randn(2, generator=g)).tolist())
        labels.append(y)
    return rows, labels


def spiral(n, k, seed, noise=0.15, turns=0.8):
    """k interleaved spiral arms, rows interleaved by class."""
    g = gen(seed)
    rows, labels = [], []
    per = n // k
    for i in range(n):
        y = i % k
        j = i // k
        r = 0.2 + 1.8 * j / max(per - 1, 1)
        t = 2 * math.pi * (turns * j / max(per - 1, 1) + y / k)
        p = torch.tensor([r * math.cos(t), r * math.sin(t)]) + noise * torch.randn(2, generator=g)
        rows.append(p.tolist())
        labels.append(y)
    return rows, labels


def regression1(n, seed):
    """y = sin(2x) + 0.1·noise on x uniform in [−2, 2]."""
    g = gen(seed)
    x = 4 * torch.rand(n, generator=g) - 2
    y = torch.sin(2 * x) + 0.1 * torch.randn(n, generator=g)
    return [[v] for v in x.tolist()], y.tolist()


def regression3(n, seed):
    """y = x₁ − 2·x₂·x₃ + 0.5 + 0.1·noise on x standard normal."""
    g = gen(seed)
    x = torch.randn(n, 3, generator=g)
    y = x[:, 0] - 2 * x[:, 1] * x[:, 2] + 0.5 + 0.1 * torch.randn(n, generator=g)
    return x.tolist(), y.tolist()


DATA = {
    "blobs2": lambda: blobs(40, 2, 11),
    "blobs3": lambda: blobs(30, 3, 12),
    "xor": lambda: xor(40, 13),
    "spiral3": lambda: spiral(60, 3, 14),
    "spiral2": lambda: spiral(20, 2, 17),
    "reg1": lambda: regression1(30, 15),
    "reg3": lambda: regression3(40, 16),
}


# ---------------------------------------------------------------------------- models

ACTIVATIONS = {"tanh": nn.Tanh, "relu": nn.ReLU, "sigmoid": nn.Sigmoid, "identity": None}


def parse_spec(spec):
    name, _, rest = spec.partition(":")
    args = {}
    for kv in filter(None, rest.split(",")):
        k, _, v = kv.partition("=")
        args[k] = v
    return name, args


def build_model(spec, d, out):
    name, args = parse_spec(spec)
    assert name == "mlp", spec
    hidden = [] if args.get("hidden", "0") == "0" else [int(h) for h in args["hidden"].split("x")]
    act = ACTIVATIONS[args.get("activation", "tanh")]
    layers, width = [], d
    for h in hidden:
        layers.append(nn.Linear(width, h))
        if act is not None:
            layers.append(act())
        width = h
    layers.append(nn.Linear(width, out))
    return nn.Sequential(*layers)


def loss_fn(loss, classes):
    if loss == "cross-entropy":
        ce = nn.CrossEntropyLoss()
        return lambda out, y: ce(out, y)
    mse = nn.MSELoss()
    if classes:
        return lambda out, y: mse(out, nn.functional.one_hot(y, classes).to(torch.float64))
    return lambda out, y: mse(out, y)


# ---------------------------------------------------------------------------- optimizers

# Descent's spec names and defaults (src/optim/sgd.rs, adaptive.rs, quasi_newton.rs).
DEFAULTS = {
    "gd": dict(lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False),
    "momentum": dict(lr=1e-3, momentum=0.9, dampening=0.0, weight_decay=0.0, nesterov=False),
    "nesterov": dict(lr=1e-3, momentum=0.9, dampening=0.0, weight_decay=0.0, nesterov=True),
    "adagrad": dict(lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10),
    "rmsprop": dict(lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False),
    "adadelta": dict(lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0),
    "adam": dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0, amsgrad=False),
    "adamw": dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2, amsgrad=False),
    "nadam": dict(lr=2e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0, momentum_decay=4e-3),
    "lbfgs": dict(lr=1.0, history_size=10),
}
CLASSES = {
    "gd": torch.optim.SGD, "momentum": torch.optim.SGD, "nesterov": torch.optim.SGD,
    "adagrad": torch.optim.Adagrad, "rmsprop": torch.optim.RMSprop, "adadelta": torch.optim.Adadelta,
    "adam": torch.optim.Adam, "adamw": torch.optim.AdamW, "nadam": torch.optim.NAdam,
}


def build_optimizer(spec, params):
    name, args = parse_spec(spec)
    kw = dict(DEFAULTS[name])
    for k, v in args.items():
        assert k in kw, (spec, k)
        kw[k] = (v == "true") if isinstance(kw[k], bool) else (int(v) if isinstance(kw[k], int) else float(v))
    if name == "lbfgs":
        return torch.optim.LBFGS(params, lr=kw["lr"], history_size=kw["history_size"], max_iter=1,
                                 max_eval=26, line_search_fn="strong_wolfe", tolerance_grad=0.0,
                                 tolerance_change=0.0)
    if "beta1" in kw:
        kw["betas"] = (kw.pop("beta1"), kw.pop("beta2"))
    return CLASSES[name](params, foreach=False, **kw)


# ---------------------------------------------------------------------------- cases

# (name, model, loss, data, optimizer, batch, steps, seed)
CASES = [
    ("gd-tanh-ce-full", "mlp:hidden=8,activation=tanh", "cross-entropy", "blobs2", "gd:lr=0.5", None, 40, 1),
    ("gd-dampening-wd-sigmoid-mse-onehot-full", "mlp:hidden=6,activation=sigmoid", "mse", "blobs3",
     "gd:lr=0.3,momentum=0.8,dampening=0.3,weight_decay=0.01", None, 40, 2),
    ("gd-relu-ce-batch1", "mlp:hidden=6,activation=relu", "cross-entropy", "spiral2", "gd:lr=0.1", 1, 50, 3),
    ("momentum-relu-ce3-full", "mlp:hidden=8x8,activation=relu", "cross-entropy", "spiral3",
     "momentum:lr=0.05,momentum=0.9", None, 40, 4),
    ("momentum-sigmoid-mse-reg3-batch", "mlp:hidden=8,activation=sigmoid", "mse", "reg3",
     "momentum:lr=0.02,momentum=0.9", 12, 48, 5),
    ("nesterov-tanh-ce3-batch", "mlp:hidden=8,activation=tanh", "cross-entropy", "blobs3",
     "nesterov:lr=0.05,momentum=0.9", 8, 40, 6),
    ("adagrad-sigmoid-ce-full", "mlp:hidden=6,activation=sigmoid", "cross-entropy", "xor", "adagrad:lr=0.1", None, 40, 7),
    ("adagrad-decay-relu-mse-reg1-batch", "mlp:hidden=8,activation=relu", "mse", "reg1",
     "adagrad:lr=0.1,lr_decay=0.01,weight_decay=0.01,initial_accumulator_value=0.1", 8, 40, 8),
    ("rmsprop-tanh-mse-reg1-full", "mlp:hidden=8,activation=tanh", "mse", "reg1", "rmsprop:lr=0.01", None, 50, 9),
    ("rmsprop-centered-momentum-relu-ce3-batch", "mlp:hidden=8x8,activation=relu", "cross-entropy", "spiral3",
     "rmsprop:lr=0.005,alpha=0.9,centered=true,momentum=0.5", 16, 40, 10),
    ("adadelta-tanh-ce-full", "mlp:hidden=8,activation=tanh", "cross-entropy", "blobs2", "adadelta", None, 40, 11),
    ("adadelta-rho-wd-sigmoid-ce-batch", "mlp:hidden=6,activation=sigmoid", "cross-entropy", "xor",
     "adadelta:lr=0.5,rho=0.95,weight_decay=0.01", 12, 40, 12),
    ("adam-tanh-ce3-full", "mlp:hidden=8x8,activation=tanh", "cross-entropy", "spiral3", "adam:lr=0.01", None, 60, 13),
    ("adam-amsgrad-relu-mse-onehot-full", "mlp:hidden=8,activation=relu", "mse", "blobs3",
     "adam:lr=0.01,amsgrad=true", None, 40, 14),
    ("adam-wd-sigmoid-ce-batch", "mlp:hidden=6,activation=sigmoid", "cross-entropy", "xor",
     "adam:lr=0.02,beta1=0.8,beta2=0.99,weight_decay=0.01", 12, 50, 15),
    ("adam-identity-mse-reg3-full", "mlp:hidden=4,activation=identity", "mse", "reg3", "adam:lr=0.05", None, 40, 16),
    ("adamw-relu-mse-reg3-full", "mlp:hidden=8x8,activation=relu", "mse", "reg3",
     "adamw:lr=0.01,weight_decay=0.1", None, 50, 17),
    ("adamw-amsgrad-tanh-ce3-batch", "mlp:hidden=8,activation=tanh", "cross-entropy", "blobs3",
     "adamw:lr=0.02,amsgrad=true", 8, 40, 18),
    ("nadam-tanh-ce3-batch", "mlp:hidden=8x8,activation=tanh", "cross-entropy", "spiral3", "nadam:lr=0.01", 8, 60, 19),
    ("nadam-wd-identity-ce-full", "mlp:hidden=4,activation=identity", "cross-entropy", "blobs2",
     "nadam:lr=0.02,weight_decay=0.01,momentum_decay=0.01", None, 40, 20),
    ("softmax-regression-gd-ce3-full", "mlp:hidden=0,activation=identity", "cross-entropy", "blobs3",
     "gd:lr=0.5", None, 30, 21),
    ("lbfgs-history3-tanh-ce-full", "mlp:hidden=4,activation=tanh", "cross-entropy", "blobs2",
     "lbfgs:history_size=3", None, 20, 22),
    ("lbfgs-tanh-mse-reg3-full", "mlp:hidden=6,activation=tanh", "mse", "reg3", "lbfgs:lr=0.5", None, 20, 22),
    ("blowup-gd-identity-mse-reg3-full", "mlp:hidden=8,activation=identity", "mse", "reg3", "gd:lr=3", None, 30, 23),
]


def finite(x):
    return x if math.isfinite(x) else None


def flat_lists(model):
    return [[finite(v) for v in p.detach().reshape(-1).tolist()] for p in model.parameters()]


def problem(data):
    rows, ys = DATA[data]()
    x = torch.tensor(rows)
    if isinstance(ys[0], int):
        k = max(ys) + 1
        return rows, ys, k, x, torch.tensor(ys)
    return rows, ys, None, x, torch.tensor(ys).reshape(-1, 1)


def flat_grad(model):
    return torch.cat([p.grad.reshape(-1) for p in model.parameters()])


def full_metrics(model, lf, x, y, classes):
    with torch.no_grad():
        out = model(x)
        loss = finite(lf(out, y).item())
        acc = None
        if classes:
            acc = (out.argmax(dim=1) == y).to(torch.float64).mean().item()
    return loss, acc


def run_case(name, model_spec, loss, data, opt_spec, batch, steps, seed):
    rows, ys, classes, x, y = problem(data)
    torch.manual_seed(seed)
    model = build_model(model_spec, x.shape[1], classes or 1)
    init = flat_lists(model)
    lf = loss_fn(loss, classes)
    opt = build_optimizer(opt_spec, model.parameters())
    n = x.shape[0]
    nb = 1 if batch is None else -(-n // batch)
    losses, accs = [], []

    def record():
        l, a = full_metrics(model, lf, x, y, classes)
        losses.append(l)
        accs.append(a)

    record()
    lbfgs = isinstance(opt, torch.optim.LBFGS)
    for t in range(steps):
        if batch is None:
            xb, yb = x, y
        else:
            k = t % nb
            xb, yb = x[k * batch:(k + 1) * batch], y[k * batch:(k + 1) * batch]

        def closure():
            opt.zero_grad()
            l = lf(model(xb), yb)
            l.backward()
            return l

        if lbfgs:
            state = opt.state[opt._params[0]]
            before = state.get("func_evals", 0)
            f0 = closure().item()
            g0 = flat_grad(model)
            opt.step(closure)
            evals = state["func_evals"] - before
            assert evals == 2, f"{name}: step {t} took {evals} evaluations (line search went past its first trial)"
            # The first trial's Wolfe tests must not be near ties, or rounding could flip them.
            f1 = closure().item()
            g1 = flat_grad(model)
            d, alpha = state["d"], state["t"]
            slope0, slope1 = g0.dot(d).item(), g1.dot(d).item()
            armijo = (f0 + 1e-4 * alpha * slope0 - f1) / abs(f0)
            curvature = (-0.9 * slope0 - abs(slope1)) / abs(slope0)
            assert min(armijo, curvature) > 1e-9, f"{name}: step {t}: Wolfe slack {armijo}, {curvature}"
        else:
            closure()
            opt.step()
        record()

    case = {"name": name, "model": model_spec, "loss": loss, "features": rows}
    if classes:
        case["labels"] = ys
        case["classes"] = classes
    else:
        case["targets"] = ys
    case.update({"init": init, "optimizer": opt_spec, "batch": batch, "steps": steps, "losses": losses})
    if classes:
        case["accuracy"] = accs
    case["final"] = flat_lists(model)
    return case


# ---------------------------------------------------------------------------- Hessians

# (name, model, loss, data, seed)
HESSIANS = [
    ("hessian-tanh-ce", "mlp:hidden=4,activation=tanh", "cross-entropy", "blobs3", 31),
    ("hessian-sigmoid-mse-reg1", "mlp:hidden=6,activation=sigmoid", "mse", "reg1", 32),
    ("hessian-relu-mse-onehot", "mlp:hidden=4x3,activation=relu", "mse", "xor", 33),
]


def hessian_case(name, model_spec, loss, data, seed):
    rows, ys, classes, x, y = problem(data)
    torch.manual_seed(seed)
    model = build_model(model_spec, x.shape[1], classes or 1)
    init = flat_lists(model)
    lf = loss_fn(loss, classes)
    names = [k for k, _ in model.named_parameters()]
    shapes = [p.shape for p in model.parameters()]
    sizes = [p.numel() for p in model.parameters()]
    theta = torch.cat([p.detach().reshape(-1) for p in model.parameters()])

    def f(flat):
        params = {k: t.reshape(s) for k, t, s in zip(names, flat.split(sizes), shapes)}
        return lf(torch.func.functional_call(model, params, (x,)), y)

    h = torch.autograd.functional.hessian(f, theta)
    eig = torch.linalg.eigvalsh(h)
    v = torch.tensor([math.sin(i + 1) for i in range(theta.numel())])
    # The product by double backward (as Descent computes it), checked against the dense H·v.
    th = theta.clone().requires_grad_(True)
    value = f(th)
    (g,) = torch.autograd.grad(value, th, create_graph=True)
    (hv,) = torch.autograd.grad(g @ v, th)
    assert torch.allclose(hv, h @ v, rtol=1e-12, atol=1e-14)
    case = {"name": name, "model": model_spec, "loss": loss, "features": rows}
    if classes:
        case["labels"] = ys
        case["classes"] = classes
    else:
        case["targets"] = ys
    case.update({
        "init": init,
        "value": value.item(),
        "gradient": g.detach().tolist(),
        "vector": v.tolist(),
        "hvp": hv.tolist(),
        "lambda_max": eig[-1].item(),
        "lambda_min": eig[0].item(),
    })
    return case


def main():
    out = {
        "torch": torch.__version__,
        "cases": [run_case(*c) for c in CASES],
        "hessians": [hessian_case(*c) for c in HESSIANS],
    }
    print(json.dumps(out, indent=1, allow_nan=False))


if __name__ == "__main__":
    main()
