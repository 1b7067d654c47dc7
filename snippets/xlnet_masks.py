"""XLNet-style permutation language modelling: attention masks and two-stream attention.

Used by docs/plm/ar-vs-ae.md.
"""

# --8<-- [start:imports]
import itertools

import numpy as np
import torch

# --8<-- [end:imports]

# --8<-- [start:perm_masks]


def permutation_masks(order):
    """Attention masks of permutation language modelling for one factorisation order.

    order: 1-D LongTensor, a permutation of range(T); order[t] is the position
    predicted at step t. The INPUT stays in its original order; only who may
    see whom changes. Returns (content_mask, query_mask), bool [T, T] with
    mask[i, j] = True meaning "position i may attend to position j".
    """
    T = order.numel()
    rank = torch.empty(T, dtype=torch.long)
    rank[order] = torch.arange(T)  # rank[i]: step at which position i is predicted
    content_mask = rank[None, :] <= rank[:, None]  # earlier in the order, or itself
    query_mask = rank[None, :] < rank[:, None]  # strictly earlier: never its own token
    return content_mask, query_mask


# --8<-- [end:perm_masks]


# --8<-- [start:two_stream]


def masked_attention(x, h, mask, Wq, Wk, Wv):
    """Queries from x; keys and values always from the content stream h."""
    q, k, v = x @ Wq, h @ Wk, h @ Wv
    scores = (q @ k.T) / k.shape[-1] ** 0.5
    scores = scores.masked_fill(~mask, float("-inf"))
    attn = torch.softmax(scores, dim=-1)
    # a row with nothing to attend to (the first position of the order in the
    # query stream) would be NaN; XLNet would attend to the memory instead
    attn = torch.where(mask.any(-1, keepdim=True), attn, torch.zeros_like(attn))
    return attn @ v


def two_stream_forward(tokens, order, emb, pos, w, layers):
    """Content stream h (sees its own token) and query stream g (sees only its position).

    h_i^(0) = e(x_i) + p_i ;  g_i^(0) = w + p_i  (w: one shared learnable vector)
    """
    content_mask, query_mask = permutation_masks(order)
    h = emb[tokens] + pos
    g = w + pos
    for Wq, Wk, Wv in layers:
        # both updates use the content stream of the previous layer as keys/values
        h, g = (
            h + masked_attention(h, h, content_mask, Wq, Wk, Wv),
            g + masked_attention(g, h, query_mask, Wq, Wk, Wv),
        )
    return h, g  # g[z_t] is used to predict x[z_t]


# --8<-- [end:two_stream]


# --8<-- [start:chain_rule]


def conditional(joint, order, t, x):
    """p(x[order[t]] | x[order[:t]]) computed from a full joint table by marginalisation."""
    n = joint.ndim
    seen = list(order[: t + 1])
    # marginalise out every variable not yet seen (and not the current one)
    marg = joint.sum(axis=tuple(i for i in range(n) if i not in seen), keepdims=True)
    num = marg[tuple(x[i] if i in seen else 0 for i in range(n))]
    prev = marg.sum(axis=order[t], keepdims=True)
    den = prev[tuple(x[i] if i in seen[:-1] else 0 for i in range(n))]
    return num / den


def ar_factorisation(joint, order):
    """Rebuild the joint table as prod_t p(x_{z_t} | x_{z_<t}) for the order z."""
    out = np.empty_like(joint)
    for x in itertools.product(*(range(k) for k in joint.shape)):
        out[x] = np.prod([conditional(joint, order, t, x) for t in range(joint.ndim)])
    return out


# --8<-- [end:chain_rule]
