"""Deployment arithmetic and quantization: memory budgets, int8 weights, mmap loading, and the LLM methods
(granularity, LLM.int8(), SmoothQuant, GPTQ, AWQ) on small matrices.

Used by docs/plm/deployment.md and docs/llm/quantization.md (one quantizer for both pages).
"""

# --8<-- [start:imports]
import io

import torch
import torch.nn as nn
import torch.nn.functional as F

# --8<-- [end:imports]

# --8<-- [start:memory_budget]
BYTES_PER_PARAM = {"fp32": 4, "fp16/bf16": 2, "int8": 1, "int4": 0.5}
GiB = 1024**3


def weight_bytes(n_params, dtype):
    """Memory for the weights alone (int4 formats add a few % for scales; ignored here)."""
    return n_params * BYTES_PER_PARAM[dtype]


def kv_cache_bytes(n_layer, n_kv_heads, d_head, seq_len, batch=1, bytes_per_elem=2):
    """K and V for every layer, head and token: 2 * L * n_kv * d_head * seq * batch * bytes."""
    return 2 * n_layer * n_kv_heads * d_head * seq_len * batch * bytes_per_elem


def max_params(budget_bytes, dtype, overhead_bytes):
    """Largest parameter count whose weights fit in budget minus runtime/activation overhead."""
    return (budget_bytes - overhead_bytes) / BYTES_PER_PARAM[dtype]


# --8<-- [end:memory_budget]


# --8<-- [start:int8_per_channel]


def quantize_per_channel_int8(w):
    """Symmetric per-output-channel int8: w ≈ q * scale, q in [-127, 127]."""
    scale = w.abs().amax(dim=1).clamp(min=1e-12) / 127.0  # one scale per output row
    q = torch.clamp(torch.round(w / scale[:, None]), -127, 127).to(torch.int8)
    return q, scale


class Int8Linear(nn.Module):
    """Weight-only int8 Linear: stores int8 weights + fp32 scales, computes in fp32."""

    def __init__(self, linear: nn.Linear):
        super().__init__()
        q, scale = quantize_per_channel_int8(linear.weight.detach())
        self.register_buffer("weight_int8", q)
        self.register_buffer("scale", scale)
        self.register_buffer("bias", None if linear.bias is None else linear.bias.detach().clone())

    def forward(self, x):
        w = self.weight_int8.to(x.dtype) * self.scale[:, None]  # dequantize on the fly
        return F.linear(x, w, self.bias)


def quantize_model(model):
    """Replace every nn.Linear in a model by Int8Linear (in place)."""
    for name, child in model.named_children():
        if isinstance(child, nn.Linear):
            setattr(model, name, Int8Linear(child))
        else:
            quantize_model(child)
    return model


# --8<-- [start:state_dict_bytes]
def state_dict_bytes(model):
    """Serialized size of a model's state_dict (what you would ship to disk)."""
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    return buf.getbuffer().nbytes


# --8<-- [end:state_dict_bytes]

# --8<-- [end:int8_per_channel]


# --8<-- [start:mmap_load]
import json
import subprocess
import sys


_LOAD_AND_MEASURE = r"""
import json, sys, torch

def rss_mib():  # resident memory of this process (Linux /proc), MiB
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmRSS:"))

path, use_mmap = sys.argv[1], sys.argv[2] == "mmap"
before = rss_mib()
state = torch.load(path, mmap=use_mmap, weights_only=True)
after_load = rss_mib()
state["w"].sum().item()  # touching every page reads it from disk / page cache
print(json.dumps({"load": after_load - before, "touched": rss_mib() - before}))
"""


def load_rss_growth(path, mode):
    """RSS growth (MiB) of torch.load(path, mmap=mode == "mmap") and after touching the tensor "w".

    Each measurement runs in a fresh Python process, so that what the calling process still holds
    (earlier allocations, mapped file pages) cannot skew the RSS reading; an allocator reusing free
    memory that is already resident, for one, would make the growth read too small.
    Returns {"load": MiB, "touched": MiB}. Raises CalledProcessError if the child fails."""
    out = subprocess.run(
        [sys.executable, "-c", _LOAD_AND_MEASURE, path, mode], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)


def mmap_vs_eager(path, n_mib=64):
    """Save a ~n_mib checkpoint {"w": fp32 tensor}, then compare the RSS growth (MiB) of loading it
    with mmap=True (right after loading, and after touching all of it) and with a plain load."""
    torch.save({"w": torch.randn(n_mib * 1024**2 // 4)}, path)
    lazy, eager = load_rss_growth(path, "mmap"), load_rss_growth(path, "eager")
    return {"mmap load": lazy["load"], "mmap after touching": lazy["touched"], "eager load": eager["load"]}


# --8<-- [end:mmap_load]


# --8<-- [start:fake_quant]
import torch


def fake_quant(w, bits=8, symmetric=True, granularity="tensor", group_size=128):
    """Quantize then dequantize a 2-D weight (out_features, in_features).
    granularity: "tensor" (one scale), "channel" (one per output row), "group" (one per
    `group_size` consecutive input elements of a row). Symmetric: q in [-(2^(b-1)-1), 2^(b-1)-1],
    scale = max|w| / qmax. Asymmetric: q in [0, 2^b - 1], scale = (max - min) / (2^b - 1),
    integer zero point = round(-min / scale)."""
    rows, cols = w.shape
    if granularity == "tensor":
        g = w.reshape(1, -1)
    elif granularity == "channel":
        g = w
    else:
        g = w.reshape(rows * cols // group_size, group_size)
    if symmetric:
        qmax = 2 ** (bits - 1) - 1
        scale = g.abs().amax(1, keepdim=True).clamp(min=1e-12) / qmax
        deq = torch.clamp(torch.round(g / scale), -qmax, qmax) * scale
    else:
        qmax = 2**bits - 1
        lo = g.amin(1, keepdim=True).clamp(max=0)
        hi = g.amax(1, keepdim=True).clamp(min=0)
        scale = ((hi - lo) / qmax).clamp(min=1e-12)
        zero = torch.round(-lo / scale)
        deq = (torch.clamp(torch.round(g / scale) + zero, 0, qmax) - zero) * scale
    return deq.reshape(rows, cols)


# --8<-- [end:fake_quant]

# --8<-- [start:llm_int8]
import torch


def int8_vectorwise_matmul(x, w):
    """x @ w with x (tokens, in) quantized per row and w (in, out) per column to int8 (absmax),
    integer products accumulated exactly, then rescaled by the outer product of the scales."""
    sx = x.abs().amax(1, keepdim=True).clamp(min=1e-12) / 127
    sw = w.abs().amax(0, keepdim=True).clamp(min=1e-12) / 127
    xq, wq = torch.round(x / sx), torch.round(w / sw)
    return (xq @ wq) * sx * sw


def llm_int8_matmul(x, w, threshold=6.0):
    """LLM.int8() mixed-precision decomposition: input feature dimensions holding any |x| >= threshold
    go through a 16-bit matmul, the rest through the vector-wise int8 matmul."""
    outlier = (x.abs() >= threshold).any(0)
    out = int8_vectorwise_matmul(x[:, ~outlier], w[~outlier])
    return out + x[:, outlier] @ w[outlier], int(outlier.sum())


# --8<-- [end:llm_int8]

# --8<-- [start:smoothquant]
import torch


def smoothquant_scales(x, w, alpha=0.5):
    """s_j = max|X_j|^alpha / max|W_j|^(1-alpha) per input channel j (x: tokens x in, w: in x out)."""
    return (x.abs().amax(0).pow(alpha) / w.abs().amax(1).pow(1 - alpha)).clamp(min=1e-5)


def w8a8_matmul(x, w):
    """W8A8 as in SmoothQuant's fake quantization: activations per-tensor absmax int8,
    weights per-output-channel absmax int8."""
    sx = x.abs().max() / 127
    sw = w.abs().amax(0, keepdim=True) / 127
    return (torch.round(x / sx) * sx) @ (torch.round(w / sw) * sw)


# --8<-- [end:smoothquant]

# --8<-- [start:gptq]
import torch


def minmax_params(w, bits):
    """Asymmetric min-max grid per output row, as GPTQ's Quantizer (perchannel=True, sym=False)."""
    maxq = 2**bits - 1
    lo = w.amin(1).clamp(max=0)
    hi = w.amax(1).clamp(min=0)
    scale = ((hi - lo) / maxq).clamp(min=1e-12)
    return scale, torch.round(-lo / scale), maxq


def quantize_column(col, scale, zero, maxq):
    return scale * (torch.clamp(torch.round(col / scale) + zero, 0, maxq) - zero)


def rtn(w, bits):
    """Round-to-nearest on the same grid: the baseline GPTQ improves on."""
    scale, zero, maxq = minmax_params(w, bits)
    return scale[:, None] * (torch.clamp(torch.round(w / scale[:, None]) + zero[:, None], 0, maxq) - zero[:, None])


def gptq(w, x, bits, percdamp=0.01):
    """GPTQ (Frantar et al. 2023, Algorithm 1 without lazy batching) for w (out, in), calibration
    inputs x (n, in). Columns are quantized left to right; each rounding error is spread over the
    not-yet-quantized columns through the inverse Hessian of the layer-wise loss ||XW^T - XQ^T||^2,
    H = 2 X^T X / n, using the upper Cholesky factor of H^-1 as in the reference implementation."""
    w = w.clone().double()
    h = 2 * x.double().T @ x.double() / x.shape[0]
    h += percdamp * h.diag().mean() * torch.eye(h.shape[0], dtype=h.dtype)  # dampening
    hinv = torch.linalg.cholesky(torch.cholesky_inverse(torch.linalg.cholesky(h)), upper=True)
    scale, zero, maxq = minmax_params(w, bits)
    q = torch.zeros_like(w)
    for i in range(w.shape[1]):
        q[:, i] = quantize_column(w[:, i], scale, zero, maxq)
        err = (w[:, i] - q[:, i]) / hinv[i, i]
        w[:, i:] -= err[:, None] * hinv[i, i:][None, :]
    return q


# --8<-- [end:gptq]

# --8<-- [start:awq]
import torch


def group_quant(w, bits=4, group_size=128):
    """Asymmetric group-wise weight quantization (AWQ's default: 4-bit, zero point, group 128).
    Differs from llm-awq's pseudo_quantize_tensor only in forcing each group's range to include 0,
    which changes nothing for groups holding both signs (tests/snippets/test_quantization.py compares them)."""
    return fake_quant(w, bits, symmetric=False, granularity="group", group_size=group_size)


def awq_search(w, x, bits=4, group_size=128, n_grid=20):
    """AWQ activation-aware scaling for one linear layer y = x w^T (w: out x in).
    Scale input channel j by s_j = mean|x_j|^ratio (normalised), quantize w * s, divide back:
    y ~ (x / s) Q(w * s)^T. Grid-search ratio in [0, 1) on the output MSE, as llm-awq does."""
    act = x.abs().mean(0)
    ref = x @ w.T
    results = []
    for k in range(n_grid):
        ratio = k / n_grid
        s = act.pow(ratio).clamp(min=1e-4)
        s = s / (s.max() * s.min()).sqrt()
        wq = group_quant(w * s, bits, group_size) / s
        results.append((ratio, ((x @ wq.T - ref) ** 2).mean().item()))
    return min(results, key=lambda r: r[1]), results


# --8<-- [end:awq]
