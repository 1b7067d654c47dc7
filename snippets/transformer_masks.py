"""Padding mask and causal (sequence) mask for Transformer attention.

Convention used here (same as torch.nn.MultiheadAttention boolean masks):
True = "this key may NOT be attended to".
Used by docs/transformer/architecture.md; tested by tests/snippets/test_transformer_masks.py.
"""

import math

import torch

# --8<-- [start:masks]
import math
import torch


def padding_mask(lengths, max_len):
    """(B, S) bool, True where the key position is padding."""
    positions = torch.arange(max_len)  # (S,)
    return positions[None, :] >= torch.as_tensor(lengths)[:, None]


def causal_mask(T):
    """(T, T) bool, True above the diagonal: query i may not see key j > i."""
    return torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)


def masked_attention(q, k, v, mask=None):
    """Scaled dot-product attention; `mask` broadcasts to (..., T_q, T_k)."""
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if mask is not None:
        scores = scores.masked_fill(mask, float("-inf"))  # exp(-inf) = 0
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights


# --8<-- [end:masks]
