"""Dense Adam vs lazy (sparse) Adam on an embedding row that receives one gradient."""

# --8<-- [start:rare_word]
import numpy as np
import torch
from torch import nn


def rare_word_displacements(steps=1000, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, g0=1.0):
    """A word appears only in batch 1 (gradient g0), never again (gradient 0).

    Returns the per-step displacement of its embedding under dense Adam, which updates
    every row at every step, and under lazy Adam, which skips rows absent from the batch.
    """
    b1, b2 = betas
    m = v = 0.0
    dense, lazy = [], []
    for t in range(1, steps + 1):
        g = g0 if t == 1 else 0.0
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        dense.append(lr * m_hat / (np.sqrt(v_hat) + eps))
        lazy.append(lr * m_hat / (np.sqrt(v_hat) + eps) if g != 0 else 0.0)
    return np.array(dense), np.array(lazy)


# --8<-- [end:rare_word]


# --8<-- [start:torch_embedding]
def embedding_row_drift(optimizer_name, steps=300, lr=1e-3, seed=0):
    """Train an embedding table where word 3 appears only in the first batch.

    Returns how far row 3 moved in total (L1 distance from its initial value).
    """
    torch.manual_seed(seed)
    sparse = optimizer_name == "SparseAdam"
    emb = nn.Embedding(10, 4, sparse=sparse)
    start = emb.weight[3].detach().clone()
    opt = torch.optim.SparseAdam(emb.parameters(), lr=lr) if sparse else torch.optim.Adam(emb.parameters(), lr=lr)
    for t in range(steps):
        ids = torch.tensor([3, 5]) if t == 0 else torch.tensor([5, 7])  # word 3 only in batch 1
        loss = emb(ids).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return (emb.weight[3].detach() - start).abs()


# --8<-- [end:torch_embedding]
