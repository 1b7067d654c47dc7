"""Weight initialization: symmetry, Xavier/Glorot, He/Kaiming, variance propagation."""

# --8<-- [start:symmetry]
import math

import torch
from torch import nn


def train_mlp(init_fn, steps=20, seed=0):
    """Train a 4-16-3 tanh MLP with SGD; init_fn(linear) initializes each layer in place."""
    torch.manual_seed(seed)
    x, y = torch.randn(64, 4), torch.randint(0, 3, (64,))
    model = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 3))
    for m in model:
        if isinstance(m, nn.Linear):
            init_fn(m)
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    for _ in range(steps):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    return model


def distinct_hidden_units(model, tol=1e-6):
    """Number of different rows in the first layer's weight (one row per hidden unit)."""
    w = model[0].weight.detach()
    distinct = [w[0]]
    for row in w[1:]:
        if all((row - d).abs().max() > tol for d in distinct):
            distinct.append(row)
    return len(distinct)


# --8<-- [end:symmetry]


# --8<-- [start:formulas]


def lecun_std(n_in):
    return math.sqrt(1.0 / n_in)


def xavier_std(n_in, n_out):
    return math.sqrt(2.0 / (n_in + n_out))


def xavier_uniform_bound(n_in, n_out):
    # U(-a, a) has variance a^2 / 3; set a^2 / 3 = 2 / (n_in + n_out)
    return math.sqrt(6.0 / (n_in + n_out))


def he_std(n_in):
    return math.sqrt(2.0 / n_in)


# --8<-- [end:formulas]


# --8<-- [start:propagation]
def activation_stds(init, act, depth=30, width=512, n=256, seed=0, gain=1.0):
    """Std of the activations after each layer of a deep MLP at initialization."""
    gen = torch.Generator().manual_seed(seed)
    std_w = gain * {"small": 0.01, "xavier": xavier_std(width, width), "he": he_std(width)}[init]
    f = {"tanh": torch.tanh, "relu": torch.relu}[act]
    h = torch.randn(n, width, generator=gen)
    stds = []
    for _ in range(depth):
        w = torch.randn(width, width, generator=gen) * std_w  # biases are 0
        h = f(h @ w)
        stds.append(h.std().item())
    return stds


# --8<-- [end:propagation]
