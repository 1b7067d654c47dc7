"""Scaled dot-product attention, multi-head attention and the experiments of
docs/transformer/attention.md (scaling by sqrt(d_k), Q/K initialisation)."""

import math

import torch

# --8<-- [start:scaled_dot_product]
import math
import torch


def scaled_dot_product(q, k, v, mask=None):
    """softmax(q k^T / sqrt(d_k)) v.

    q: (..., n_q, d_k), k: (..., n_k, d_k), v: (..., n_k, d_v).
    mask: bool tensor broadcastable to (..., n_q, n_k); True = may attend.
    Returns (output, attention weights).
    """
    d_k = q.size(-1)
    scores = q @ k.transpose(-2, -1) / math.sqrt(d_k)  # (..., n_q, n_k)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)  # each row sums to 1
    return weights @ v, weights


# --8<-- [end:scaled_dot_product]


# --8<-- [start:multi_head]
def split_heads(x, h):
    """(batch, n, d_model) -> (batch, h, n, d_model // h)"""
    b, n, d_model = x.shape
    return x.view(b, n, h, d_model // h).transpose(1, 2)


def merge_heads(x):
    """(batch, h, n, d_head) -> (batch, n, h * d_head)"""
    b, h, n, d_head = x.shape
    return x.transpose(1, 2).reshape(b, n, h * d_head)


def multi_head_attention(x_q, x_kv, W_q, W_k, W_v, W_o, h, mask=None):
    """MultiHead(Q, K, V) = Concat(head_1..head_h) W_o, head_i = Attn(Q W_q^i, K W_k^i, V W_v^i).

    x_q: (batch, n_q, d_model); x_kv: (batch, n_k, d_model).
    Self-attention: x_q is x_kv. Cross-attention: x_q from the decoder, x_kv from the encoder.
    W_q, W_k, W_v, W_o: (d_model, d_model); the h per-head matrices (d_model, d_model/h)
    are the column blocks of W_q, W_k, W_v, so one matmul computes all heads.
    """
    q = split_heads(x_q @ W_q, h)  # three DIFFERENT projections of the input
    k = split_heads(x_kv @ W_k, h)
    v = split_heads(x_kv @ W_v, h)
    out, weights = scaled_dot_product(q, k, v, mask)  # every head attends separately
    return merge_heads(out) @ W_o, weights


# --8<-- [end:multi_head]


# --8<-- [start:scaling_variance]
import torch


def dot_products(d_k, n=50_000, seed=0):
    """n samples of q.k for q, k with i.i.d. N(0, 1) entries."""
    g = torch.Generator().manual_seed(seed)
    q = torch.randn(n, d_k, generator=g)
    k = torch.randn(n, d_k, generator=g)
    return (q * k).sum(-1)


def score_variance(d_k, power, n=50_000, seed=0):
    """Var(q.k / d_k**power)."""
    return (dot_products(d_k, n, seed) / d_k**power).var().item()


# --8<-- [end:scaling_variance]


# --8<-- [start:softmax_saturation]
import torch


def softmax_stats(d_k, power, n_keys=64, n_queries=500, seed=0):
    """Logits q.k / d_k**power with N(0, 1) entries, n_keys keys per query. Returns the means of
    - the largest attention weight max_i p_i,
    - ||J||_F for the softmax Jacobian J = diag(p) - p p^T,
    - ||dp/dq||_F = ||J K|| / d_k**power  (how strongly the weights react to the query)."""
    g = torch.Generator().manual_seed(seed)
    q = torch.randn(n_queries, 1, d_k, generator=g)
    k = torch.randn(n_queries, n_keys, d_k, generator=g)
    p = torch.softmax((q * k).sum(-1) / d_k**power, dim=-1)  # (n_queries, n_keys)
    # ||diag(p) - p p^T||_F^2 = sum p_i^2 - 2 sum p_i^3 + (sum p_i^2)^2
    p2, p3 = (p**2).sum(-1), (p**3).sum(-1)
    jac_norm = (p2 - 2 * p3 + p2**2).clamp(min=0).sqrt()
    # J K = diag(p) K - p (p^T K): row j is p_j (k_j - sum_i p_i k_i)
    k_mean = (p.unsqueeze(-1) * k).sum(1, keepdim=True)
    dp_dq = p.unsqueeze(-1) * (k - k_mean) / d_k**power  # (n_queries, n_keys, d_k)
    return (p.max(-1).values.mean().item(), jac_norm.mean().item(), dp_dq.flatten(1).norm(dim=-1).mean().item())


# --8<-- [end:softmax_saturation]


# --8<-- [start:qk_init]
import math
import torch


def init_experiment(fill, n=6, d_model=16, seed=0):
    """One self-attention head whose W_q and W_k are filled with `fill`
    (0.0 or 1.0); W_v is random. Returns attention weights and gradient norms."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, d_model, generator=g, dtype=torch.float64)
    W_q = torch.full((d_model, d_model), fill, dtype=torch.float64, requires_grad=True)
    W_k = torch.full((d_model, d_model), fill, dtype=torch.float64, requires_grad=True)
    W_v = (torch.randn(d_model, d_model, generator=g, dtype=torch.float64) / math.sqrt(d_model)).requires_grad_()
    target = torch.randn(n, d_model, generator=g, dtype=torch.float64)
    out, weights = scaled_dot_product(x @ W_q, x @ W_k, x @ W_v)
    loss = ((out - target) ** 2).mean()
    loss.backward()
    return {
        "weights": weights.detach(),
        "grad_W_q": W_q.grad.norm().item(),
        "grad_W_k": W_k.grad.norm().item(),
        "grad_W_v": W_v.grad.norm().item(),
        "grad_W_q_rank": torch.linalg.matrix_rank(W_q.grad).item(),
        "x": x,
    }


# --8<-- [end:qk_init]
