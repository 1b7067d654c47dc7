"""LoRA, DoRA, adapters, prompt/prefix tuning parameter counts, NF4 and double quantisation, and a toy
measurement of intrinsic dimension, for docs/llm/peft.md. (Named lora_peft so it does not shadow `peft`.)"""

# --8<-- [start:lora_layer]
import math

import torch
import torch.nn as nn


class LoRALinear(nn.Module):
    """h = W0 x + (alpha / r) * B A x, with W0 frozen, A: (r, in), B: (out, r), B initialised to 0."""

    def __init__(self, base: nn.Linear, r: int, alpha: float, use_rslora: bool = False):
        super().__init__()
        self.base = base.requires_grad_(False)
        self.A = nn.Parameter(torch.empty(r, base.in_features))
        nn.init.kaiming_uniform_(self.A, a=math.sqrt(5))  # peft's default; the paper uses a Gaussian
        self.B = nn.Parameter(torch.zeros(base.out_features, r))
        self.scale = alpha / math.sqrt(r) if use_rslora else alpha / r

    def forward(self, x):
        return self.base(x) + self.scale * (x @ self.A.T) @ self.B.T

    def merged_weight(self):
        return self.base.weight + self.scale * self.B @ self.A


# --8<-- [end:lora_layer]


# --8<-- [start:counts]
def llama_linear_shapes(hidden, intermediate, n_heads, n_kv_heads):
    """(out, in) of the seven linear layers of one Llama decoder layer."""
    d_head = hidden // n_heads
    kv = n_kv_heads * d_head
    return {
        "q_proj": (hidden, hidden),
        "k_proj": (kv, hidden),
        "v_proj": (kv, hidden),
        "o_proj": (hidden, hidden),
        "gate_proj": (intermediate, hidden),
        "up_proj": (intermediate, hidden),
        "down_proj": (hidden, intermediate),
    }


def lora_params(shapes, targets, r, n_layers):
    """Each adapted (out, in) matrix gets A (r x in) and B (out x r): r * (in + out) parameters."""
    return n_layers * sum(r * (shapes[t][0] + shapes[t][1]) for t in targets)


def adapter_params(d, m, n_layers, per_layer=2):
    """Houlsby adapter: down (m x d + m) and up (d x m + d), two per layer."""
    return n_layers * per_layer * (2 * m * d + d + m)


def prompt_tuning_params(n_virtual, d):
    """One trainable embedding per virtual token, at the input only."""
    return n_virtual * d


def prefix_tuning_params(n_virtual, d_kv, n_layers, projection_hidden=None, d_embed=None):
    """A key and a value prefix for every layer. With reparametrisation, an MLP maps a small
    embedding (d_embed) through projection_hidden to all 2 * n_layers * d_kv prefix values."""
    out = 2 * n_layers * d_kv
    if projection_hidden is None:
        return n_virtual * out
    d_embed = d_embed or d_kv
    return n_virtual * d_embed + (d_embed * projection_hidden + projection_hidden) + (projection_hidden * out + out)


# --8<-- [end:counts]


# --8<-- [start:nf4]
import numpy as np
import torch
from scipy.stats import norm

# bitsandbytes/functional.py (get_4bit_type, "nf4"), commit 95f9af3 of bitsandbytes-foundation/bitsandbytes;
# the same 16 values are listed in Appendix E of the QLoRA paper.
BNB_NF4 = np.array(
    [
        -1.0,
        -0.6961928009986877,
        -0.5250730514526367,
        -0.39491748809814453,
        -0.28444138169288635,
        -0.18477343022823334,
        -0.09105003625154495,
        0.0,
        0.07958029955625534,
        0.16093020141124725,
        0.24611230194568634,
        0.33791524171829224,
        0.44070982933044434,
        0.5626170039176941,
        0.7229568362236023,
        1.0,
    ]
)


def nf4_levels(offset=0.9677083):
    """Quantiles of N(0, 1): 8 positive levels and 7 negative levels at equally spaced probabilities
    between `offset` and 0.5, plus an exact zero; normalised to [-1, 1]. Asymmetric halves so that
    0 is a level (bitsandbytes create_normal_map(offset, use_extra_value=True))."""
    positive = norm.ppf(np.linspace(offset, 0.5, 9)[:-1])
    negative = -norm.ppf(np.linspace(offset, 0.5, 8)[:-1])
    levels = np.sort(np.concatenate([negative, [0.0], positive]))
    return levels / levels.max()


def blockwise_quantize(w, levels, blocksize=64):
    """Absmax per block, then round each w / absmax to the nearest level; returns the dequantised tensor."""
    levels = torch.as_tensor(levels, dtype=w.dtype)
    blocks = w.reshape(-1, blocksize)
    absmax = blocks.abs().amax(1, keepdim=True)
    idx = (blocks / absmax).unsqueeze(-1).sub(levels).abs().argmin(-1)
    return (levels[idx] * absmax).reshape(w.shape)


def quant_constant_bits(blocksize=64, const_bits=32, double=False, blocksize2=256, const2_bits=8):
    """Bits per parameter spent on absmax constants. Double quantisation stores the first-level
    constants in 8 bits and adds one 32-bit constant per 256 of them."""
    if not double:
        return const_bits / blocksize
    return const2_bits / blocksize + const_bits / (blocksize * blocksize2)


# --8<-- [end:nf4]


# --8<-- [start:dora]
import torch
import torch.nn as nn


def dora_weight(W0, A, B, scale, magnitude):
    """DoRA: W' = m * (W0 + s B A) / ||W0 + s B A||, the norm taken per output row
    (one magnitude per output feature)."""
    V = W0 + scale * B @ A
    return magnitude.unsqueeze(1) * V / V.norm(dim=1, keepdim=True)


# --8<-- [end:dora]


# --8<-- [start:intrinsic_dim]
import math

import torch
import torch.nn.functional as F
from torch.func import functional_call


def _task(basis, seed, n=1000):
    """Binary labels from a random direction inside a fixed 2-D subspace of the 20-D input."""
    g = torch.Generator().manual_seed(seed)
    w = basis @ torch.randn(basis.shape[1], generator=g)
    x = torch.randn(n, basis.shape[0], generator=g)
    return x, (x @ w > 0).float()


def _mlp(d_in=20, hidden=32, seed=0):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(d_in, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 1))


def pretrained_mlp(basis, n_tasks=5, steps=200):
    """'Pre-train' the hidden layer on several related tasks (one output head each)."""
    model, heads = _mlp(), torch.nn.Linear(32, n_tasks)
    data = [_task(basis, s, n=500) for s in range(1, n_tasks + 1)]
    x = torch.cat([d[0] for d in data])
    y = torch.cat([d[1] for d in data])
    task_id = torch.arange(n_tasks).repeat_interleave(500)
    opt = torch.optim.Adam(list(model[0].parameters()) + list(heads.parameters()), lr=1e-2)
    for _ in range(steps):
        out = heads(torch.relu(model[0](x))).gather(1, task_id[:, None]).squeeze(1)
        loss = F.binary_cross_entropy_with_logits(out, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


def subspace_accuracy(model, x, y, d, steps=100, lr=0.05, seed=0):
    """Li et al. (2018): train only z in theta = theta0 + P z, P a fixed random D x d projection."""
    names, shapes = zip(*[(n, p.shape) for n, p in model.named_parameters()])
    theta0 = torch.cat([p.detach().flatten() for p in model.parameters()])
    P = torch.randn(theta0.numel(), d, generator=torch.Generator().manual_seed(seed)) / math.sqrt(theta0.numel())
    z = torch.zeros(d, requires_grad=True)
    opt = torch.optim.Adam([z], lr=lr)

    def logits(z):
        theta, params, i = theta0 + P @ z, {}, 0
        for name, shape in zip(names, shapes):
            params[name] = theta[i : i + math.prod(shape)].view(shape)
            i += math.prod(shape)
        return functional_call(model, params, (x,)).squeeze(-1)

    for _ in range(steps):
        loss = F.binary_cross_entropy_with_logits(logits(z), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        return ((logits(z) > 0).float() == y).float().mean().item(), theta0.numel()


def intrinsic_dimension_experiment(dims=(4, 8, 16, 32, 64)):
    basis = torch.linalg.qr(torch.randn(20, 2, generator=torch.Generator().manual_seed(0)))[0]
    x, y = _task(basis, seed=99)
    pre = pretrained_mlp(basis)
    rows = [(d, subspace_accuracy(pre, x, y, d)[0], subspace_accuracy(_mlp(), x, y, d)[0]) for d in dims]
    return rows, sum(p.numel() for p in pre.parameters())


# --8<-- [end:intrinsic_dim]
