"""A LLaMA-style decoder written from scratch, SwiGLU sizing and exact parameter counts for
docs/llm/decoder-block.md.

Checked in tests/snippets/test_llama_block.py against `transformers.LlamaForCausalLM`
(same weights -> same logits) and against models built from published configurations on the
meta device (no weights are downloaded or even allocated).
"""

# --8<-- [start:ffn]
import torch
from torch import nn


class SwiGLUFFN(nn.Module):
    """FFN_SwiGLU(x) = (SiLU(x W_gate) * (x W_up)) W_down, no biases (Shazeer 2020; LLaMA)."""

    def __init__(self, d, d_ff):
        super().__init__()
        self.gate_proj = nn.Linear(d, d_ff, bias=False)
        self.up_proj = nn.Linear(d, d_ff, bias=False)
        self.down_proj = nn.Linear(d_ff, d, bias=False)

    def forward(self, x):
        return self.down_proj(nn.functional.silu(self.gate_proj(x)) * self.up_proj(x))


class GELUFFN(nn.Module):
    """The two-matrix FFN of GPT/BERT: GELU(x W_1) W_2 with d_ff = 4d (biases off here)."""

    def __init__(self, d, d_ff, bias=False):
        super().__init__()
        self.fc1 = nn.Linear(d, d_ff, bias=bias)
        self.fc2 = nn.Linear(d_ff, d, bias=bias)

    def forward(self, x):
        return self.fc2(nn.functional.gelu(self.fc1(x)))


def n_params(module):
    return sum(p.numel() for p in module.parameters())


# --8<-- [end:ffn]


# --8<-- [start:llama_ffn_dim]
def llama_ffn_dim(dim, multiple_of=256, ffn_dim_multiplier=None):
    """The hidden size rule of Meta's llama/model.py (FeedForward.__init__), called with
    hidden_dim = 4 * dim: take 2/3 of it, optionally scale, round UP to a multiple of
    `multiple_of`."""
    hidden_dim = int(2 * (4 * dim) / 3)
    if ffn_dim_multiplier is not None:
        hidden_dim = int(ffn_dim_multiplier * hidden_dim)
    return multiple_of * ((hidden_dim + multiple_of - 1) // multiple_of)


# --8<-- [end:llama_ffn_dim]


# --8<-- [start:block]
import math

import torch
from torch import nn


def rms_norm(x, weight, eps=1e-5):
    """RMSNorm in float32, as LLaMA does: x / sqrt(mean(x^2) + eps) * weight."""
    x32 = x.float()
    return (x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + eps)).to(x.dtype) * weight


def rope(x, theta=10000.0):
    """Rotary embedding, 'rotate_half' layout (Hugging Face LLaMA): dimension i is paired
    with i + d/2. x: (batch, heads, seq, d_head)."""
    d, n = x.size(-1), x.size(-2)
    inv_freq = 1.0 / theta ** (torch.arange(0, d, 2, dtype=torch.float32) / d)
    angles = torch.outer(torch.arange(n, dtype=torch.float32), inv_freq)  # (seq, d/2)
    cos, sin = torch.cat([angles, angles], -1).cos(), torch.cat([angles, angles], -1).sin()
    x1, x2 = x[..., : d // 2], x[..., d // 2 :]
    return x * cos + torch.cat([-x2, x1], -1) * sin


class DecoderBlock(nn.Module):
    """Pre-norm block: h = x + Attn(RMSNorm(x)); out = h + SwiGLU(RMSNorm(h)).
    Attention: causal, RoPE on q and k, grouped-query (n_kv_heads K/V heads), no biases."""

    def __init__(self, d, n_heads, n_kv_heads, d_ff, eps=1e-5):
        super().__init__()
        self.h, self.kv, self.dh, self.eps = n_heads, n_kv_heads, d // n_heads, eps
        self.q_proj = nn.Linear(d, n_heads * self.dh, bias=False)
        self.k_proj = nn.Linear(d, n_kv_heads * self.dh, bias=False)
        self.v_proj = nn.Linear(d, n_kv_heads * self.dh, bias=False)
        self.o_proj = nn.Linear(n_heads * self.dh, d, bias=False)
        self.mlp = SwiGLUFFN(d, d_ff)
        self.attn_norm = nn.Parameter(torch.ones(d))
        self.ffn_norm = nn.Parameter(torch.ones(d))
        self.causal = True  # False turns it into a bidirectional (encoder-style) block

    def attention(self, x):
        b, n, _ = x.shape
        q = rope(self.q_proj(x).view(b, n, self.h, self.dh).transpose(1, 2))
        k = rope(self.k_proj(x).view(b, n, self.kv, self.dh).transpose(1, 2))
        v = self.v_proj(x).view(b, n, self.kv, self.dh).transpose(1, 2)
        k = k.repeat_interleave(self.h // self.kv, dim=1)  # each K/V head serves a group of queries
        v = v.repeat_interleave(self.h // self.kv, dim=1)
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.dh)
        if self.causal:
            scores = scores.masked_fill(~torch.ones(n, n, dtype=torch.bool).tril(), float("-inf"))
        out = scores.softmax(-1) @ v
        return self.o_proj(out.transpose(1, 2).reshape(b, n, self.h * self.dh))

    def forward(self, x):
        h = x + self.attention(rms_norm(x, self.attn_norm, self.eps))
        return h + self.mlp(rms_norm(h, self.ffn_norm, self.eps))


class TinyLlama(nn.Module):
    """Embedding -> N pre-norm blocks -> final RMSNorm -> untied output projection."""

    def __init__(self, vocab, d, n_layers, n_heads, n_kv_heads, d_ff):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList(DecoderBlock(d, n_heads, n_kv_heads, d_ff) for _ in range(n_layers))
        self.norm = nn.Parameter(torch.ones(d))
        self.lm_head = nn.Linear(d, vocab, bias=False)

    def forward(self, ids):
        x = self.embed(ids)
        for block in self.blocks:
            x = block(x)
        return self.lm_head(rms_norm(x, self.norm))


def load_from_hf(mine, hf):
    """Copy the weights of a transformers LlamaForCausalLM into TinyLlama."""
    with torch.no_grad():
        mine.embed.weight.copy_(hf.model.embed_tokens.weight)
        mine.norm.copy_(hf.model.norm.weight)
        mine.lm_head.weight.copy_(hf.lm_head.weight)
        for blk, layer in zip(mine.blocks, hf.model.layers):
            for name in ("q_proj", "k_proj", "v_proj", "o_proj"):
                getattr(blk, name).weight.copy_(getattr(layer.self_attn, name).weight)
            for name in ("gate_proj", "up_proj", "down_proj"):
                getattr(blk.mlp, name).weight.copy_(getattr(layer.mlp, name).weight)
            blk.attn_norm.copy_(layer.input_layernorm.weight)
            blk.ffn_norm.copy_(layer.post_attention_layernorm.weight)


# --8<-- [end:block]


# --8<-- [start:count]
def llama_param_breakdown(vocab, d, n_layers, n_heads, n_kv_heads, d_ff, tied=False):
    """Exact parameter count of a LLaMA-style decoder (no biases anywhere)."""
    d_head = d // n_heads
    per_layer = {
        "attn q_proj + o_proj": 2 * d * n_heads * d_head,
        "attn k_proj + v_proj": 2 * d * n_kv_heads * d_head,
        "mlp gate/up/down": 3 * d * d_ff,
        "2 RMSNorm weights": 2 * d,
    }
    parts = {
        "embed_tokens": vocab * d,
        **{k: n_layers * v for k, v in per_layer.items()},
        "final norm": d,
        "lm_head": 0 if tied else vocab * d,
    }
    return parts, sum(parts.values())


def hf_breakdown(model):
    """Group a transformers Llama/Mistral model's parameters by the same keys (shapes only,
    so it works on the meta device)."""
    groups = {}
    for name, p in model.named_parameters():
        if "embed_tokens" in name:
            key = "embed_tokens"
        elif "lm_head" in name:
            key = "lm_head"
        elif any(s in name for s in ("q_proj", "o_proj")):
            key = "attn q_proj + o_proj"
        elif any(s in name for s in ("k_proj", "v_proj")):
            key = "attn k_proj + v_proj"
        elif "mlp" in name:
            key = "mlp gate/up/down"
        elif "layernorm" in name:
            key = "2 RMSNorm weights"
        elif name.endswith("norm.weight"):
            key = "final norm"
        else:
            raise KeyError(name)
        groups[key] = groups.get(key, 0) + p.numel()
    groups.setdefault("lm_head", 0)  # tied: lm_head shares embed_tokens' tensor
    return groups


# --8<-- [end:count]
