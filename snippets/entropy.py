"""Entropy, cross-entropy, KL and JS divergence, and the softmax cross-entropy gradient.

Natural log throughout (nats). Used by docs/ml/loss-entropy.md; tests in tests/snippets/test_entropy.py.
"""

import numpy as np


# --8<-- [start:entropy_kl]
import numpy as np


def _plogq(p, q):
    """Elementwise p * log(q) with the convention 0 * log(anything) = 0."""
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    out = np.zeros(np.broadcast(p, q).shape)
    mask = np.broadcast_to(p > 0, out.shape)
    out[mask] = np.broadcast_to(p, out.shape)[mask] * np.log(np.broadcast_to(q, out.shape)[mask])
    return out


def entropy(p):
    """H(p) = -sum_x p(x) log p(x)."""
    return float(-_plogq(p, p).sum())


def cross_entropy(p, q):
    """H(p, q) = -sum_x p(x) log q(x); infinite if q(x) = 0 where p(x) > 0."""
    with np.errstate(divide="ignore"):
        return float(-_plogq(p, q).sum())


def kl(p, q):
    """KL(p || q) = sum_x p(x) log(p(x) / q(x)) = H(p, q) - H(p)."""
    with np.errstate(divide="ignore"):
        return float((_plogq(p, p) - _plogq(p, q)).sum())


def js(p, q):
    """Jensen-Shannon divergence: symmetric, bounded by log 2."""
    m = (np.asarray(p, dtype=float) + np.asarray(q, dtype=float)) / 2
    return 0.5 * kl(p, m) + 0.5 * kl(q, m)


# --8<-- [end:entropy_kl]


# --8<-- [start:softmax_ce]
import numpy as np


def log_softmax(z):
    z = np.asarray(z, dtype=float)
    z = z - z.max(axis=-1, keepdims=True)  # subtract the max: exp never overflows
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def softmax_cross_entropy(z, y):
    """Cross-entropy H(y, softmax(z)) from logits z and a target distribution y (one-hot or soft)."""
    return float(-(np.asarray(y, dtype=float) * log_softmax(z)).sum())


def softmax_cross_entropy_grad(z, y):
    """Analytic gradient w.r.t. the logits: softmax(z) - y (valid when y sums to 1)."""
    return np.exp(log_softmax(z)) - np.asarray(y, dtype=float)


# --8<-- [end:softmax_ce]


# --8<-- [start:kl_fit]
import numpy as np


def gaussian_pdf(x, mu, sigma):
    return np.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))


def fit_gaussian_by_kl(p, x, mus, sigmas, direction):
    """Grid-search the Gaussian q(mu, sigma) minimising KL(p||q) ('forward') or KL(q||p) ('reverse').

    p is a density sampled on the uniform grid x; integrals are Riemann sums.
    """
    dx = x[1] - x[0]
    best = (np.inf, None, None)
    for mu in mus:
        for sigma in sigmas:
            q = gaussian_pdf(x, mu, sigma)
            a, b = (p, q) if direction == "forward" else (q, p)
            keep = a > 1e-300  # 0 * log(0 / b) = 0
            value = np.sum(a[keep] * (np.log(a[keep]) - np.log(b[keep] + 1e-300))) * dx
            if value < best[0]:
                best = (value, mu, sigma)
    return best


# --8<-- [end:kl_fit]
