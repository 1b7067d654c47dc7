"""A tiny causal (decoder-only) Transformer with an optional KV cache.

Used by docs/transformer/architecture.md to show that
(1) with a causal mask, outputs at positions <= t do not depend on tokens > t, and
(2) incremental decoding with a KV cache gives the same logits as recomputing
    the whole prefix at every step.
Tested by tests/snippets/test_causal_decoder.py.
"""

import math

import torch
from torch import nn

# --8<-- [start:decoder]
import math
import torch
from torch import nn


class CausalSelfAttention(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        self.h, self.d_head = n_heads, d_model // n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.out = nn.Linear(d_model, d_model)

    def forward(self, x, cache=None):
        B, T, D = x.shape
        q, k, v = self.qkv(x).split(D, dim=-1)
        # (B, T, D) -> (B, h, T, d_head)
        q, k, v = (t.view(B, T, self.h, self.d_head).transpose(1, 2) for t in (q, k, v))
        if cache is not None:  # prepend keys/values of earlier tokens
            k = torch.cat([cache[0], k], dim=2)
            v = torch.cat([cache[1], v], dim=2)
        new_cache = (k, v)
        T_k = k.size(2)  # = past length + T
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_head)
        # query i sits at absolute position T_k - T + i and may see keys <= that position
        q_pos = torch.arange(T_k - T, T_k)[:, None]
        k_pos = torch.arange(T_k)[None, :]
        scores = scores.masked_fill(k_pos > q_pos, float("-inf"))
        y = torch.softmax(scores, dim=-1) @ v
        y = y.transpose(1, 2).reshape(B, T, D)
        return self.out(y), new_cache


class Block(nn.Module):
    """Pre-LN block: x + Attn(LN(x)), then x + FFN(LN(x))."""

    def __init__(self, d_model, n_heads, d_ff):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.attn = CausalSelfAttention(d_model, n_heads)
        self.ffn = nn.Sequential(nn.Linear(d_model, d_ff), nn.ReLU(), nn.Linear(d_ff, d_model))

    def forward(self, x, cache=None):
        a, new_cache = self.attn(self.ln1(x), cache)
        x = x + a
        x = x + self.ffn(self.ln2(x))
        return x, new_cache


class TinyDecoder(nn.Module):
    def __init__(self, vocab=50, d_model=32, n_heads=4, d_ff=64, n_layers=2, max_len=64):
        super().__init__()
        self.tok = nn.Embedding(vocab, d_model)
        nn.init.normal_(self.tok.weight, std=0.02)  # GPT-2 style; N(0,1) would give huge tied logits
        self.pos = nn.Embedding(max_len, d_model)
        self.blocks = nn.ModuleList(Block(d_model, n_heads, d_ff) for _ in range(n_layers))
        self.ln_f = nn.LayerNorm(d_model)
        self.lm_head = nn.Linear(d_model, vocab, bias=False)
        self.lm_head.weight = self.tok.weight  # weight tying

    def forward(self, tokens, caches=None):
        """tokens: (B, T). caches: None or one (K, V) pair per layer."""
        past = 0 if caches is None else caches[0][0].size(2)
        pos = torch.arange(past, past + tokens.size(1))
        x = self.tok(tokens) + self.pos(pos)
        new_caches = []
        for i, block in enumerate(self.blocks):
            x, c = block(x, None if caches is None else caches[i])
            new_caches.append(c)
        return self.lm_head(self.ln_f(x)), new_caches


# --8<-- [end:decoder]


# --8<-- [start:generate]
import torch


@torch.no_grad()
def generate_greedy(model, prompt, steps, use_cache=True):
    """Greedy decoding; returns generated ids and the logits of each step."""
    tokens, step_logits, caches = prompt.clone(), [], None
    for _ in range(steps):
        if use_cache:
            # first step: feed the whole prompt; afterwards only the newest token
            inp = tokens if caches is None else tokens[:, -1:]
            logits, caches = model(inp, caches)
        else:
            logits, _ = model(tokens)  # recompute the whole prefix
        last = logits[:, -1]
        step_logits.append(last)
        tokens = torch.cat([tokens, last.argmax(-1, keepdim=True)], dim=1)
    return tokens, torch.stack(step_logits, dim=1)


# --8<-- [end:generate]


# --8<-- [start:shift_right]
def shift_right(target, bos_id):
    """Teacher forcing: decoder input = [BOS] + target[:-1]; labels = target."""
    bos = torch.full_like(target[:, :1], bos_id)
    return torch.cat([bos, target[:, :-1]], dim=1)


# --8<-- [end:shift_right]
