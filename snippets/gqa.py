"""MHA / GQA / MQA, KV-cache sizes and a minimal MLA (DeepSeek-V2) for
docs/transformer/efficient-attention.md."""

import math

import torch


# --8<-- [start:kv_cache]
def kv_cache_bytes_per_token(n_layers, n_kv_heads, d_head, bytes_per_elem=2):
    """K and V (factor 2) for every layer and every KV head; fp16/bf16 = 2 bytes."""
    return 2 * n_layers * n_kv_heads * d_head * bytes_per_elem


def mla_cache_elems_per_layer(d_c, d_rope):
    """MLA caches the latent c_KV (d_c) plus ONE decoupled RoPE key (d_rope) per token."""
    return d_c + d_rope


def mha_cache_elems_per_layer(n_heads, d_head):
    return 2 * n_heads * d_head


# --8<-- [end:kv_cache]


# --8<-- [start:gqa]
import math
import torch


def grouped_query_attention(x, W_q, W_k, W_v, W_o, n_heads, n_kv_heads, causal=False):
    """GQA: n_heads query heads in n_kv_heads groups; each group shares one K/V head.
    n_kv_heads == n_heads -> MHA;  n_kv_heads == 1 -> MQA.

    x: (b, n, d_model); W_q: (d_model, n_heads*d_h); W_k, W_v: (d_model, n_kv_heads*d_h);
    W_o: (n_heads*d_h, d_model).
    """
    b, n, _ = x.shape
    d_h = W_q.size(1) // n_heads
    group = n_heads // n_kv_heads  # query heads per K/V head
    q = (x @ W_q).view(b, n, n_heads, d_h).transpose(1, 2)  # (b, H, n, d_h)
    k = (x @ W_k).view(b, n, n_kv_heads, d_h).transpose(1, 2)  # (b, G, n, d_h): cached
    v = (x @ W_v).view(b, n, n_kv_heads, d_h).transpose(1, 2)  # (b, G, n, d_h): cached
    # query head j uses K/V head j // group
    k = k.repeat_interleave(group, dim=1)  # (b, H, n, d_h)
    v = v.repeat_interleave(group, dim=1)
    scores = q @ k.transpose(-2, -1) / math.sqrt(d_h)
    if causal:
        mask = torch.ones(n, n, dtype=torch.bool).tril()
        scores = scores.masked_fill(~mask, float("-inf"))
    out = torch.softmax(scores, dim=-1) @ v  # (b, H, n, d_h)
    return out.transpose(1, 2).reshape(b, n, n_heads * d_h) @ W_o


# --8<-- [end:gqa]


# --8<-- [start:mla]
import math
import torch


def rope_rotate(x, positions, base=10000.0):
    """Rotate pairs (x[2i], x[2i+1]) by positions * base^(-2i/d)."""
    d = x.size(-1)
    angle = positions.to(x.dtype).unsqueeze(-1) * base ** (-torch.arange(0, d, 2, dtype=x.dtype) / d)
    cos, sin = torch.cos(angle), torch.sin(angle)
    out = torch.empty_like(x)
    out[..., 0::2] = x[..., 0::2] * cos - x[..., 1::2] * sin
    out[..., 1::2] = x[..., 0::2] * sin + x[..., 1::2] * cos
    return out


def mla_weights(d_model, n_heads, d_h, d_c, d_c_q, d_rope, seed=0):
    """Random weights with the shapes of DeepSeek-V2's MLA (row-vector convention x @ W)."""
    g = torch.Generator().manual_seed(seed)
    r = lambda *s: torch.randn(*s, generator=g, dtype=torch.float64) / math.sqrt(s[0])
    return dict(
        W_DKV=r(d_model, d_c),  # down-projection: c_KV = h W_DKV   (cached)
        W_UK=r(d_c, n_heads * d_h),  # up-projection to per-head keys
        W_UV=r(d_c, n_heads * d_h),  # up-projection to per-head values
        W_DQ=r(d_model, d_c_q),  # query compression c_Q = h W_DQ
        W_UQ=r(d_c_q, n_heads * d_h),  # per-head "content" queries
        W_QR=r(d_c_q, n_heads * d_rope),  # per-head RoPE queries
        W_KR=r(d_model, d_rope),  # ONE RoPE key shared by all heads (cached)
        W_O=r(n_heads * d_h, d_model),
    )


def mla_naive(h, W, n_heads, d_h, d_rope):
    """Training-style MLA: decompress per-head keys/values, then ordinary attention."""
    n = h.size(0)
    pos = torch.arange(n)
    c_kv = h @ W["W_DKV"]  # (n, d_c)
    k_c = (c_kv @ W["W_UK"]).view(n, n_heads, d_h)
    v_c = (c_kv @ W["W_UV"]).view(n, n_heads, d_h)
    k_r = rope_rotate(h @ W["W_KR"], pos)  # (n, d_rope), shared
    c_q = h @ W["W_DQ"]
    q_c = (c_q @ W["W_UQ"]).view(n, n_heads, d_h)
    q_r = rope_rotate((c_q @ W["W_QR"]).view(n, n_heads, d_rope).transpose(0, 1), pos).transpose(0, 1)
    q = torch.cat([q_c, q_r], -1).transpose(0, 1)  # (H, n, d_h + d_rope)
    k = torch.cat([k_c, k_r.unsqueeze(1).expand(n, n_heads, d_rope)], -1).transpose(0, 1)
    scores = q @ k.transpose(-2, -1) / math.sqrt(d_h + d_rope)
    scores = scores.masked_fill(~torch.ones(n, n, dtype=torch.bool).tril(), float("-inf"))
    o = torch.softmax(scores, -1) @ v_c.transpose(0, 1)  # (H, n, d_h)
    return o.transpose(0, 1).reshape(n, n_heads * d_h) @ W["W_O"]


def mla_absorbed(h, W, n_heads, d_h, d_rope):
    """Inference-style MLA: only c_KV (d_c) and k_R (d_rope) per token are cached.
    W_UK is absorbed into the query side and W_UV into the output side, so keys and
    values are never decompressed."""
    n = h.size(0)
    pos = torch.arange(n)
    d_c = W["W_DKV"].size(1)
    cache_c = h @ W["W_DKV"]  # (n, d_c)    <- cache
    cache_kr = rope_rotate(h @ W["W_KR"], pos)  # (n, d_rope) <- cache
    c_q = h @ W["W_DQ"]
    q_c = (c_q @ W["W_UQ"]).view(n, n_heads, d_h).transpose(0, 1)  # (H, n, d_h)
    W_UK = W["W_UK"].view(d_c, n_heads, d_h).permute(1, 2, 0)  # (H, d_h, d_c)
    q_latent = q_c @ W_UK  # (H, n, d_c): absorbed
    q_r = rope_rotate((c_q @ W["W_QR"]).view(n, n_heads, d_rope).transpose(0, 1), pos)
    scores = (q_latent @ cache_c.T + q_r @ cache_kr.T) / math.sqrt(d_h + d_rope)
    scores = scores.masked_fill(~torch.ones(n, n, dtype=torch.bool).tril(), float("-inf"))
    o_latent = torch.softmax(scores, -1) @ cache_c  # (H, n, d_c)
    W_UV = W["W_UV"].view(d_c, n_heads, d_h).permute(1, 0, 2)  # (H, d_c, d_h)
    W_O = W["W_O"].view(n_heads, d_h, -1)  # (H, d_h, d_model)
    W_UV_O = W_UV @ W_O  # (H, d_c, d_model): absorbed
    return (o_latent @ W_UV_O).sum(0)  # sum over heads


# --8<-- [end:mla]
