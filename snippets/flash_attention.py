"""Online softmax, tiled (FlashAttention-style) attention forward and backward, and the
HBM-access counts of Dao et al. (2022), for docs/llm/flash-attention.md."""

import math

import torch


# --8<-- [start:online_softmax]
import math


def online_softmax(xs):
    """One pass over a stream: keep the running max m and the running sum l of exp(x - m).
    When a larger value arrives, the old sum is rescaled by exp(m_old - m_new)."""
    m, l = float("-inf"), 0.0
    for x in xs:
        m_new = max(m, x)
        l = l * math.exp(m - m_new) + math.exp(x - m_new)
        m = m_new
    return [math.exp(x - m) / l for x in xs], m, l


def merge(state_a, state_b):
    """Combine the (max, sum) statistics of two disjoint parts of a row."""
    (m_a, l_a), (m_b, l_b) = state_a, state_b
    m = max(m_a, m_b)
    return m, l_a * math.exp(m_a - m) + l_b * math.exp(m_b - m)


# --8<-- [end:online_softmax]


# --8<-- [start:flash_tiling]
import math
import torch


def tiled_attention(q, k, v, block=16):
    """Exact attention computed block by block over the keys with an online softmax
    (the idea behind FlashAttention): the n x n score matrix is never materialised.
    q: (n_q, d), k: (n_k, d), v: (n_k, d_v)."""
    scale = 1 / math.sqrt(q.size(-1))
    m = torch.full((q.size(0), 1), float("-inf"), dtype=q.dtype)  # running row max
    l = torch.zeros(q.size(0), 1, dtype=q.dtype)  # running sum of exp
    acc = torch.zeros(q.size(0), v.size(-1), dtype=q.dtype)  # running weighted sum
    for start in range(0, k.size(0), block):
        s = q @ k[start : start + block].T * scale  # (n_q, block) only
        m_new = torch.maximum(m, s.max(-1, keepdim=True).values)
        correction = torch.exp(m - m_new)  # rescale old partial sums
        p = torch.exp(s - m_new)
        l = l * correction + p.sum(-1, keepdim=True)
        acc = acc * correction + p @ v[start : start + block]
        m = m_new
    return acc / l


# --8<-- [end:flash_tiling]


# --8<-- [start:flash_fwd_bwd]
import math
import torch


def _scores(q_blk, k_blk, scale, i0, j0, causal):
    s = q_blk @ k_blk.transpose(-2, -1) * scale
    if causal:  # query row i0 + r may only see key columns <= its own position
        rows = torch.arange(i0, i0 + q_blk.size(-2)).unsqueeze(-1)
        cols = torch.arange(j0, j0 + k_blk.size(-2))
        s = s.masked_fill(cols > rows, float("-inf"))
    return s


def flash_forward(q, k, v, block_q=16, block_k=16, causal=False):
    """FlashAttention-2 loop order: outer loop over query blocks (independent, so they can run
    in parallel), inner loop over key/value blocks. Returns O and the row logsumexp L, which is
    all the backward pass needs (O(n) extra memory). Shapes: (..., n, d)."""
    n, scale = q.size(-2), 1 / math.sqrt(q.size(-1))
    out = q.new_empty(*q.shape[:-1], v.size(-1))
    lse = torch.empty(q.shape[:-1], dtype=q.dtype)
    for i0 in range(0, n, block_q):
        qi = q[..., i0 : i0 + block_q, :]
        m = torch.full(qi.shape[:-1] + (1,), float("-inf"), dtype=q.dtype)
        l = torch.zeros_like(m)
        acc = torch.zeros(qi.shape[:-1] + (v.size(-1),), dtype=q.dtype)
        for j0 in range(0, k.size(-2), block_k):
            if causal and j0 > i0 + qi.size(-2) - 1:
                break  # block entirely above the diagonal: skipped, never computed
            s = _scores(qi, k[..., j0 : j0 + block_k, :], scale, i0, j0, causal)
            m_new = torch.maximum(m, s.amax(-1, keepdim=True))
            p = torch.exp(s - m_new)
            corr = torch.exp(m - m_new)
            l = l * corr + p.sum(-1, keepdim=True)
            acc = acc * corr + p @ v[..., j0 : j0 + block_k, :]
            m = m_new
        out[..., i0 : i0 + block_q, :] = acc / l  # normalise once, at the end (FA2)
        lse[..., i0 : i0 + block_q] = (m + torch.log(l)).squeeze(-1)
    return out, lse


def flash_backward(q, k, v, out, lse, d_out, block_q=16, block_k=16, causal=False):
    """Tiled backward: recompute each score block from Q, K and the saved logsumexp,
    P = exp(S - L); never store the n x n matrix. dS = P * (dP - D) with D = rowsum(dO * O)."""
    n, scale = q.size(-2), 1 / math.sqrt(q.size(-1))
    dq, dk, dv = torch.zeros_like(q), torch.zeros_like(k), torch.zeros_like(v)
    delta = (d_out * out).sum(-1)  # (..., n)
    for j0 in range(0, k.size(-2), block_k):
        kj, vj = k[..., j0 : j0 + block_k, :], v[..., j0 : j0 + block_k, :]
        for i0 in range(0, n, block_q):
            if causal and j0 > i0 + block_q - 1:
                continue
            qi, doi = q[..., i0 : i0 + block_q, :], d_out[..., i0 : i0 + block_q, :]
            s = _scores(qi, kj, scale, i0, j0, causal)
            p = torch.exp(s - lse[..., i0 : i0 + block_q].unsqueeze(-1))
            dv[..., j0 : j0 + block_k, :] += p.transpose(-2, -1) @ doi
            dp = doi @ vj.transpose(-2, -1)
            ds = p * (dp - delta[..., i0 : i0 + block_q].unsqueeze(-1))
            dq[..., i0 : i0 + block_q, :] += ds @ kj * scale
            dk[..., j0 : j0 + block_k, :] += ds.transpose(-2, -1) @ qi * scale
    return dq, dk, dv


class FlashAttention(torch.autograd.Function):
    """Saves only q, k, v, O and the logsumexp L for backward."""

    @staticmethod
    def forward(ctx, q, k, v, causal=False, block=16):
        out, lse = flash_forward(q, k, v, block, block, causal)
        ctx.save_for_backward(q, k, v, out, lse)
        ctx.causal, ctx.block = causal, block
        return out

    @staticmethod
    def backward(ctx, d_out):
        q, k, v, out, lse = ctx.saved_tensors
        grads = flash_backward(q, k, v, out, lse, d_out, ctx.block, ctx.block, ctx.causal)
        return (*grads, None, None)


# --8<-- [end:flash_fwd_bwd]


# --8<-- [start:hbm_io]
import math


def standard_attention_hbm(n, d):
    """Elements read/written by Algorithm 0 of Dao et al. (2022): S = QK^T written to HBM,
    read back for softmax, P written, read back for PV."""
    return (2 * n * d + n * n) + (n * n + n * n) + (n * n + n * d + n * d)


def flash_attention_hbm(n, d, sram_elems):
    """Elements read/written by Algorithm 1 (FlashAttention, forward):
    block sizes B_c = ceil(M / 4d), B_r = min(B_c, d); the outer loop loads each K_j, V_j once,
    the inner loop loads Q_i, O_i, l_i, m_i and writes O_i, l_i, m_i back for every (i, j)."""
    b_c = math.ceil(sram_elems / (4 * d))
    t_c = math.ceil(n / b_c)
    return 2 * n * d + t_c * (3 * n * d + 4 * n)


# --8<-- [end:hbm_io]
