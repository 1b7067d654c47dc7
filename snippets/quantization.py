"""Deployment arithmetic and tools: memory budgets, int8 weight quantisation, mmap loading.

Used by docs/plm/deployment.md.
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


def state_dict_bytes(model):
    """Serialized size of a model's state_dict (what you would ship to disk)."""
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    return buf.getbuffer().nbytes


# --8<-- [end:int8_per_channel]


# --8<-- [start:mmap_load]


def rss_mib():
    """Resident memory of this process (Linux /proc)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024


def mmap_vs_eager(path, n_mib=64):
    """Save a ~n_mib checkpoint, then compare RSS growth of torch.load with and without mmap."""
    n = n_mib * 1024**2 // 4
    torch.save({"w": torch.randn(n)}, path)
    before = rss_mib()
    lazy = torch.load(path, mmap=True, weights_only=True)  # pages mapped, not read
    after_mmap = rss_mib()
    checksum = lazy["w"].sum().item()  # touching pages reads them
    after_touch = rss_mib()
    del lazy
    base = rss_mib()
    eager = torch.load(path, weights_only=True)  # full copy into RAM
    after_eager = rss_mib()
    assert torch.isclose(eager["w"].sum(), torch.tensor(checksum))
    return {
        "mmap load": after_mmap - before,
        "mmap after touching": after_touch - before,
        "eager load": after_eager - base,
    }


# --8<-- [end:mmap_load]
