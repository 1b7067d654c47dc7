"""Retrieval for RAG written from the definitions: BM25 (the rank_bm25 Okapi variant), in-batch
InfoNCE, reciprocal rank fusion, ranking metrics, chunking and an IVF approximate-nearest-neighbour index.

Used by docs/llm/rag.md. tests/snippets/test_retrieval.py checks BM25 against rank_bm25.BM25Okapi,
InfoNCE against F.cross_entropy, and the metrics against hand-computed cases and scikit-learn.
"""

# --8<-- [start:bm25]
import math
from collections import Counter


class BM25:
    """Okapi BM25 exactly as rank_bm25.BM25Okapi computes it: idf = ln((N - n + 0.5) / (n + 0.5)),
    and terms in more than half of the documents (negative idf) get epsilon * mean idf instead."""

    def __init__(self, docs, k1=1.5, b=0.75, epsilon=0.25):
        self.docs, self.k1, self.b = docs, k1, b
        self.tf = [Counter(d) for d in docs]
        self.avgdl = sum(len(d) for d in docs) / len(docs)
        df = Counter(t for d in docs for t in set(d))
        n = len(docs)
        self.idf = {t: math.log(n - f + 0.5) - math.log(f + 0.5) for t, f in df.items()}
        floor = epsilon * sum(self.idf.values()) / len(self.idf)  # mean over all terms, before flooring
        self.idf = {t: (floor if v < 0 else v) for t, v in self.idf.items()}

    def score(self, query, i):
        tf, dl = self.tf[i], len(self.docs[i])
        s = 0.0
        for q in query:  # a repeated query term counts again
            f = tf.get(q, 0)
            s += self.idf.get(q, 0.0) * f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * dl / self.avgdl))
        return s

    def scores(self, query):
        return [self.score(query, i) for i in range(len(self.docs))]


# --8<-- [end:bm25]

# --8<-- [start:infonce]
import torch
import torch.nn.functional as F


def in_batch_infonce(q, d, tau=0.05):
    """Query i's positive is document i; the other documents of the batch are its negatives.
    loss = -1/B sum_i log( exp(s_ii / tau) / sum_j exp(s_ij / tau) ), s = cosine similarity."""
    s = F.normalize(q, dim=-1) @ F.normalize(d, dim=-1).T / tau
    log_softmax = s - torch.logsumexp(s, dim=1, keepdim=True)
    return -log_softmax.diagonal().mean()


# --8<-- [end:infonce]

# --8<-- [start:fusion_metrics]
import math


def reciprocal_rank_fusion(rankings, k=60):
    """RRF (Cormack et al. 2009): score(d) = sum over rankings of 1 / (k + rank of d), ranks from 1."""
    score = {}
    for ranking in rankings:
        for rank, doc in enumerate(ranking, start=1):
            score[doc] = score.get(doc, 0.0) + 1.0 / (k + rank)
    return sorted(score, key=lambda d: (-score[d], d))


def recall_at_k(ranking, relevant, k):
    return len(set(ranking[:k]) & set(relevant)) / len(relevant)


def reciprocal_rank(ranking, relevant):
    return next((1.0 / r for r, d in enumerate(ranking, start=1) if d in relevant), 0.0)


def ndcg_at_k(ranking, gains, k):
    """gains: relevance grade of each document (missing = 0); DCG = sum (2^g - 1) / log2(rank + 1)."""
    dcg = sum((2 ** gains.get(d, 0) - 1) / math.log2(r + 1) for r, d in enumerate(ranking[:k], start=1))
    ideal = sorted(gains.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(r + 1) for r, g in enumerate(ideal, start=1))
    return dcg / idcg if idcg else 0.0


# --8<-- [end:fusion_metrics]


# --8<-- [start:chunking]
def chunk_spans(n_chars, size, overlap):
    """Fixed-size chunks with `overlap` characters shared by neighbours: [(start, end), ...]."""
    step = size - overlap
    starts = range(0, max(n_chars - overlap, 1), step)
    return [(s, min(s + size, n_chars)) for s in starts]


def contained(span, chunks):
    """Is the answer span [a, b) entirely inside at least one chunk?"""
    a, b = span
    return any(s <= a and b <= e for s, e in chunks)


# --8<-- [end:chunking]

# --8<-- [start:ivf]
import numpy as np
from sklearn.cluster import KMeans


class IVFIndex:
    """Inverted-file index: k-means partitions the vectors; a query scans only the `nprobe` lists
    whose centroids are closest (inner product on normalised vectors)."""

    def __init__(self, vectors, n_lists, seed=0):
        self.vectors = vectors
        km = KMeans(n_clusters=n_lists, n_init=1, random_state=seed).fit(vectors)
        self.centroids, self.assign = km.cluster_centers_, km.labels_

    def search(self, q, k, nprobe):
        lists = np.argsort(-(self.centroids @ q))[:nprobe]
        cand = np.flatnonzero(np.isin(self.assign, lists))
        top = cand[np.argsort(-(self.vectors[cand] @ q))[:k]]
        return top, len(cand)


# --8<-- [end:ivf]
