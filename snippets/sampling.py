"""Decoding: logits processors written from their definitions, and speculative sampling.

Used by docs/llm/decoding.md. tests/snippets/test_sampling.py checks every processor against the
transformers LogitsProcessor classes, the OpenAI frequency/presence formula against a plain loop,
and the speculative sampler against the target distribution.
"""

# --8<-- [start:warpers]
import torch


def apply_temperature(logits, t):
    """Softmax(logits / t): t < 1 sharpens, t > 1 flattens."""
    return logits / t


def top_k_filter(logits, k):
    """Keep the k largest logits (ties with the k-th are kept), set the rest to -inf."""
    kth = torch.topk(logits, k, dim=-1).values[..., -1:]
    return logits.masked_fill(logits < kth, float("-inf"))


def top_p_filter(logits, p):
    """Nucleus: the smallest set of most probable tokens whose total probability is >= p."""
    probs = logits.softmax(-1)
    sorted_probs, order = probs.sort(-1, descending=True)
    cum = sorted_probs.cumsum(-1)
    mass_before = torch.cat([torch.zeros_like(cum[..., :1]), cum[..., :-1]], -1)  # mass ranked above
    keep_sorted = mass_before < p  # the top token always has mass_before = 0
    keep = torch.zeros_like(keep_sorted).scatter(-1, order, keep_sorted)
    return logits.masked_fill(~keep, float("-inf"))


def min_p_filter(logits, min_p):
    """Keep tokens whose probability is at least min_p times the top token's probability."""
    probs = logits.softmax(-1)
    threshold = min_p * probs.amax(-1, keepdim=True)
    return logits.masked_fill(probs < threshold, float("-inf"))


# --8<-- [end:warpers]

# --8<-- [start:penalties]
import torch


def repetition_penalty(logits, previous_ids, theta):
    """CTRL penalized sampling as transformers implements it: every token already in the context
    (prompt included, counted once) has its logit divided by theta if positive, multiplied if negative."""
    out = logits.clone()
    for row, ids in enumerate(previous_ids):
        seen = torch.unique(ids)
        s = out[row, seen]
        out[row, seen] = torch.where(s < 0, s * theta, s / theta)
    return out


def frequency_presence_penalty(logits, generated_ids, alpha_frequency, alpha_presence):
    """OpenAI-style penalties: mu[j] - c[j] * alpha_frequency - (c[j] > 0) * alpha_presence,
    where c[j] counts how often token j was generated so far."""
    counts = torch.stack([torch.bincount(ids, minlength=logits.shape[-1]) for ids in generated_ids])
    counts = counts.to(logits.dtype)
    return logits - alpha_frequency * counts - alpha_presence * (counts > 0).to(logits.dtype)


# --8<-- [end:penalties]

# --8<-- [start:speculative]
import numpy as np


def speculative_token(p, q, rng, n):
    """Leviathan et al. 2023, Sec. 2.3, for one position and n independent trials (vectorised):
    draw x ~ q, keep it with probability min(1, p(x)/q(x)), otherwise draw from norm(max(0, p - q))."""
    x = rng.choice(len(q), size=n, p=q)
    accept = rng.random(n) < np.minimum(1.0, p[x] / q[x])
    residual = np.maximum(p - q, 0.0)
    resampled = rng.choice(len(p), size=n, p=residual / residual.sum())
    return np.where(accept, x, resampled), accept.mean()


def speculative_decode(p_next, q_next, prefix, gamma, length, rng):
    """Algorithm 1 of Leviathan et al. 2023, repeated until `length` new tokens exist.
    p_next / q_next map a token tuple (the context) to a next-token distribution.
    Returns the new tokens and the number of target-model calls (one per iteration)."""
    seq, calls = list(prefix), 0
    while len(seq) - len(prefix) < length:
        drafts, qs = [], []
        for _ in range(gamma):  # the draft model runs gamma times, serially
            q = q_next(tuple(seq + drafts))
            drafts.append(int(rng.choice(len(q), p=q)))
            qs.append(q)
        # one parallel target call scores prefix, prefix+x1, ..., prefix+x1..x_gamma
        ps = [p_next(tuple(seq + drafts[:i])) for i in range(gamma + 1)]
        calls += 1
        n = 0
        while n < gamma and rng.random() < min(1.0, ps[n][drafts[n]] / qs[n][drafts[n]]):
            n += 1
        if n < gamma:
            residual = np.maximum(ps[n] - qs[n], 0.0)
            last = int(rng.choice(len(residual), p=residual / residual.sum()))
        else:
            last = int(rng.choice(len(ps[gamma]), p=ps[gamma]))
        seq += drafts[:n] + [last]
    return tuple(seq[len(prefix) : len(prefix) + length]), calls


def expected_tokens_per_step(alpha, gamma):
    """Leviathan et al. 2023, Eq. (1): a capped geometric variable, 1 + alpha + ... + alpha^gamma."""
    return gamma + 1 if alpha == 1 else (1 - alpha ** (gamma + 1)) / (1 - alpha)


def tokens_per_step_simulated(p, q, gamma, n_steps, rng):
    """Run the accept/reject part of Algorithm 1 with context-independent p and q (so the
    acceptances are i.i.d., the paper's assumption) and count tokens produced per target call."""
    x = rng.choice(len(q), size=(n_steps, gamma), p=q)
    accepted = rng.random((n_steps, gamma)) < np.minimum(1.0, p[x] / q[x])
    n = np.where(accepted.all(1), gamma, np.argmin(accepted, axis=1))  # leading accepts
    return (n + 1).mean()


# --8<-- [end:speculative]
