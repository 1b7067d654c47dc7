"""A small top-k mixture-of-experts layer with expert capacity, the Switch load-balancing
loss, the router z-loss and DeepSeek-V3's bias-based (auxiliary-loss-free) balancing, for
docs/llm/moe.md.

Checked in tests/snippets/test_moe.py against transformers' MixtralSparseMoeBlock and
load_balancing_loss_func, and against direct per-token computations.
"""

# --8<-- [start:moe_layer]
import math

import torch
from torch import nn


class Expert(nn.Module):
    """One SwiGLU FFN, as in Mixtral: w2(SiLU(w1 x) * w3 x), no biases."""

    def __init__(self, d, d_ff):
        super().__init__()
        self.w1 = nn.Linear(d, d_ff, bias=False)
        self.w3 = nn.Linear(d, d_ff, bias=False)
        self.w2 = nn.Linear(d_ff, d, bias=False)

    def forward(self, x):
        return self.w2(nn.functional.silu(self.w1(x)) * self.w3(x))


def expert_capacity(n_tokens, n_experts, k, capacity_factor):
    """Switch Transformer, eq. (3): (tokens per batch / number of experts) x capacity factor,
    counting k assignments per token for top-k routing."""
    return math.ceil(k * n_tokens / n_experts * capacity_factor)


class TopKMoE(nn.Module):
    """y = sum over the k chosen experts of g_i(x) * E_i(x), with g = softmax over the k
    largest router logits (Mixtral). With a capacity factor, each expert processes at most
    C assignments; priority goes to first choices, then second choices, each in token order
    (as in GShard/Switch). An assignment over capacity is dropped: it contributes nothing,
    and the residual connection around the layer carries the token through unchanged."""

    def __init__(self, d, d_ff, n_experts, k=2, capacity_factor=None):
        super().__init__()
        self.k, self.n_experts, self.capacity_factor = k, n_experts, capacity_factor
        self.router = nn.Linear(d, n_experts, bias=False)
        self.experts = nn.ModuleList(Expert(d, d_ff) for _ in range(n_experts))

    def route(self, x):
        logits = self.router(x)  # (T, n_experts)
        top_logits, idx = logits.topk(self.k, dim=-1)  # (T, k)
        return logits, idx, top_logits.softmax(-1)

    def keep_mask(self, idx):
        """(T, k) bool: which assignments fit within each expert's capacity."""
        if self.capacity_factor is None:
            return torch.ones_like(idx, dtype=torch.bool)
        cap = expert_capacity(idx.size(0), self.n_experts, self.k, self.capacity_factor)
        one_hot = nn.functional.one_hot(idx.T.reshape(-1), self.n_experts)  # slot-major order
        position = (one_hot.cumsum(0) * one_hot).sum(-1) - 1  # rank within its expert's queue
        return (position < cap).view(self.k, -1).T

    def forward(self, x):
        logits, idx, weights = self.route(x)
        keep = self.keep_mask(idx)
        y = torch.zeros_like(x)
        for e, expert in enumerate(self.experts):
            tok, slot = torch.where((idx == e) & keep)
            if tok.numel():
                y.index_add_(0, tok, weights[tok, slot, None] * expert(x[tok]))
        return y, {"logits": logits, "idx": idx, "weights": weights, "keep": keep}


# --8<-- [end:moe_layer]


# --8<-- [start:aux_losses]
import torch


def load_balancing_loss(logits, k):
    """Switch Transformer eq. (4)-(6) generalised to top-k: N * sum_i f_i * P_i, where f_i is
    the number of top-k assignments to expert i divided by the number of tokens and P_i the
    mean router probability of expert i. Minimum k (uniform routing); the coefficient alpha is
    applied by the caller (Switch: 1e-2)."""
    n_tokens, n_experts = logits.shape
    probs = logits.softmax(-1)
    idx = probs.topk(k, dim=-1).indices
    f = torch.bincount(idx.reshape(-1), minlength=n_experts).float() / n_tokens  # not differentiable
    P = probs.mean(0)  # differentiable
    return n_experts * (f * P).sum()


def router_z_loss(logits):
    """ST-MoE eq. (5): mean over tokens of (log sum_j exp(x_j))^2."""
    return torch.logsumexp(logits, dim=-1).pow(2).mean()


# --8<-- [end:aux_losses]


# --8<-- [start:bias_balancing]
import torch


def simulate_bias_balancing(scores, k, gamma, steps):
    """DeepSeek-V3 (sec. 2.1.2): a per-expert bias b_i is added to the affinity scores only
    to choose the top-k experts; after each step b_i -= gamma if expert i was overloaded and
    += gamma if underloaded. `scores`: (steps, T, n_experts) affinities, one batch per step.
    Returns the max/mean load ratio of every step and the final bias."""
    n_experts = scores.size(-1)
    bias = torch.zeros(n_experts)
    imbalance = []
    for t in range(steps):
        chosen = (scores[t] + bias).topk(k, dim=-1).indices
        load = torch.bincount(chosen.reshape(-1), minlength=n_experts).float()
        imbalance.append((load.max() / load.mean()).item())
        bias -= gamma * torch.sign(load - load.mean())  # overloaded: down, underloaded: up
    return imbalance, bias


# --8<-- [end:bias_balancing]
